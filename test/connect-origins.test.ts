// connect() takes a client of any origin: cdk8s-plus 27, 33 and 34 workloads, the generated
// Kube* classes, a plain ApiObject, the objects of an Include.
import * as path from 'path';
import { ApiObject, Chart, Cron, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import * as plus34 from 'cdk8s-plus-34';
import { Construct, IConstruct } from 'constructs';
import { ClientEndpoint, NodeLocalDaemonService } from '../src';
import { expectValidManifests } from './support/k8s-schema';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';
const FIXTURES = path.join(__dirname, 'fixtures', 'connect');
const OTLP = { name: 'OTLP', value: 'otel-agent.obs.svc.cluster.local:4317' };

/** An agent in namespace obs, and a chart for clients in namespace shop. */
function setup() {
  const app = Testing.app();
  const agentChart = new Chart(app, 'agents', { namespace: 'obs' });
  const agent = new NodeLocalDaemonService(agentChart, 'otel', {
    metadata: { name: 'otel-agent' },
    containers: [{ image: IMAGE }],
    ports: [
      { port: 4317, name: 'otlp-grpc' },
      { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 },
    ],
  });
  const chart = new Chart(app, 'apps', { namespace: 'shop' });
  return { app, agent, chart };
}

/** The pod spec of the manifest of this kind and name in the chart's output. */
function podSpec(chart: Chart, kind: string, name?: string): any {
  const manifest = Testing.synth(chart).find(m => m.kind === kind && (name === undefined || m.metadata.name === name));
  expect(manifest).toBeDefined();
  if (kind === 'Pod') {
    return manifest.spec;
  }
  return kind === 'CronJob' ? manifest.spec.jobTemplate.spec.template.spec : manifest.spec.template.spec;
}

const pod = { containers: [{ name: 'app', image: 'app:1' }] };
const template = { metadata: { labels: { app: 'x' } }, spec: pod };
const selector = { matchLabels: { app: 'x' } };

describe.each([
  ['cdk8s-plus-27', kplus],
  ['cdk8s-plus-33', plus33],
  ['cdk8s-plus-34', plus34],
] as Array<[string, any]>)('%s workloads', (_, plus) => {
  const containers = [{ name: 'app', image: 'app:1', portNumber: 8080 }];
  test.each([
    ['Deployment', (c: Chart) => new plus.Deployment(c, 'client', { containers })],
    ['StatefulSet', (c: Chart) => new plus.StatefulSet(c, 'client', { containers })],
    ['DaemonSet', (c: Chart) => new plus.DaemonSet(c, 'client', { containers })],
    ['Job', (c: Chart) => new plus.Job(c, 'client', { containers })],
    ['CronJob', (c: Chart) => new plus.CronJob(c, 'client', { containers, schedule: Cron.daily() })],
    ['Pod', (c: Chart) => new plus.Pod(c, 'client', { containers })],
  ] as Array<[string, (c: Chart) => IConstruct]>)('a %s', (kind, make) => {
    const { agent, chart } = setup();
    const client = make(chart);
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    agent.connect(client, { port: 'statsd', env: 'STATSD', via: ClientEndpoint.hostIp() });
    expect(podSpec(chart, kind).containers[0].env).toEqual([
      OTLP,
      { name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'STATSD', value: '$(NODE_LOCAL_HOST_IP):8125' },
    ]);
  });

  test('a variable defined later through cdk8s-plus is kept, before the connected one', () => {
    const { agent, chart } = setup();
    const client = new plus.Deployment(chart, 'client', { containers: [{ name: 'app', image: 'app:1' }] });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    client.containers[0].env.addVariable('LOG_LEVEL', plus.EnvValue.fromValue('debug'));
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, OTLP]);
  });

  test('the connected variable defined again later through cdk8s-plus, with the same value, is written once', () => {
    const { agent, chart } = setup();
    const client = new plus.Deployment(chart, 'client', { containers: [{ name: 'app', image: 'app:1' }] });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    client.containers[0].env.addVariable('OTLP', plus.EnvValue.fromValue(OTLP.value));
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([OTLP]);
  });

  test('fails synthesis if the connected variable is defined again later through cdk8s-plus with another value', () => {
    const { app, agent, chart } = setup();
    const client = new plus.Deployment(chart, 'client', { containers: [{ name: 'app', image: 'app:1' }] });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    client.containers[0].env.addVariable('OTLP', plus.EnvValue.fromValue('localhost:4317'));
    const message = "connect(apps/client): container 'app' sets OTLP to 'localhost:4317', while connect() sets it to 'otel-agent.obs.svc.cluster.local:4317': define each variable once: remove the other definition (a JSON patch or the workload's own env), or the connect() call";
    expect(() => Testing.synth(chart)).toThrow(message);
    expect(() => app.synthYaml()).toThrow(message);
  });

  test('fails if a variable of the client has another value at connect time, and writes nothing', () => {
    const { agent, chart } = setup();
    const client = new plus.Deployment(chart, 'client', { containers: [{ name: 'app', image: 'app:1' }] });
    client.containers[0].env.addVariable('OTLP', plus.EnvValue.fromSecretValue({ secret: plus.Secret.fromSecretName(chart, 's', 'otlp'), key: 'endpoint' }));
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow(`connect(apps/client): container 'app' already sets OTLP to valueFrom {"secretKeyRef":{"key":"endpoint","name":"otlp"}}, not '${OTLP.value}': connect each variable once, or remove the other value`);
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([{ name: 'OTLP', valueFrom: { secretKeyRef: { key: 'endpoint', name: 'otlp' } } }]);
  });
});

