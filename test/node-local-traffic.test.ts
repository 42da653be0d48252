import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps, NodeLocalRollout, NodeLocalTraffic } from '../src';
import { expectValidManifests } from './support/k8s-schema';
import * as lint from '../src/lint/lint';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

function agent(props: Partial<NodeLocalDaemonServiceProps> = {}, chart: Chart = Testing.chart()): NodeLocalDaemonService {
  return new NodeLocalDaemonService(chart, 'agent', {
    metadata: { name: 'otel-agent', namespace: 'observability' },
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    ...props,
  });
}

/** The agent's objects as `cdk8s synth` writes them, after the synthesis-time rules passed. */
function written(a: NodeLocalDaemonService): { service: any; daemonSet: any } {
  const manifests = Testing.synth(Chart.of(a));
  return { service: manifests.find(m => m.kind === 'Service'), daemonSet: manifests.find(m => m.kind === 'DaemonSet') };
}

/** The Service as serialized, without the synthesis-time rules: for patches that make it not node-local on purpose. */
function serializedService(a: NodeLocalDaemonService): any {
  return ApiObject.of(a.service).toJson();
}

describe('NodeLocalTraffic', () => {
  test('local() is internalTrafficPolicy Local, with nothing to fall back to', () => {
    const local = NodeLocalTraffic.local();
    expect([local.mode, local.internalTrafficPolicy, local.trafficDistribution, local.fallsBack, local.minimumKubernetesVersion])
      .toEqual(['Local', 'Local', undefined, false, '1.22']);
  });

  test('preferSameNode() is trafficDistribution PreferSameNode over internalTrafficPolicy Cluster, from 1.34', () => {
    const prefer = NodeLocalTraffic.preferSameNode();
    expect([prefer.mode, prefer.internalTrafficPolicy, prefer.trafficDistribution, prefer.fallsBack, prefer.minimumKubernetesVersion])
      .toEqual(['PreferSameNode', 'Cluster', 'PreferSameNode', true, '1.34']);
  });
});

describe('the Service of each mode', () => {
  test('the default is Local, written as before: no trafficDistribution', () => {
    const chart = Testing.chart();
    const a = agent({}, chart);
    const service = Testing.synth(chart).find(m => m.kind === 'Service');
    expect(service.spec.internalTrafficPolicy).toBe('Local');
    expect(service.spec).not.toHaveProperty('trafficDistribution');
    expect(a.traffic.mode).toBe('Local');
    expect(a.kubernetesVersion).toBeUndefined();
  });

  test('preferSameNode writes trafficDistribution PreferSameNode and internalTrafficPolicy Cluster, never Local', () => {
    const a = agent({ traffic: NodeLocalTraffic.preferSameNode() });
    const { service, daemonSet } = written(a);
    expect(service.spec.trafficDistribution).toBe('PreferSameNode');
    expect(service.spec.internalTrafficPolicy).toBe('Cluster');
    expect(service.spec.type).toBe('ClusterIP');
    expect(a.kubernetesVersion).toBe('1.34');
    // checked against the 1.27 schema without the field, and against kubernetes-models 5 with it
    expectValidManifests([daemonSet, service]);
  });

  test('a PreferSameNode agent that replaces draws no rollout-gap warning: a gap falls back to another node', () => {
    const chart = Testing.chart();
    agent({ traffic: NodeLocalTraffic.preferSameNode(), rollout: NodeLocalRollout.replace() }, chart);
    const ids = lintManifests(Testing.synth(chart)).map(f => f.ruleId);
    expect(ids).not.toContain('NL102');
    expect(ids).not.toContain('NL001');
    expect(ids).not.toContain('NL104');
  });

  test('the whole picture with preferSameNode', () => {
    const { service, daemonSet } = written(agent({ traffic: NodeLocalTraffic.preferSameNode() }));
    expect([daemonSet, service]).toMatchSnapshot();
  });

  test('the construct ids and the generated names stay as they were', () => {
    const chart = Testing.chart();
    const a = new NodeLocalDaemonService(chart, 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 80 }], traffic: NodeLocalTraffic.preferSameNode() });
    expect(a.service.node.path).toBe('test/agent/Service');
    expect(a.service.name).toMatch(/^test-agent-service-c8[0-9a-f]{6}$/);
    expect(a.service).toBeInstanceOf(kplus.Service);
  });

  test('escape hatches on the Service keep working, and come after ours', () => {
    const chart = Testing.chart();
    const a = agent({}, chart);
    ApiObject.of(a.service).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'obs' }));
    ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/spec/internalTrafficPolicy', 'Cluster'));
    const service = serializedService(a);
    expect(service.metadata.labels).toEqual({ team: 'obs' });
    expect(service.spec.internalTrafficPolicy).toBe('Cluster');
  });

  test('a trafficDistribution patched by the user survives cdk8s-plus\' serializer', () => {
    const a = agent();
    ApiObject.of(a.service).addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferClose'));
    expect(written(a).service.spec.trafficDistribution).toBe('PreferClose');
  });

  test('a user patch that replaces the distribution wins over ours', () => {
    const a = agent({ traffic: NodeLocalTraffic.preferSameNode() });
    ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/spec/trafficDistribution', 'PreferSameZone'));
    expect(serializedService(a).spec.trafficDistribution).toBe('PreferSameZone');
  });

  test('nothing outside the construct\'s objects changes: a plain cdk8s-plus Service in the same app still drops the field', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'one');
    agent({ traffic: NodeLocalTraffic.preferSameNode() }, chart);
    const other = new kplus.Service(new Chart(new App(), 'two'), 'other', { ports: [{ port: 80 }] });
    ApiObject.of(other).addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferSameNode'));
    expect(ApiObject.of(other).toJson().spec).not.toHaveProperty('trafficDistribution');
  });
});

