import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClientEndpoint, NodeLocalDaemonService, NodeLocalDaemonServiceProps } from '../src';
import { expectValidManifests } from './support/k8s-schema';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

interface Setup {
  readonly agentNamespace?: string;
  readonly clientNamespace?: string;
  readonly clientChartNamespace?: string;
  readonly agent?: Partial<NodeLocalDaemonServiceProps>;
}

/** An agent in one chart and a client Deployment in another, with the namespaces asked for. */
function setup(s: Setup = {}) {
  const app = Testing.app();
  const agentChart = new Chart(app, 'agents');
  const agent = new NodeLocalDaemonService(agentChart, 'otel', {
    metadata: { name: 'otel-agent', namespace: s.agentNamespace },
    containers: [{ image: IMAGE }],
    ports: [
      { port: 4317, name: 'otlp-grpc' },
      { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 },
    ],
    ...s.agent,
  });
  const clientChart = new Chart(app, 'apps', { namespace: s.clientChartNamespace });
  const client = new kplus.Deployment(clientChart, 'checkout', {
    metadata: { name: 'checkout', namespace: s.clientNamespace },
    containers: [{ name: 'app', image: 'app:1' }, { name: 'proxy', image: 'proxy:1' }],
  });
  return { app, agent, client, agentChart, clientChart };
}

function env(app: App, container = 0): any[] {
  const manifests = app.charts.flatMap(c => Testing.synth(c));
  expectValidManifests(manifests);
  const deployment = manifests.find(m => m.kind === 'Deployment');
  return deployment.spec.template.spec.containers[container].env;
}

