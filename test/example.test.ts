import { Testing } from 'cdk8s';
import { buildExample } from '../examples/otel-agent';
import { checkRules, findPromtool } from './alerts/promtool/promtool';
import { expectRestrictedPodSecurity, expectValidManifests } from './support/k8s-schema';
import { expectExpressionsParse, expectValidPrometheusRule } from './support/prometheus';

// The example is synthesized here so that it cannot rot: `npm run example` runs the same code.
function synthExample() {
  const app = Testing.app();
  const { observability, shop, monitoring } = buildExample(app);
  return { app, observability: Testing.synth(observability), shop: Testing.synth(shop), monitoring: Testing.synth(monitoring) };
}

test('the example synthesizes valid Kubernetes 1.27 objects', () => {
  const { observability, shop } = synthExample();
  expectValidManifests([...observability, ...shop]);
  expect(observability.map(m => m.kind).sort()).toEqual(['ConfigMap', 'DaemonSet', 'ResourceQuota', 'Service']);
  expect(shop.map(m => m.kind)).toEqual(['Deployment']);
});

test('the example pairs a DaemonSet with a Local Service whose ports resolve', () => {
  const { observability } = synthExample();
  const daemonSet = observability.find(m => m.kind === 'DaemonSet');
  const service = observability.find(m => m.kind === 'Service');
  expect(service.metadata).toEqual({ name: 'otel-agent', namespace: 'observability' });
  expect(service.spec.internalTrafficPolicy).toBe('Local');
  const podLabels = daemonSet.spec.template.metadata.labels;
  for (const [key, value] of Object.entries(service.spec.selector)) {
    expect(podLabels[key]).toBe(value);
  }
  const containerPorts = daemonSet.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
  for (const port of service.spec.ports) {
    expect(containerPorts).toContainEqual(expect.objectContaining({ containerPort: port.targetPort, protocol: port.protocol }));
  }
  expect(service.spec.ports.map((p: any) => `${p.name} ${p.port}/${p.protocol}`)).toEqual([
    'otlp-grpc 4317/TCP',
    'otlp-http 4318/TCP',
    'jaeger-compact 6831/UDP',
  ]);
  expect(daemonSet.spec.template.spec.containers[0].readinessProbe.httpGet.port).toBe(13133);
  expectRestrictedPodSecurity(daemonSet.spec.template.spec);
});

test('the application sends to the agent on its own node', () => {
  const { shop } = synthExample();
  const env = shop[0].spec.template.spec.containers[0].env;
  expect(env).toContainEqual({
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    value: 'http://otel-agent.observability.svc.cluster.local:4317',
  });
});

test('the example writes the agent\'s alerts: a PrometheusRule where kube-prometheus-stack finds it', () => {
  const { monitoring } = synthExample();
  expect(monitoring).toHaveLength(1);
  const [rule] = monitoring;
  expectValidPrometheusRule(rule);
  expectExpressionsParse(rule);
  expect(rule.metadata).toEqual({ name: 'node-local-alerts', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
  expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['node-local/observability/otel-agent', 'node-local/kube-proxy']);
});

// promtool comes from a system package (Debian's prometheus): .ci/run installs it and sets
// NODE_LOCAL_REQUIRE_PROMTOOL, so that CI never skips this; a machine without it skips it.
const promtool = findPromtool();
const withPromtool = promtool !== undefined || process.env.NODE_LOCAL_REQUIRE_PROMTOOL ? test : test.skip;
withPromtool('promtool check rules accepts the example\'s PrometheusRule', () => {
  expect(promtool).toBeDefined();
  const { monitoring } = synthExample();
  const result = checkRules(promtool!, monitoring[0].spec.groups);
  expect(result.output).toContain('SUCCESS: 3 rules found');
  expect(result.ok).toBe(true);
});
