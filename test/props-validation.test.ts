import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeLocalDaemonService, NodeLocalRollout } from '../src';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';
const BASE = { containers: [{ image: IMAGE }], ports: [{ port: 4317, name: 'otlp-grpc' }] };

/** Constructs an agent in a fresh chart with the props on top of a valid base. */
function make(props: any, chart: Chart = Testing.chart()): () => NodeLocalDaemonService {
  return () => new NodeLocalDaemonService(chart, 'agent', { ...BASE, ...props });
}

/** The error the construction throws; fails the test unless it is a plain Error. */
function errorOf(attempt: () => unknown): Error {
  try {
    attempt();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(RangeError);
    return e as Error;
  }
  throw new Error('expected the construction to fail');
}

function chartWithNamespace(namespace: string): Chart {
  return new Chart(Testing.app(), 'c', { namespace });
}

describe('namespaces', () => {
  test.each(['', 'Bad_NS', 'a'.repeat(64), 'obs.team', '-obs'])('fails if metadata.namespace is %p', (namespace) => {
    expect(errorOf(make({ metadata: { namespace } })).message)
      .toBe(`metadata.namespace ${JSON.stringify(namespace)} is not a namespace name: use at most 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, e.g. 'observability'`);
  });

  test('an empty namespace never yields a host with an empty label', () => {
    expect(() => make({ metadata: { name: 'agent', namespace: '' } })()).toThrow(/^metadata\.namespace "" is not a namespace name/);
  });

  test.each(['', 'Bad_NS'])('fails if the chart\'s namespace is %p and the agent sets none', (namespace) => {
    expect(errorOf(make({}, chartWithNamespace(namespace))).message)
      .toBe(`the namespace ${JSON.stringify(namespace)} of chart c is not a namespace name: use at most 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, or set metadata.namespace on the agent`);
  });

  test('a valid metadata.namespace takes the place of a bad chart namespace', () => {
    const agent = make({ metadata: { name: 'agent', namespace: 'obs' } }, chartWithNamespace('Bad_NS'))();
    expect(agent.host).toBe('agent.obs.svc.cluster.local');
  });
});

describe('declared container ports', () => {
  test.each([
    ['number 99999', { number: 99999 }, 'containers[0].ports[0].number 99999 is not an allowed number: use a whole number from 1 to 65535'],
    ['number NaN', { number: NaN }, 'containers[0].ports[0].number NaN is not an allowed number'],
    ['number 0', { number: 0 }, 'containers[0].ports[0].number 0 is not an allowed number'],
    ['a string host port', { number: 80, hostPort: '80' }, 'containers[0].ports[0].hostPort "80" is not an allowed number'],
    ['host port 70000', { number: 80, hostPort: 70000 }, 'containers[0].ports[0].hostPort 70000 is not an allowed number'],
    ['a bad name', { number: 80, name: 'Metrics_Port' }, 'containers[0].ports[0].name "Metrics_Port" is not a valid port name: use at most 15 characters'],
    ['a bad protocol', { number: 80, protocol: 'HTTP' }, 'containers[0].ports[0].protocol "HTTP" is not allowed: use Protocol.TCP, Protocol.UDP or Protocol.SCTP'],
    ['a bad host IP', { number: 80, hostIp: 'localhost' }, 'containers[0].ports[0].hostIp "localhost" is not an IP address'],
  ])('fails if a declared port has %s', (_, port, message) => {
    expect(errorOf(make({ containers: [{ image: IMAGE, ports: [port] }] })).message).toContain(message);
  });

  test('fails if a port number is given as portNumber out of range', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE, portNumber: 65536 }] })).message).toMatch(/^containers\[0\]\.portNumber 65536 is not an allowed number/);
  });

  test('fails if two ports of a container share a name', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE, ports: [{ number: 9090, name: 'metrics' }, { number: 9091, name: 'metrics' }] }] })).message)
      .toBe("containers[0].ports[1].name 'metrics' is already the name of containers[0].ports[0]: port names are unique within a container; rename one");
  });

  test('fails if a container declares one port twice', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE, ports: [{ number: 9090 }, { number: 9090, protocol: kplus.Protocol.TCP }] }] })).message)
      .toBe('containers[0].ports[1] repeats 9090/TCP of containers[0].ports[0]: a container declares each port once per protocol; remove one');
  });

  test('fails if port and portNumber are both set', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE, port: 80, portNumber: 80 }] })).message).toMatch(/^containers\[0\] sets both port and portNumber/);
  });
});

