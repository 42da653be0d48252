import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps, NodeLocalPort, NodeLocalRollout, Severity } from '../src';
import { isDns1035Label, isIanaServiceName } from '../src/k8s-names';
import { expectValidManifests } from './support/k8s-schema';

const RUNS = 500;
const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';
const PROTOCOLS = [kplus.Protocol.TCP, kplus.Protocol.UDP, kplus.Protocol.SCTP];

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);
const portName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/);

interface PortDraft {
  readonly port: number;
  readonly protocol: kplus.Protocol;
  readonly name: string;
  readonly target?: number;
  readonly appProtocol?: string;
  readonly container: number;
  readonly hostPort: boolean;
}

const portDraft: fc.Arbitrary<PortDraft> = fc.record({
  port: fc.integer({ min: 1, max: 65535 }),
  protocol: fc.constantFrom(...PROTOCOLS),
  name: portName,
  target: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  appProtocol: fc.option(fc.constantFrom('grpc', 'http', 'kubernetes.io/h2c', 'kubernetes.io/ws'), { nil: undefined }),
  container: fc.nat({ max: 2 }),
  hostPort: fc.boolean(),
});

/**
 * Valid props: ports unique by (port, protocol) and by name, every container port on one
 * container only, host ports once per protocol, surge only without host access.
 */
const validProps: fc.Arbitrary<NodeLocalDaemonServiceProps> = fc.record({
  name: fc.option(dnsLabel, { nil: undefined }),
  namespace: fc.option(dnsLabel, { nil: undefined }),
  containers: fc.integer({ min: 1, max: 3 }),
  ports: fc.uniqueArray(portDraft, { minLength: 1, maxLength: 5, selector: p => `${p.port}/${p.protocol}` }),
  hostNetwork: fc.boolean(),
  rollout: fc.constantFrom('default', 'surge', 'replace', 'onDelete'),
  percent: fc.integer({ min: 1, max: 100 }),
  tolerateAllTaints: fc.boolean(),
  clusterDomain: fc.option(fc.constantFrom('cluster.local', 'corp.example', 'k8s.internal'), { nil: undefined }),
  readiness: fc.boolean(),
}).map(d => {
  const names = new Set<string>();
  const listeners = new Map<string, number>();
  const hostPorts = new Set<string>();
  const ports: NodeLocalPort[] = [];
  for (const p of d.ports) {
    if (names.has(p.name)) {
      continue;
    }
    const container = Math.min(p.container, d.containers - 1);
    const target = p.target ?? p.port;
    const listen = `${target}/${p.protocol}`;
    if (listeners.has(listen)) {
      continue; // keep the generator simple: one service port per container port
    }
    const hostPort = d.hostNetwork ? undefined : (p.hostPort ? target : undefined);
    if (hostPort !== undefined && hostPorts.has(`${hostPort}/${p.protocol}`)) {
      continue;
    }
    names.add(p.name);
    listeners.set(listen, container);
    if (hostPort !== undefined) {
      hostPorts.add(`${hostPort}/${p.protocol}`);
    }
    ports.push({ port: p.port, name: p.name, protocol: p.protocol, targetPort: p.target, appProtocol: p.appProtocol, container: `c${container}`, hostPort });
  }
  const hostAccess = d.hostNetwork || ports.some(p => p.hostPort !== undefined);
  const rollouts = {
    default: undefined,
    surge: hostAccess ? NodeLocalRollout.replace() : NodeLocalRollout.surge(kplus.PercentOrAbsolute.percent(d.percent)),
    replace: NodeLocalRollout.replace(kplus.PercentOrAbsolute.absolute(d.percent)),
    onDelete: NodeLocalRollout.onDelete(),
  };
  const containers: kplus.ContainerProps[] = Array.from({ length: d.containers }, (_, i) => ({
    name: `c${i}`,
    image: IMAGE,
    readiness: d.readiness ? kplus.Probe.fromHttpGet('/', { port: 13133 }) : undefined,
  }));
  return {
    metadata: { name: d.name, namespace: d.namespace },
    containers,
    ports,
    hostNetwork: d.hostNetwork,
    rollout: rollouts[d.rollout as keyof typeof rollouts],
    tolerateAllTaints: d.tolerateAllTaints,
    clusterDomain: d.clusterDomain,
  };
});

test(`${RUNS} random valid prop combinations synthesize valid objects that draw no error`, () => {
  fc.assert(fc.property(validProps, props => {
    const chart = Testing.chart();
    new NodeLocalDaemonService(chart, 'agent', props);
    const manifests = silently(() => Testing.synth(chart));
    expectValidManifests(manifests);
    // the quota that lets GKE admit system-node-critical pods comes first, so it is applied before the DaemonSet
    expect(manifests.map(m => m.kind)).toEqual(['ResourceQuota', 'DaemonSet', 'Service']);
    const errors = lintManifests(manifests).filter(f => f.severity === Severity.ERROR);
    expect(errors).toEqual([]);
  }), { numRuns: RUNS });
});