test('cdk8s-plus-27 clients are valid Kubernetes 1.27 manifests once connected', () => {
  const { agent, chart } = setup();
  const containers = [{ name: 'app', image: 'app:1', portNumber: 8080 }];
  for (const client of [
    new kplus.Deployment(chart, 'deployment', { containers }),
    new kplus.CronJob(chart, 'cron', { containers, schedule: Cron.daily() }),
    new kplus.DaemonSet(chart, 'daemon', { containers }),
  ]) {
    agent.connect(client, { port: 'statsd', env: 'STATSD', via: ClientEndpoint.hostIp(), scheme: 'udp' });
  }
  expectValidManifests(Testing.synth(chart));
});

describe('generated Kube* classes', () => {
  test('a KubeDeployment', () => {
    const { agent, chart } = setup();
    const client = new k8s.KubeDeployment(chart, 'client', { metadata: { name: 'checkout' }, spec: { selector, template } });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP', scheme: 'http' });
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([{ name: 'OTLP', value: `http://${OTLP.value}` }]);
    expectValidManifests(Testing.synth(chart));
  });

  test('a KubeCronJob', () => {
    const { agent, chart } = setup();
    const client = new k8s.KubeCronJob(chart, 'client', {
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...pod, restartPolicy: 'OnFailure' } } } } },
    });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'CronJob').containers[0].env).toEqual([OTLP]);
    expectValidManifests(Testing.synth(chart));
  });

  test('a KubePod', () => {
    const { agent, chart } = setup();
    const client = new k8s.KubePod(chart, 'client', { spec: pod });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'Pod').containers[0].env).toEqual([OTLP]);
    expectValidManifests(Testing.synth(chart));
  });

  test('a KubeDeployment of cdk8s-plus-33', () => {
    const { agent, chart } = setup();
    const client = new plus33.k8s.KubeDeployment(chart, 'client', { spec: { selector, template } });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([OTLP]);
  });

  test('the variables survive the generated serializer, which runs after JSON patches', () => {
    const { agent, chart } = setup();
    const client = new k8s.KubeDeployment(chart, 'client', { spec: { selector, template } });
    agent.connect(client, { port: 'statsd', env: 'STATSD', via: ClientEndpoint.hostIp() });
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([
      { name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'STATSD', value: '$(NODE_LOCAL_HOST_IP):8125' },
    ]);
  });

  test('fails if the pod template has no containers', () => {
    const { agent, chart } = setup();
    const client = new k8s.KubeDeployment(chart, 'client', { spec: { selector, template: { spec: { containers: [] } } } });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow('connect(apps/client): the client has no containers: add its containers before connecting it');
  });
});