describe('container names', () => {
  test.each(['Collector', 'otel_collector', 'a'.repeat(64), ''])('fails if a container name is %p', (name) => {
    expect(errorOf(make({ containers: [{ image: IMAGE, name }] })).message)
      .toBe(`containers[0].name ${JSON.stringify(name)} is not a DNS-1123 label: use at most 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, e.g. 'collector'`);
  });

  test('fails if two containers share a name', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE, name: 'a' }, { image: IMAGE, name: 'a' }] })).message)
      .toBe("containers[1].name 'a' is already the name of containers[0]: containers and init containers of a pod need unique names; rename one");
  });

  test('fails if an init container has a container\'s name', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE, name: 'a' }], initContainers: [{ image: IMAGE, name: 'a' }] })).message)
      .toMatch(/^initContainers\[0\]\.name 'a' is already the name of containers\[0\]/);
  });

  test('fails if two containers are unnamed: both would be "main"', () => {
    expect(errorOf(make({ containers: [{ image: IMAGE }, { image: IMAGE }] })).message)
      .toBe("containers[1].name is missing, so it is 'main' like containers[0]: containers of a pod need unique names; name it, e.g. name: 'sidecar'");
  });
});

describe('any JavaScript value', () => {
  const nullPrototype = (entries: object) => Object.assign(Object.create(null), entries);
  const cycle: any = { a: 'b' };
  cycle.self = cycle;

  test.each([
    ['props is null', null, /^props null is not an object/],
    ['props is a string', 'agent', /^props "agent" is not an object/],
    ['a BigInt port', { ports: [{ port: BigInt(80) }] }, /^ports\[0\]\.port 80 is not a port number/],
    ['a Symbol name', { metadata: { name: Symbol('agent') } }, /^metadata\.name a symbol is not a string/],
    ['a Symbol container name in a port', { ports: [{ port: 80, container: Symbol('c') }] }, /^ports\[0\]\.container a symbol names no container/],
    ['a function for containers', { containers: () => [] }, /^containers a function is not a list/],
    ['a null prop', { metadata: null }, /^metadata null is not an object/],
    ['null containers', { containers: null }, /^containers null is not a list/],
    ['ports: [null]', { ports: [null] }, /^ports\[0\] is null: a port is an object/],
    ['a sparse containers list', { containers: [, { image: IMAGE }] }, /^containers has a hole at index 0/], // eslint-disable-line no-sparse-arrays
    ['a sparse ports list', { ports: [, { port: 80 }] }, /^ports has a hole at index 0/], // eslint-disable-line no-sparse-arrays
    ['a cycle in the labels', { metadata: { labels: cycle } }, /^metadata\.labels\["self"\] an unprintable object is not a string/],
    ['Infinity for minReadySeconds', { minReadySeconds: Infinity }, /^minReadySeconds Infinity is not an allowed number/],
    ['NaN for minReadySeconds', { minReadySeconds: NaN }, /^minReadySeconds NaN is not an allowed number/],
    ['a null-prototype port without a port', { ports: [nullPrototype({ name: 'x' })] }, /^ports\[0\]\.port undefined is not a port number/],
    ['a faked NodeLocalRollout', { rollout: Object.create(NodeLocalRollout.prototype) }, /^rollout \{\} is not a NodeLocalRollout/],
    ['tolerateAllTaints is not a boolean', { tolerateAllTaints: 'yes' }, /^tolerateAllTaints "yes" is not a boolean/],
    ['a restartPolicy other than Always', { restartPolicy: kplus.RestartPolicy.NEVER }, /^restartPolicy "Never" is not allowed for a DaemonSet/],
    ['an init container with a readiness probe', { initContainers: [{ image: IMAGE, name: 'init', readiness: kplus.Probe.fromTcpSocket() }] }, /^initContainers\[0\]\.readiness is set/],
    ['DNS policy None without nameservers', { dns: { policy: kplus.DnsPolicy.NONE } }, /^dns\.policy is DnsPolicy\.NONE without dns\.nameservers/],
    ['a label key that is not a qualified name', { metadata: { labels: { 'bad key': 'x' } } }, /^metadata\.labels key "bad key" is not a qualified name/],
    ['a label value too long', { podMetadata: { labels: { app: 'x'.repeat(64) } } }, /^podMetadata\.labels\["app"\] "x{64}" is not a label value/],
    ['an annotation that is not a string', { serviceMetadata: { annotations: { a: 1 } } }, /^serviceMetadata\.annotations\["a"\] 1 is not a string/],
    ['an env variable that is not an EnvValue', { containers: [{ image: IMAGE, envVariables: { A: 'b' } }] }, /^containers\[0\]\.envVariables\["A"\] "b" is not a EnvValue/],
    ['an empty image', { containers: [{ image: ' ' }] }, /^containers\[0\]\.image " " is not an image reference/],
    ['a terminationGracePeriod that is not a Duration', { terminationGracePeriod: 30 }, /^terminationGracePeriod 30 is not a Duration/],
    ['a validation.strict that is not a boolean', { validation: { strict: 1 } }, /^validation\.strict 1 is not a boolean/],
  ])('fails if %s, naming the prop', (_, props, message) => {
    const attempt = props !== null && typeof props === 'object'
      ? make(props)
      : () => new NodeLocalDaemonService(Testing.chart(), 'agent', props as any);
    expect(errorOf(attempt).message).toMatch(message);
  });

  test('fails if a rollout amount is not a PercentOrAbsolute', () => {
    expect(errorOf(() => NodeLocalRollout.surge({ value: 1 } as any)).message)
      .toBe('rollout: NodeLocalRollout.surge(maxSurge) {"value":1} is not a PercentOrAbsolute: use PercentOrAbsolute.percent(10) or PercentOrAbsolute.absolute(1)');
  });

  test('a null-prototype object is a valid object', () => {
    const metadata = Object.assign(Object.create(null), { name: 'agent', labels: Object.assign(Object.create(null), { team: 'obs' }) });
    const agent = make({ metadata })();
    expect(agent.serviceName).toBe('agent');
  });

  test('fails if two different volumes share a name', () => {
    const chart = Testing.chart();
    const a = kplus.Volume.fromEmptyDir(chart, 'a', 'data');
    const b = kplus.Volume.fromEmptyDir(chart, 'b', 'data');
    expect(errorOf(make({ volumes: [a], containers: [{ image: IMAGE, volumeMounts: [{ volume: b, path: '/data' }] }] }, chart)).message)
      .toBe("containers[0].volumeMounts[0].volume is a volume named 'data' like volumes[0], but another one: volumes of a pod need unique names; rename one");
  });
});

