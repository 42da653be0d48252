// Any JavaScript value in any prop: the construct either builds valid objects or throws an Error
// that names the prop, never a TypeError, a RangeError or an invalid manifest.
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps, Severity } from '../src';
import { expectValidManifests, expectValidNewerManifests } from './support/k8s-schema';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';
const RUNS_PER_PROP = 60;

/** Every value fast-check can make, exotic ones included. */
const anything = fc.anything({
  withBigInt: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withObjectString: true,
  maxDepth: 3,
});

/** Valid props for the values to go into; a path below names where the value goes. */
function base(): any {
  return {
    metadata: { name: 'otel-agent', namespace: 'observability', labels: { team: 'obs' } },
    containers: [{ name: 'collector', image: IMAGE, ports: [{ number: 9090, name: 'metrics' }] }],
    initContainers: [{ name: 'init', image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    serviceMetadata: { labels: { exposed: 'yes' } },
    validation: { acknowledge: [{ ruleId: 'NL108', reason: 'because' }] },
    dns: { policy: 'ClusterFirst' },
    securityContext: { user: 10001 },
  };
}

/** Where a value may go: every prop of the construct and of cdk8s-plus, and the fields of those that are structs. */
const PATHS: string[] = [
  // the props object itself, and each prop
  '', 'metadata', 'podMetadata', 'containers', 'initContainers', 'volumes', 'restartPolicy', 'serviceAccount',
  'securityContext', 'hostAliases', 'dns', 'dockerRegistryAuth', 'automountServiceAccountToken', 'isolate',
  'hostNetwork', 'terminationGracePeriod', 'select', 'spread', 'minReadySeconds',
  'ports', 'serviceMetadata', 'rollout', 'traffic', 'kubernetesVersion', 'tolerateAllTaints', 'clusterDomain', 'validation',
  // metadata
  'metadata.name', 'metadata.namespace', 'metadata.labels', 'metadata.annotations', 'metadata.finalizers', 'metadata.ownerReferences',
  'podMetadata.labels', 'serviceMetadata.labels', 'serviceMetadata.annotations',
  // a container and its fields
  'containers.0', 'initContainers.0', 'containers.0.name', 'containers.0.image', 'containers.0.port', 'containers.0.portNumber',
  'containers.0.ports', 'containers.0.ports.0', 'containers.0.ports.0.number', 'containers.0.ports.0.hostPort',
  'containers.0.ports.0.name', 'containers.0.ports.0.protocol', 'containers.0.ports.0.hostIp', 'containers.0.command',
  'containers.0.args', 'containers.0.workingDir', 'containers.0.envVariables', 'containers.0.envFrom', 'containers.0.volumeMounts',
  'containers.0.imagePullPolicy', 'containers.0.readiness', 'containers.0.liveness', 'containers.0.startup', 'containers.0.lifecycle',
  'containers.0.resources', 'containers.0.securityContext', 'containers.0.securityContext.user',
  'containers.0.securityContext.capabilities',
  // node-local ports
  'ports.0', 'ports.0.port', 'ports.0.name', 'ports.0.protocol', 'ports.0.targetPort', 'ports.0.appProtocol',
  'ports.0.container', 'ports.0.hostPort',
  // pod-level structs
  'dns.policy', 'dns.nameservers', 'dns.searches', 'dns.options', 'dns.hostname', 'securityContext.sysctls',
  'securityContext.fsGroupChangePolicy', 'validation.strict', 'validation.acknowledge', 'validation.acknowledge.0',
];

/** The props with the value put at the path (a copy; '' replaces the props themselves). */
function put(path: string, value: unknown): any {
  if (path === '') {
    return value;
  }
  const props = base();
  const keys = path.split('.');
  let target = props;
  for (const key of keys.slice(0, -1)) {
    target[key] ??= {};
    target = target[key];
  }
  target[keys[keys.length - 1]] = value;
  return props;
}

/** How an error names the path: `containers[0].ports[0].name`, or `props` for the props themselves. */
function shown(path: string): string {
  return path === '' ? 'props' : path.replace(/\.(\d+)/g, '[$1]');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Messages about a prop start with its path; a few cross-prop checks name it after "the" or inside. */
function namesThePath(message: string, path: string): boolean {
  const where = shown(path);
  return new RegExp(`^${escape(where)}([ .\\[:]|$)`).test(message)
    || (where === 'props' && /^[a-zA-Z]+ /.test(message)) // an object without the required props: names the first missing
    || (where.startsWith('ports[0]') && /^ports(\[\d+\])?[ .]/.test(message)) // ports are checked against each other
    || (where.startsWith('containers[0]') && /^(containers|initContainers|ports)\[\d+\]/.test(message))
    || (where === 'metadata.namespace' && message.startsWith('metadata.namespace'))
    || (where === 'hostNetwork' && /^rollout: |^ports\[0\]\.hostPort /.test(message));
}

const deferred: any[] = [];

afterAll(() => {
  // the objects with fields newer than 1.27, against kubernetes-models 5 in one child process
  expectValidNewerManifests(deferred);
});

describe.each(PATHS)('any value at %p', (path) => {
  test(`${RUNS_PER_PROP} random values: an Error naming it, or valid objects`, () => {
    fc.assert(fc.property(anything, (value) => {
      const props = put(path, value);
      let agent: NodeLocalDaemonService | undefined;
      const chart = Testing.chart();
      try {
        agent = new NodeLocalDaemonService(chart, 'agent', props as NodeLocalDaemonServiceProps);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect(e).not.toBeInstanceOf(TypeError);
        expect(e).not.toBeInstanceOf(RangeError);
        const message = (e as Error).message;
        if (!namesThePath(message, path)) {
          throw new Error(`the error for a value at ${shown(path)} does not name it: ${message}`);
        }
        expect(chart.node.children).toHaveLength(0);
        return;
      }
      expect(agent).toBeDefined();
      const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      let manifests: any[];
      try {
        manifests = Testing.synth(chart);
      } finally {
        spy.mockRestore();
      }
      expectValidManifests(manifests, deferred);
      expect(lintManifests(manifests).filter(f => f.severity === Severity.ERROR)).toEqual([]);
    }), { numRuns: RUNS_PER_PROP });
  });
});