describe('a plain ApiObject', () => {
  test('a Deployment manifest', () => {
    const { agent, chart } = setup();
    const client = new ApiObject(chart, 'client', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'checkout' }, spec: { selector, template } });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([OTLP]);
    expectValidManifests(Testing.synth(chart));
  });

  test('its own namespace decides the short name', () => {
    const { agent, chart } = setup();
    const client = new ApiObject(chart, 'client', { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'obs' }, spec: pod });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'Pod').containers[0].env).toEqual([{ name: 'OTLP', value: 'otel-agent:4317' }]);
  });

  test('a workload kind the engine does not know, with a pod template', () => {
    const { agent, chart } = setup();
    const client = new ApiObject(chart, 'client', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { selector, template } });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'Rollout').containers[0].env).toEqual([OTLP]);
  });

  test('fails if it has no pod template, naming it and what is accepted', () => {
    const { agent, chart } = setup();
    const client = new ApiObject(chart, 'client', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow("connect(apps/client): ConfigMap 'settings' has no pod template: pass a construct whose Kubernetes object has a pod template (spec.template.spec, or spec.jobTemplate.spec.template.spec for a CronJob) or is a Pod: a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod of any cdk8s-plus version, a generated KubeDeployment and friends, or an ApiObject of such a manifest (from an Include, say)");
  });

  test('fails if a cdk8s-plus construct has no pod template', () => {
    const { agent, chart } = setup();
    const service = new kplus.Service(chart, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    expect(() => agent.connect(service, { port: 'otlp-grpc', env: 'OTLP' })).toThrow(/^connect\(apps\/svc\): Service 'web' has no pod template: pass a construct whose/);
  });
});

describe('objects of an Include', () => {
  test('an Include with one workload: that workload, its other variables kept', () => {
    const { agent, chart } = setup();
    const include = new Include(chart, 'web', { url: path.join(FIXTURES, 'web-chart.yaml') });
    agent.connect(include, { port: 'otlp-grpc', env: 'OTLP', containers: ['web'] });
    const spec = podSpec(chart, 'Deployment');
    expect(spec.containers[0].env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'LOG_LEVEL' } } },
      OTLP,
    ]);
    expect(spec.containers[1].env).toBeUndefined();
    expectValidManifests(Testing.synth(chart));
  });

  test('one object of an Include with several workloads', () => {
    const { agent, chart } = setup();
    const include = new Include(chart, 'shop', { url: path.join(FIXTURES, 'shop-chart.yaml') });
    agent.connect(include.apiObjects.find(o => o.name === 'report')!, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'CronJob').containers[0].env).toEqual([OTLP]);
    expect(podSpec(chart, 'Deployment').containers[0].env).toBeUndefined();
  });

  test('fails if the Include holds several workloads, naming them, and writes nothing', () => {
    const { agent, chart } = setup();
    const include = new Include(chart, 'shop', { url: path.join(FIXTURES, 'shop-chart.yaml') });
    const before = Testing.synth(chart);
    expect(() => agent.connect(include, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow("connect(apps/shop): the construct holds 2 objects with a pod template, Deployment 'storefront' (apps/shop/storefront-deployment), CronJob 'report' (apps/shop/report-cronjob), and connect() wires one client at a time: connect each one you mean, e.g. agent.connect(include.apiObjects.find(o => o.name === 'storefront')!, ...)");
    expect(Testing.synth(chart)).toEqual(before);
  });

  test('fails if the Include holds no workload, naming what it holds', () => {
    const { agent, chart } = setup();
    const include = new Include(chart, 'config', { url: path.join(FIXTURES, 'shop-chart.yaml') });
    for (const o of include.apiObjects.filter(x => x.kind !== 'ConfigMap')) {
      include.node.tryRemoveChild(o.node.id);
    }
    expect(() => agent.connect(include, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow(/^connect\(apps\/config\): it holds ConfigMap 'shop-config', none with a pod template: pass a construct whose/);
  });

  test('fails if a container\'s env is not a list', () => {
    const { agent, chart } = setup();
    const client = new ApiObject(chart, 'client', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'app', image: 'a', env: 'A=b' }] } });
    expect(() => agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow("connect(apps/client): container 'app' has env \"A=b\", which is not a list of variables: make it a list such as [{ name: 'A', value: 'b' }]");
  });
});