describe('through the service', () => {
  test.each([
    ['the same known namespace', { agentNamespace: 'obs', clientNamespace: 'obs' }, 'otel-agent:4317'],
    ['a namespace shared through the charts', { agentNamespace: 'obs', clientChartNamespace: 'obs' }, 'otel-agent:4317'],
    ['different namespaces', { agentNamespace: 'obs', clientNamespace: 'shop' }, 'otel-agent.obs.svc.cluster.local:4317'],
    ['a client whose namespace is unknown', { agentNamespace: 'obs' }, 'otel-agent.obs.svc.cluster.local:4317'],
    ['a custom cluster domain', { agentNamespace: 'obs', clientNamespace: 'shop', agent: { clusterDomain: 'corp.example' } }, 'otel-agent.obs.svc.corp.example:4317'],
  ])('%s', (_, s, expected) => {
    const { app, agent, client } = setup(s as Setup);
    agent.connect(client, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT' });
    expect(env(app)).toEqual([{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: expected }]);
  });

  test('a scheme makes a URL', () => {
    const { app, agent, client } = setup({ agentNamespace: 'obs', clientNamespace: 'shop' });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    expect(env(app)).toEqual([{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-agent.obs.svc.cluster.local:4317' }]);
  });

  test('every container by default, or the ones named', () => {
    const { app, agent, client } = setup({ agentNamespace: 'obs' });
    agent.connect(client, { port: 'otlp-grpc', env: 'A' });
    agent.connect(client, { port: 'otlp-grpc', env: 'B', containers: ['proxy'] });
    expect(env(app, 0).map(e => e.name)).toEqual(['A']);
    expect(env(app, 1).map(e => e.name)).toEqual(['A', 'B']);
  });

  test('works for any pod-bearing construct', () => {
    const { agent, clientChart } = setup({ agentNamespace: 'obs' });
    const job = new kplus.Job(clientChart, 'job', { containers: [{ image: 'job:1' }] });
    const pod = new kplus.Pod(clientChart, 'pod', { containers: [{ image: 'pod:1' }] });
    const set = new kplus.StatefulSet(clientChart, 'set', { containers: [{ image: 'set:1', portNumber: 8080 }] });
    for (const client of [job, pod, set]) {
      agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    }
    const manifests = Testing.synth(clientChart);
    expectValidManifests(manifests);
    const specs = manifests.filter(m => ['Job', 'Pod', 'StatefulSet'].includes(m.kind))
      .map(m => m.kind === 'Pod' ? m.spec : m.spec.template.spec);
    expect(specs).toHaveLength(3);
    for (const spec of specs) {
      expect(spec.containers[0].env).toEqual([{ name: 'OTLP', value: 'otel-agent.obs.svc.cluster.local:4317' }]);
    }
  });

  test('the same call twice is harmless', () => {
    const { app, agent, client } = setup({ agentNamespace: 'obs' });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(env(app)).toEqual([{ name: 'OTLP', value: 'otel-agent.obs.svc.cluster.local:4317' }]);
  });
});

describe('through the host IP', () => {
  test('a port with a host port', () => {
    const { app, agent, client } = setup({ agentNamespace: 'obs' });
    agent.connect(client, { port: 'statsd', env: 'STATSD_ADDRESS', via: ClientEndpoint.hostIp() });
    expect(env(app)).toEqual([
      { name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'STATSD_ADDRESS', value: '$(NODE_LOCAL_HOST_IP):8125' },
    ]);
  });

  test('an agent on the host network: the container port is the host port', () => {
    const { app, agent, client } = setup({
      agentNamespace: 'obs',
      agent: { hostNetwork: true, ports: [{ port: 80, name: 'otlp-http', targetPort: 4318 }] },
    });
    agent.connect(client, { port: 'otlp-http', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http', via: ClientEndpoint.hostIp() });
    expect(env(app)).toEqual([
      { name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://$(NODE_LOCAL_HOST_IP):4318' },
    ]);
  });

  test('two variables share the host IP variable', () => {
    const { app, agent, client } = setup({ agentNamespace: 'obs' });
    agent.connect(client, { port: 'statsd', env: 'A', via: ClientEndpoint.hostIp() });
    agent.connect(client, { port: 'statsd', env: 'B', via: ClientEndpoint.hostIp() });
    expect(env(app).map(e => e.name)).toEqual(['NODE_LOCAL_HOST_IP', 'A', 'B']);
  });
});

describe('bad connections', () => {
  test('fails if the port has no host port for hostIp', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', via: ClientEndpoint.hostIp() }))
      .toThrow("connect(apps/checkout): port 'otlp-grpc' has no host port, so ClientEndpoint.hostIp() cannot reach it: give the port a hostPort (or run the agent with hostNetwork), or use ClientEndpoint.service()");
  });

  test('fails if the same variable gets another value, and changes nothing', () => {
    const { app, agent, client } = setup({ agentNamespace: 'obs' });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP', scheme: 'http' }))
      .toThrow("connect(apps/checkout): container 'app' already sets OTLP to 'otel-agent.obs.svc.cluster.local:4317', not 'http://otel-agent.obs.svc.cluster.local:4317': connect each variable once, or remove the other value");
    expect(env(app)).toEqual([{ name: 'OTLP', value: 'otel-agent.obs.svc.cluster.local:4317' }]);
  });

  test('fails if the port is unknown', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'grpc', env: 'X' }))
      .toThrow("connect(apps/checkout): port 'grpc' is not a port of the node-local service: use one of 'otlp-grpc', 'statsd'");
  });

  test('fails if the variable name or scheme is invalid', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: '1BAD' })).toThrow(/^connect\(apps\/checkout\): env "1BAD" is not a valid environment variable name/);
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', scheme: 'http://' })).toThrow(/^connect\(apps\/checkout\): scheme "http:\/\/" is not a URL scheme/);
  });

  test('fails if a named container does not exist', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', containers: ['sidecar'] }))
      .toThrow("connect(apps/checkout): containers names 'sidecar', which is not a container of the client: use one of 'app', 'proxy'");
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', containers: [] })).toThrow(/containers is empty/);
  });

  test('fails if the client cannot be serialized yet, with the cause', () => {
    const { agent, clientChart } = setup({ agentNamespace: 'obs' });
    const empty = new kplus.Deployment(clientChart, 'empty');
    expect(() => agent.connect(empty, { port: 'otlp-grpc', env: 'X' }))
      .toThrow(/^connect\(apps\/empty\): apps\/empty\/Resource cannot be serialized yet, so its containers cannot be read \(.*PodSpec must have at least 1 container\): complete the object, e\.g\. give it its containers, before connecting it$/);
  });

  test('fails if the options are not an object, or name an option that does not exist', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, null as any))
      .toThrow("connect(apps/checkout): options null is not an object: pass e.g. { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT' }");
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', container: ['app'] } as any))
      .toThrow('connect(apps/checkout): options has no option "container": use port, env, scheme, containers, via');
  });

  test('fails if the port is not a string', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 4317, env: 'X' } as any))
      .toThrow("connect(apps/checkout): port 4317 is not a port of the node-local service: use one of 'otlp-grpc', 'statsd'");
  });

  test('fails if containers is not a list of distinct names', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', containers: 'app' } as any))
      .toThrow("connect(apps/checkout): containers \"app\" is not a list of container names: use e.g. containers: ['app'], or leave containers unset for all of them");
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', containers: ['app', 7] } as any))
      .toThrow("connect(apps/checkout): containers[1] 7 is not a container name: use the name of one of the client's containers");
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X', containers: ['app', 'proxy', 'app'] }))
      .toThrow("connect(apps/checkout): containers[2] 'app' repeats containers[0]: name each container once");
  });

  test('fails if via is not a ClientEndpoint', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'statsd', env: 'X', via: { kind: 'hostIp' } } as any))
      .toThrow('connect(apps/checkout): via {"kind":"hostIp"} is not a ClientEndpoint: use ClientEndpoint.service() or ClientEndpoint.hostIp()');
  });

  test('fails if the endpoint variable of hostIp() is the host IP variable itself', () => {
    const { agent, client } = setup({ agentNamespace: 'obs' });
    expect(() => agent.connect(client, { port: 'statsd', env: 'NODE_LOCAL_HOST_IP', via: ClientEndpoint.hostIp() }))
      .toThrow("connect(apps/checkout): env 'NODE_LOCAL_HOST_IP' is the variable ClientEndpoint.hostIp() gives the node's IP: choose another name for the endpoint, e.g. 'STATSD_ADDRESS'");
  });

  test('fails if a container to connect has no name', () => {
    const { agent, clientChart } = setup({ agentNamespace: 'obs' });
    const pod = new ApiObject(clientChart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { containers: [{ name: 'app', image: 'a' }, { image: 'b' }] } });
    expect(() => agent.connect(pod, { port: 'otlp-grpc', env: 'X' }))
      .toThrow("connect(apps/pod): container 1 of Pod 'bare' has no name, which Kubernetes requires: name it, or name the containers to connect in containers");
    agent.connect(pod, { port: 'otlp-grpc', env: 'X', containers: ['app'] });
    expect(pod.toJson().spec.containers.map((c: any) => c.env)).toEqual([[{ name: 'X', value: 'otel-agent.obs.svc.cluster.local:4317' }], undefined]);
  });

  test('fails if the service namespace is unknown', () => {
    const { agent, client } = setup({ clientNamespace: 'shop' });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'X' }))
      .toThrow(/^connect\(apps\/checkout\): the namespace of the node-local service 'otel-agent' is unknown/);
  });
});

test('without any namespace, a client in the agent\'s chart gets the short name', () => {
  const chart = Testing.chart();
  const agent = new NodeLocalDaemonService(chart, 'otel', { metadata: { name: 'otel-agent' }, containers: [{ image: IMAGE }], ports: [{ port: 4317, name: 'otlp-grpc' }] });
  const client = new kplus.Deployment(chart, 'checkout', { containers: [{ image: 'app:1' }] });
  agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
  const manifests = Testing.synth(chart);
  expectValidManifests(manifests);
  expect(manifests.find(m => m.kind === 'Deployment').spec.template.spec.containers[0].env).toEqual([{ name: 'OTLP', value: 'otel-agent:4317' }]);
});
