// How connect() writes its variables: into the client's JSON at serialization, after cdk8s-plus,
// the user's JSON patches and the generated serializers, never twice, never over the user's.
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { ClientEndpoint, NodeLocalDaemonService } from '../src';

const OTLP = 'otel-agent.obs.svc.cluster.local:4317';
const HOST_IP = { name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } };

function setup() {
  const app = Testing.app();
  const agent = new NodeLocalDaemonService(new Chart(app, 'agents', { namespace: 'obs' }), 'otel', {
    metadata: { name: 'otel-agent' },
    containers: [{ image: 'otel/opentelemetry-collector-contrib:0.98.0' }],
    ports: [{ port: 4317, name: 'otlp-grpc' }, { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 }],
  });
  const chart = new Chart(app, 'apps', { namespace: 'shop' });
  const client = new kplus.Deployment(chart, 'checkout', {
    containers: [{ name: 'app', image: 'app:1' }, { name: 'proxy', image: 'proxy:1' }],
  });
  return { app, agent, chart, client, object: ApiObject.of(client) };
}

function containers(chart: Chart): any[] {
  return Testing.synth(chart).find(m => m.kind === 'Deployment').spec.template.spec.containers;
}

describe('JSON patches of the user', () => {
  test('a patch added before connect() that sets the variable to another value is a conflict', () => {
    const { agent, chart, object } = setup();
    object.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'OTLP', value: 'localhost:4317' }]));
    expect(() => agent.connect(object, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow(`connect(apps/checkout/Resource): container 'app' already sets OTLP to 'localhost:4317', not '${OTLP}': connect each variable once, or remove the other value`);
    expect(containers(chart)[0].env).toEqual([{ name: 'OTLP', value: 'localhost:4317' }]);
    expect(containers(chart)[1].env).toBeUndefined();
  });

  test('a patch added before connect() that sets the same value makes connect() harmless', () => {
    const { agent, chart, client, object } = setup();
    object.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'OTLP', value: OTLP }]));
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(containers(chart).map(c => c.env)).toEqual([[{ name: 'OTLP', value: OTLP }], [{ name: 'OTLP', value: OTLP }]]);
  });

  test('a patch added after connect() that gives a container without env its list keeps the whole list', () => {
    const { agent, chart, client, object } = setup();
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP', containers: ['app'] });
    object.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'LOG_LEVEL', value: 'debug' }]));
    expect(containers(chart)[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'OTLP', value: OTLP }]);
  });

  test('fails synthesis if a patch removes a connected container', () => {
    const { agent, chart, client, object } = setup();
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP', containers: ['proxy'] });
    object.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/1'));
    expect(() => Testing.synth(chart)).toThrow(/^connect\(apps\/checkout\): container 'proxy', which connect\(\) set variables on, is no longer in the pod template of Deployment 'apps-checkout-c8[0-9a-f]+': keep the container, or connect the containers the client has$/);
  });

  test('fails synthesis if a patch removes the pod template', () => {
    const { agent, chart, client, object } = setup();
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    object.addJsonPatch(JsonPatch.remove('/spec/template'));
    expect(() => Testing.synth(chart)).toThrow(/^connect\(apps\/checkout\): Deployment '[a-z0-9-]+' no longer has a pod template, so the variables connect\(\) set cannot be written/);
  });
});

describe('what the client already has', () => {
  test('entries from valueFrom, envFrom and other variables are kept, in order', () => {
    const { agent, chart, client } = setup();
    const app = client.containers[0];
    app.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
    app.env.copyFrom(kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'settings')));
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP', containers: ['app'] });
    const [written] = containers(chart);
    expect(written.env).toEqual([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'OTLP', value: OTLP }]);
    expect(written.envFrom).toEqual([{ configMapRef: { name: 'settings' } }]);
  });

  test('the host IP variable written with its default apiVersion is the same variable', () => {
    const { agent, chart } = setup();
    const object = new k8s.KubeDeployment(chart, 'kube', {
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: { spec: { containers: [{ name: 'app', image: 'a', env: [{ name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } }] }] } },
      },
    });
    agent.connect(object, { port: 'statsd', env: 'STATSD', via: ClientEndpoint.hostIp() });
    expect(object.toJson().spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['NODE_LOCAL_HOST_IP', 'STATSD']);
  });

  test('the host IP variable goes before a variable that already refers to it', () => {
    const { agent, chart } = setup();
    const object = new ApiObject(chart, 'pod', {
      apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'app', image: 'a', env: [{ name: 'STATSD', value: '$(NODE_LOCAL_HOST_IP):8125' }] }] },
    });
    agent.connect(object, { port: 'statsd', env: 'STATSD', via: ClientEndpoint.hostIp() });
    expect(object.toJson().spec.containers[0].env).toEqual([HOST_IP, { name: 'STATSD', value: '$(NODE_LOCAL_HOST_IP):8125' }]);
  });

  test('an env added to a container without one goes where cdk8s sorts it', () => {
    const { agent, chart, client } = setup();
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    const keys = Object.keys(containers(chart)[0]);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toContain('env');
  });

  test('a container added after connect() is not connected', () => {
    const { agent, chart, client } = setup();
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    client.addContainer({ name: 'late', image: 'late:1' });
    expect(containers(chart).map(c => c.env?.map((e: any) => e.name))).toEqual([['OTLP'], ['OTLP'], undefined]);
  });

  test('the object\'s own toJson() has the variables, and serializing twice writes them once', () => {
    const { agent, client, object } = setup();
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    object.toJson();
    expect(object.toJson().spec.template.spec.containers[0].env).toEqual([{ name: 'OTLP', value: OTLP }]);
  });
});

describe('a refused call changes nothing', () => {
  test('a container that does not exist, after one that does', () => {
    const { agent, chart, client } = setup();
    const before = Testing.synth(chart);
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP', containers: ['app', 'nope'] })).toThrow(/containers names 'nope'/);
    expect(Testing.synth(chart)).toEqual(before);
  });

  test('a conflict in the second container leaves the first as it was', () => {
    const { agent, chart, client } = setup();
    client.containers[1].env.addVariable('OTLP', kplus.EnvValue.fromValue('other:4317'));
    const before = Testing.synth(chart);
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' })).toThrow(/container 'proxy' already sets OTLP to 'other:4317'/);
    expect(Testing.synth(chart)).toEqual(before);
  });

  test('the host IP variable is not written when the endpoint variable conflicts', () => {
    const { agent, chart, client } = setup();
    client.containers[0].env.addVariable('STATSD', kplus.EnvValue.fromValue('localhost:8125'));
    const before = Testing.synth(chart);
    expect(() => agent.connect(client, { port: 'statsd', env: 'STATSD', via: ClientEndpoint.hostIp() })).toThrow(/already sets STATSD/);
    expect(Testing.synth(chart)).toEqual(before);
  });
});