describe('a failed construction leaves nothing', () => {
  test('bad props: nothing joins the tree', () => {
    const chart = new Chart(Testing.app(), 'c');
    errorOf(make({ containers: [{ image: IMAGE, name: 'Bad' }] }, chart));
    expect(chart.node.children).toHaveLength(0);
  });

  test.each([
    ['an Error', () => new Error('cdk8s-plus refused'), 'cdk8s-plus refused'],
    ['a TypeError, which becomes an Error', () => new TypeError("Cannot read properties of undefined (reading 'x')"), /^props: cdk8s-plus could not build the agent from these props \(Cannot read properties of undefined/],
  ])('%s raised by cdk8s-plus after the construct joined the tree removes it again', (_, error, message) => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const bind = jest.spyOn(kplus.Service.prototype, 'bind').mockImplementationOnce(() => {
      throw error();
    });
    try {
      expect(errorOf(make({}, chart)).message).toMatch(message);
      expect(bind).toHaveBeenCalled();
    } finally {
      bind.mockRestore();
    }
    expect(chart.node.children).toHaveLength(0);
    // the id is free again, and the app synthesizes only the agent that was built
    const agent = make({}, chart)();
    expect(Testing.synth(chart).map(m => m.kind)).toEqual(['ResourceQuota', 'DaemonSet', 'Service']);
    expect(agent.node.path).toBe('c/agent');
  });

  test('a failed agent is not linted at synthesis', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const bind = jest.spyOn(kplus.Service.prototype, 'bind').mockImplementationOnce(() => {
      throw new Error('refused');
    });
    try {
      errorOf(make({}, chart));
    } finally {
      bind.mockRestore();
    }
    expect(() => app.synthYaml()).not.toThrow();
  });
});
