// Properties of connect() that no list of cases covers: any JavaScript value in any option, or
// as the client, gives an Error (never a TypeError) and changes nothing; any sequence of calls
// leaves each container with each variable once, at the value of the call that wired it.
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { ClientEndpoint, NodeLocalDaemonService } from '../src';

const RUNS = 200;
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

function world() {
  const app = Testing.app();
  const agent = new NodeLocalDaemonService(new Chart(app, 'agents', { namespace: 'obs' }), 'otel', {
    metadata: { name: 'otel-agent' },
    containers: [{ image: 'otel/opentelemetry-collector-contrib:0.98.0' }],
    ports: [{ port: 4317, name: 'otlp-grpc' }, { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 }],
  });
  const chart = new Chart(app, 'apps', { namespace: 'shop' });
  let count = 0;
  /** A fresh client of one of three origins, with containers 'app' and 'proxy'. */
  const client = (origin: number) => {
    const id = `client-${count++}`;
    const containers = [{ name: 'app', image: 'app:1' }, { name: 'proxy', image: 'proxy:1' }];
    if (origin === 0) {
      return new kplus.Deployment(chart, id, { containers });
    }
    if (origin === 1) {
      return new plus33.Deployment(chart, id, { containers });
    }
    return new k8s.KubeDeployment(chart, id, { spec: { selector: { matchLabels: { app: id } }, template: { spec: { containers } } } });
  };
  return { agent, client };
}

/** What connect() changed in the client: its serialized form. */
function snapshot(client: any): string {
  return JSON.stringify(ApiObject.of(client).toJson());
}

/** The call either succeeds or throws a plain Error whose message names connect(). */
function expectErrorOrSuccess(call: () => void): boolean {
  try {
    call();
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).constructor).toBe(Error);
    expect((e as Error).message).toMatch(/^connect\(/);
    return false;
  }
}

const valid = { port: 'otlp-grpc', env: 'OTLP' };

describe('any JavaScript value gives an Error and changes nothing', () => {
  const { agent, client } = world();

  test.each(['port', 'env', 'scheme', 'containers', 'via'])('as the %s option', (option) => {
    fc.assert(fc.property(anything, fc.nat({ max: 2 }), (value, origin) => {
      const c = client(origin);
      const before = snapshot(c);
      const succeeded = expectErrorOrSuccess(() => agent.connect(c, { ...valid, [option]: value } as any));
      if (!succeeded) {
        expect(snapshot(c)).toEqual(before);
      }
    }), { numRuns: RUNS });
  });

  test('as the options', () => {
    fc.assert(fc.property(anything, fc.nat({ max: 2 }), (value, origin) => {
      const c = client(origin);
      const before = snapshot(c);
      const succeeded = expectErrorOrSuccess(() => agent.connect(c, value as any));
      expect(succeeded).toBe(false);
      expect(snapshot(c)).toEqual(before);
    }), { numRuns: RUNS });
  });

  test('as an object of options, any key with any value', () => {
    const options = fc.dictionary(fc.constantFrom('port', 'env', 'scheme', 'containers', 'via', 'extra'), fc.oneof(anything, fc.constantFrom('otlp-grpc', 'statsd', 'OTLP', 'http', ['app'], ClientEndpoint.hostIp())));
    fc.assert(fc.property(options, fc.nat({ max: 2 }), (value, origin) => {
      const c = client(origin);
      const before = snapshot(c);
      if (!expectErrorOrSuccess(() => agent.connect(c, value as any))) {
        expect(snapshot(c)).toEqual(before);
      }
    }), { numRuns: RUNS });
  });

  test('as the client', () => {
    fc.assert(fc.property(anything, (value) => {
      expect(expectErrorOrSuccess(() => agent.connect(value as any, valid))).toBe(false);
    }), { numRuns: RUNS });
  });
});

interface Call {
  readonly port: 'otlp-grpc' | 'statsd';
  readonly env: string;
  readonly scheme?: string;
  readonly containers?: string[];
  readonly hostIp: boolean;
}

const call: fc.Arbitrary<Call> = fc.record({
  port: fc.constantFrom('otlp-grpc' as const, 'statsd' as const),
  env: fc.constantFrom('A', 'B', 'NODE_LOCAL_HOST_IP'),
  scheme: fc.option(fc.constantFrom('http', 'grpc'), { nil: undefined }),
  containers: fc.option(fc.subarray(['app', 'proxy'], { minLength: 1 }), { nil: undefined }),
  hostIp: fc.boolean(),
});

test('any sequence of calls: each variable once per container, at the value of the call that set it', () => {
  const { agent, client } = world();
  fc.assert(fc.property(fc.array(call, { maxLength: 6 }), fc.nat({ max: 2 }), (calls, origin) => {
    const c = client(origin);
    const expected = new Map<string, Map<string, string>>([['app', new Map()], ['proxy', new Map()]]);
    for (const k of calls) {
      const prefix = k.scheme ? `${k.scheme}://` : '';
      const value = k.hostIp ? `${prefix}$(NODE_LOCAL_HOST_IP):8125` : `${prefix}otel-agent.obs.svc.cluster.local:${k.port === 'statsd' ? 8125 : 4317}`;
      const variables = new Map([...(k.hostIp ? [['NODE_LOCAL_HOST_IP', 'status.hostIP']] : []), [k.env, value]] as Array<[string, string]>);
      const chosen = k.containers ?? ['app', 'proxy'];
      const refused = (k.hostIp && (k.port !== 'statsd' || k.env === 'NODE_LOCAL_HOST_IP'))
        || chosen.some(name => [...variables].some(([n, v]) => expected.get(name)!.has(n) && expected.get(name)!.get(n) !== v));
      const before = snapshot(c);
      const succeeded = expectErrorOrSuccess(() => agent.connect(c, {
        port: k.port,
        env: k.env,
        scheme: k.scheme,
        containers: k.containers,
        via: k.hostIp ? ClientEndpoint.hostIp() : undefined,
      }));
      expect(succeeded).toBe(!refused);
      if (!succeeded) {
        expect(snapshot(c)).toEqual(before);
        continue;
      }
      for (const name of chosen) {
        for (const [n, v] of variables) {
          expected.get(name)!.set(n, v);
        }
      }
    }
    const written = ApiObject.of(c).toJson().spec.template.spec.containers;
    for (const container of written) {
      const env: any[] = container.env ?? [];
      const names = env.map(e => e.name);
      expect(new Set(names).size).toBe(names.length);
      const want = expected.get(container.name)!;
      expect([...names].sort()).toEqual([...want.keys()].sort());
      for (const e of env) {
        expect(e.value ?? e.valueFrom.fieldRef.fieldPath).toBe(want.get(e.name));
      }
      const hostIp = names.indexOf('NODE_LOCAL_HOST_IP');
      const users = env.map((e, i) => (typeof e.value === 'string' && e.value.includes('$(NODE_LOCAL_HOST_IP)') ? i : -1)).filter(i => i >= 0);
      expect(users.every(i => hostIp >= 0 && hostIp < i)).toBe(true);
    }
  }), { numRuns: RUNS });
});