describe('kubernetesVersion', () => {
  test('is kept as given', () => {
    expect(agent({ kubernetesVersion: '1.29' }).kubernetesVersion).toBe('1.29');
    expect(agent({ kubernetesVersion: '1.35', traffic: NodeLocalTraffic.preferSameNode() }).kubernetesVersion).toBe('1.35');
  });

  test('is told to the synthesis-time rules', () => {
    const spy = jest.spyOn(lint, 'lintIndexedPairs');
    try {
      const chart = Testing.chart();
      agent({ kubernetesVersion: '1.31' }, chart);
      Testing.synth(chart);
      expect(spy.mock.calls.map(call => call[2])).toEqual([{ kubernetesVersion: '1.31' }]);
    } finally {
      spy.mockRestore();
    }
  });

  test('agents told different versions are linted apart, each with its own', () => {
    const spy = jest.spyOn(lint, 'lintIndexedPairs');
    try {
      const chart = Testing.chart();
      new NodeLocalDaemonService(chart, 'a', { containers: [{ image: IMAGE }], ports: [{ port: 80 }], kubernetesVersion: '1.30' });
      new NodeLocalDaemonService(chart, 'b', { containers: [{ image: IMAGE }], ports: [{ port: 80 }] });
      Testing.synth(chart);
      const calls = spy.mock.calls.map(([, pairs, options]) => ({ pairs: pairs.length, options }));
      expect(calls).toEqual(expect.arrayContaining([{ pairs: 1, options: { kubernetesVersion: '1.30' } }, { pairs: 1, options: {} }]));
      expect(calls).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  const make = (props: Partial<NodeLocalDaemonServiceProps>) => () => agent(props);

  test.each([
    ['1.34.1'], ['v1.34'], ['1'], [''], ['1.x'], ['01.34'],
  ])('fails if kubernetesVersion is %p', (version) => {
    expect(make({ kubernetesVersion: version })).toThrow(`kubernetesVersion ${JSON.stringify(version)} is not a Kubernetes version: use MAJOR.MINOR, e.g. '1.34'`);
  });

  test('fails if kubernetesVersion is not a string', () => {
    expect(make({ kubernetesVersion: 1.34 as any })).toThrow("kubernetesVersion 1.34 is not a string: use a string such as '1.34'");
  });

  test('fails if kubernetesVersion is older than the construct supports', () => {
    expect(make({ kubernetesVersion: '1.21' })).toThrow("kubernetesVersion '1.21' is not supported: internalTrafficPolicy and DaemonSet maxSurge need Kubernetes 1.22 or later (1.x); use '1.22' or later");
    expect(make({ kubernetesVersion: '2.0' })).toThrow(/^kubernetesVersion '2.0' is not supported/);
  });

  test('fails if preferSameNode is asked of a version that lacks it', () => {
    expect(make({ kubernetesVersion: '1.33', traffic: NodeLocalTraffic.preferSameNode() })).toThrow(
      "kubernetesVersion '1.33' is too old for traffic NodeLocalTraffic.preferSameNode(): trafficDistribution PreferSameNode is alpha and off by default in 1.33 and unknown before, so the Service would route cluster-wide; use kubernetesVersion '1.34' or later, or NodeLocalTraffic.local()");
  });

  test('fails if traffic is not a NodeLocalTraffic, even one faked from its prototype', () => {
    expect(make({ traffic: 'Local' as any })).toThrow('traffic "Local" is not a NodeLocalTraffic: use NodeLocalTraffic.local() or NodeLocalTraffic.preferSameNode()');
    expect(make({ traffic: Object.create(NodeLocalTraffic.prototype) })).toThrow(/^traffic \{\} is not a NodeLocalTraffic/);
  });
});