/** One way to break valid props, and the prop the error must name. */
interface Corruption {
  readonly prop: RegExp;
  readonly apply: (props: NodeLocalDaemonServiceProps, value: unknown) => NodeLocalDaemonServiceProps;
  readonly values: fc.Arbitrary<unknown>;
}

const notAPort = fc.oneof(
  fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ noInteger: true }),
  fc.constant(NaN), fc.string(), fc.constant(null), fc.boolean(), fc.object(),
);
const withPort = (props: NodeLocalDaemonServiceProps, patch: object): NodeLocalDaemonServiceProps =>
  ({ ...props, ports: [{ ...props.ports[0], ...patch }, ...props.ports.slice(1)] });

const CORRUPTIONS: Corruption[] = [
  { prop: /^ports\[0\]\.port /, values: notAPort, apply: (p, v) => withPort(p, { port: v }) },
  { prop: /^ports\[0\]\.targetPort /, values: notAPort.filter(v => v !== undefined), apply: (p, v) => withPort(p, { targetPort: v }) },
  { prop: /^ports\[0\]\.hostPort /, values: notAPort.filter(v => v !== undefined), apply: (p, v) => withPort(p, { hostPort: v }) },
  {
    prop: /^ports\[0\]\.name /,
    values: fc.oneof(fc.string().filter(s => !isIanaServiceName(s)), fc.integer(), fc.constant(null)),
    apply: (p, v) => withPort(p, { name: v }),
  },
  { prop: /^ports\[0\]\.protocol /, values: fc.string().filter(s => !PROTOCOLS.includes(s as kplus.Protocol)), apply: (p, v) => withPort(p, { protocol: v }) },
  { prop: /^ports\[0\]\.appProtocol /, values: fc.oneof(fc.constantFrom('', 'a b', '/x', 'x/', 'Bad Domain/x'), fc.integer()), apply: (p, v) => withPort(p, { appProtocol: v }) },
  { prop: /^ports\[0\]\.container /, values: fc.string().filter(s => !/^c[0-2]$/.test(s)), apply: (p, v) => withPort(p, { container: v }) },
  { prop: /^ports\[0\] /, values: fc.oneof(fc.constant(null), fc.integer(), fc.string()), apply: (p, v) => ({ ...p, ports: [v as any, ...p.ports.slice(1)] }) },
  { prop: /^ports is /, values: fc.oneof(fc.constant([]), fc.constant(null), fc.object(), fc.string({ minLength: 1 })), apply: (p, v) => ({ ...p, ports: v as any }) },
  { prop: /^containers /, values: fc.oneof(fc.constant([]), fc.object(), fc.string({ minLength: 1 })), apply: (p, v) => ({ ...p, containers: v as any }) },
  { prop: /^containers\[0\] /, values: fc.oneof(fc.constant(null), fc.integer(), fc.string()), apply: (p, v) => ({ ...p, containers: [v as any, ...(p.containers ?? []).slice(1)] }) },
  {
    prop: /^metadata\.name /,
    values: fc.oneof(fc.string({ minLength: 1 }).filter(s => !isDns1035Label(s)), fc.integer()),
    apply: (p, v) => ({ ...p, metadata: { ...p.metadata, name: v as any } }),
  },
  { prop: /^clusterDomain /, values: fc.oneof(fc.constantFrom('', 'Cluster.Local', 'a..b', '-x.local', 'x_y'), fc.integer()), apply: (p, v) => ({ ...p, clusterDomain: v as any }) },
  { prop: /^rollout /, values: fc.oneof(fc.object(), fc.string(), fc.integer()), apply: (p, v) => ({ ...p, rollout: v as any }) },
  { prop: /^rollout: NodeLocalRollout\.surge\(\) cannot be used because hostNetwork is true/, values: fc.constant(true), apply: p => ({ ...p, hostNetwork: true, rollout: NodeLocalRollout.surge(), ports: p.ports.map(port => ({ ...port, hostPort: undefined })) }) },
  { prop: /^validation\.acknowledge\[0\]\.ruleId /, values: fc.string().filter(s => !/^NL\d{3}$/.test(s)), apply: (p, v) => ({ ...p, validation: { acknowledge: [{ ruleId: v as string, reason: 'because' }] } }) },
  { prop: /^validation\.acknowledge\[0\]\.reason /, values: fc.constantFrom('', ' ', '\n'), apply: (p, v) => ({ ...p, validation: { acknowledge: [{ ruleId: 'NL102', reason: v as string }] } }) },
];

test(`${RUNS} random invalid props throw an Error that names the offending prop`, () => {
  const invalid = fc.tuple(validProps, fc.constantFrom(...CORRUPTIONS)).chain(([props, corruption]) =>
    corruption.values.map(value => ({ props: corruption.apply(props, value), prop: corruption.prop })));
  fc.assert(fc.property(invalid, ({ props, prop }) => {
    let thrown: unknown;
    try {
      new NodeLocalDaemonService(Testing.chart(), 'agent', props);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(TypeError);
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toMatch(prop);
  }), { numRuns: RUNS });
});

/** Warnings are expected for some valid props (a replace rollout, say): keep them off the test output. */
function silently<T>(fn: () => T): T {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}