describe('which object of a construct', () => {
  test('a construct of the user\'s that wraps one workload', () => {
    const { agent, chart } = setup();
    const webApp = new Construct(chart, 'web-app');
    new plus33.Deployment(webApp, 'deployment', { containers: [{ name: 'app', image: 'app:1' }] });
    new plus33.ConfigMap(webApp, 'config', { data: { a: 'b' } });
    agent.connect(webApp, { port: 'otlp-grpc', env: 'OTLP' });
    expect(podSpec(chart, 'Deployment').containers[0].env).toEqual([OTLP]);
  });

  test('fails if the construct has two default children', () => {
    const { agent, chart } = setup();
    const odd = new Construct(chart, 'odd');
    new plus33.Deployment(odd, 'Resource', { containers: [{ name: 'app', image: 'app:1' }] });
    new plus33.Deployment(odd, 'Default', { containers: [{ name: 'app', image: 'app:1' }] });
    expect(() => agent.connect(odd, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow('connect(apps/odd): Cannot determine default child for apps/odd. There is both a child with id "Resource" and id "Default": give the construct one default child');
  });

  test('fails if the client is the agent itself', () => {
    const { agent } = setup();
    expect(() => agent.connect(agent, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow("connect(agents/otel): the client is the agent's own DaemonSet, which would send to itself: connect the workloads that send to the agent");
    expect(() => agent.connect(agent.daemonSet, { port: 'otlp-grpc', env: 'OTLP' })).toThrow(/the client is the agent's own DaemonSet/);
  });

  test('fails if the client is not a construct', () => {
    const { agent } = setup();
    expect(() => agent.connect({ kind: 'Deployment' } as any, { port: 'otlp-grpc', env: 'OTLP' }))
      .toThrow(/^connect\(client\): client \{"kind":"Deployment"\} is not a construct: pass a construct whose Kubernetes object has a pod template/);
  });

  test('two apps in one process do not share wiring', () => {
    const first = setup();
    const second = setup();
    const a = new k8s.KubeDeployment(first.chart, 'client', { spec: { selector, template } });
    const b = new k8s.KubeDeployment(second.chart, 'client', { spec: { selector, template } });
    first.agent.connect(a, { port: 'otlp-grpc', env: 'A' });
    second.agent.connect(b, { port: 'otlp-grpc', env: 'B' });
    expect(podSpec(first.chart, 'Deployment').containers[0].env.map((e: any) => e.name)).toEqual(['A']);
    expect(podSpec(second.chart, 'Deployment').containers[0].env.map((e: any) => e.name)).toEqual(['B']);
  });

  test('the app synthesizes the variables once', () => {
    const { app, agent, chart } = setup();
    const client = new plus33.Deployment(chart, 'client', { containers: [{ name: 'app', image: 'app:1' }] });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    const yaml = app.synthYaml();
    expect(yaml).toContain(`value: ${OTLP.value}`);
    expect(yaml.match(/name: OTLP/g)).toHaveLength(1);
  });

  test('the validation at synthesis sees a connected cdk8s-plus-33 client', () => {
    const app = Testing.app();
    const agentChart = new Chart(app, 'agents', { namespace: 'obs' });
    const agent = new NodeLocalDaemonService(agentChart, 'otel', {
      metadata: { name: 'otel-agent' }, containers: [{ image: IMAGE }], ports: [{ port: 4317, name: 'otlp-grpc' }], tolerateAllTaints: false,
    });
    const chart = new Chart(app, 'apps', { namespace: 'shop' });
    const client = new plus33.Deployment(chart, 'client', { metadata: { name: 'checkout' }, containers: [{ name: 'app', image: 'app:1' }] });
    client.scheduling.tolerate(plus33.Node.tainted(plus33.NodeTaintQuery.is('nvidia.com/gpu', 'true', { effect: plus33.TaintEffect.NO_SCHEDULE })));
    agent.connect(client, { port: 'otlp-grpc', env: 'OTLP' });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => app.synthYaml()).toThrow(/\[agents\/otel\] NL013: Deployment shop\/checkout .*nvidia\.com\/gpu/);
    } finally {
      stderr.mockRestore();
    }
  });
});
