import { Testing } from 'cdk8s';
import { buildExample } from '../examples/otel-agent';
import { expectRestrictedPodSecurity, expectValidManifests } from './support/k8s-schema';

// The example is synthesized here so that it cannot rot: `npm run example` runs the same code.
function synthExample() {
  const app = Testing.app();
  const { observability, shop } = buildExample(app);
  return { app, observability: Testing.synth(observability), shop: Testing.synth(shop) };
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
