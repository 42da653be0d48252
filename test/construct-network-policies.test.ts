// NetworkPolicies meet the construct: isolate is refused, and policies of the app that would
// leave the agent unreachable fail synthesis through the rule engine.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeLocalDaemonService, NodeLocalDaemonServiceProps } from '../src';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

function agentIn(chart: Chart, props: Partial<NodeLocalDaemonServiceProps> = {}): NodeLocalDaemonService {
  return new NodeLocalDaemonService(chart, 'agent', {
    metadata: { name: 'otel-agent', namespace: 'obs' },
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }, { port: 6831, name: 'jaeger', protocol: kplus.Protocol.UDP }],
    ...props,
  });
}

function policy(chart: Chart, id: string, namespace: string, spec: Record<string, unknown>): ApiObject {
  return new ApiObject(chart, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: id, namespace }, spec });
}

function client(chart: Chart, agent: NodeLocalDaemonService): kplus.Deployment {
  const web = new kplus.Deployment(chart, 'web', {
    metadata: { namespace: 'shop' },
    containers: [{ image: 'registry.example/web:1', securityContext: { ensureNonRoot: false } }],
  });
  agent.connect(web, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
  return web;
}

/** The lines of a synthesis error that carry a rule id. */
function errorsOf(fn: () => unknown): string[] {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    fn();
    return [];
  } catch (e: any) {
    return String(e.message).split('\n').filter(l => /NL\d{3}/.test(l)).map(l => l.trim());
  } finally {
    spy.mockRestore();
  }
}

describe('isolate', () => {
  test('fails if isolate is true, and nothing is written', () => {
    const chart = Testing.chart();
    expect(() => agentIn(chart, { isolate: true })).toThrow(
      /^isolate is true: cdk8s-plus would add a NetworkPolicy that denies every packet to and from the agent's pods, so no client could reach it/);
    expect(chart.node.children).toHaveLength(0);
  });

  test('fails if isolate is not a boolean, and nothing is written', () => {
    const chart = Testing.chart();
    expect(() => agentIn(chart, { isolate: 'yes' as any })).toThrow(/^isolate "yes" is not a boolean: use true or false/);
    expect(chart.node.children).toHaveLength(0);
  });

  test('isolate: false is the default and writes no policy', () => {
    const chart = Testing.chart();
    agentIn(chart, { isolate: false });
    expect(Testing.synth(chart).map(m => m.kind)).not.toContain('NetworkPolicy');
  });

  test('fails at synthesis (NL016) if the DaemonSet is isolated after construction', () => {
    const chart = Testing.chart();
    const agent = agentIn(chart);
    agent.daemonSet.connections.isolate();
    expect(errorsOf(() => Testing.synth(chart))).toEqual([
      expect.stringMatching(/^\[test\/agent\] NL016: NetworkPolicy obs\/test-agent-daemonset-defaultdenyall-.* selects the pods of DaemonSet obs\/otel-agent for Ingress, and no ingress rule admits Service obs\/otel-agent port "otlp-grpc" \(4317\/TCP, container port 4317\) and Service obs\/otel-agent port "jaeger" \(6831\/UDP, container port 6831\) from any source/),
    ]);
  });
});

describe('policies of the app', () => {
  test('fails at synthesis (NL016) on a namespace default deny, naming the policy and the ports', () => {
    const chart = new Chart(Testing.app(), 'obs');
    agentIn(chart);
    policy(chart, 'default-deny', 'obs', { podSelector: {}, policyTypes: ['Ingress'] });
    const [error] = errorsOf(() => Testing.synth(chart));
    expect(error).toMatch(/^\[obs\/agent\] NL016: NetworkPolicy obs\/default-deny selects the pods of DaemonSet obs\/otel-agent for Ingress/);
    expect(error).toContain('fix: In NetworkPolicy obs/default-deny');
  });

  test('fails at synthesis (NL016) on an allow-list for the wrong namespace, naming the connected client', () => {
    const app = new App();
    const chart = new Chart(app, 'obs');
    const agent = agentIn(chart);
    client(new Chart(app, 'shop'), agent);
    policy(chart, 'allow-payments', 'obs', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] }],
    });
    const [error] = errorsOf(() => app.synth());
    expect(error).toMatch(/NL016: .*Deployment shop\/shop-web-.* \(namespace shop, pod labels \{cdk8s\.io\/metadata\.addr=shop-web-.*\}\) is admitted on none of Service obs\/otel-agent port "otlp-grpc"/);
  });

  test('fails at synthesis (NL017) on an egress default deny in the client namespace', () => {
    const app = new App();
    const chart = new Chart(app, 'obs');
    const agent = agentIn(chart);
    const shop = new Chart(app, 'shop');
    client(shop, agent);
    policy(shop, 'deny-egress', 'shop', { podSelector: {}, policyTypes: ['Egress'] });
    expect(errorsOf(() => app.synth())).toEqual([expect.stringMatching(/^\[obs\/agent\] NL017: NetworkPolicy shop\/deny-egress selects the pods of Deployment shop\/shop-web-/)]);
  });

  test('cdk8s-plus allowFrom admits the agent\'s ports as TCP only: the UDP port is reported', () => {
    const app = new App();
    const chart = new Chart(app, 'obs');
    const agent = agentIn(chart);
    const web = client(new Chart(app, 'shop'), agent);
    agent.daemonSet.connections.allowFrom(web, { isolation: kplus.PodConnectionsIsolation.POD });
    const errors = errorsOf(() => app.synth());
    expect(errors).toEqual([expect.stringMatching(/NL016: .* no ingress rule admits Service obs\/otel-agent port "jaeger" \(6831\/UDP, container port 6831\) from any source/)]);
    expect(errors[0]).not.toContain('otlp-grpc');
  });

  test('policies that admit the clients draw no finding', () => {
    const app = new App();
    const chart = new Chart(app, 'obs');
    const agent = agentIn(chart);
    client(new Chart(app, 'shop'), agent);
    policy(chart, 'default-deny', 'obs', { podSelector: {}, policyTypes: ['Ingress'] });
    policy(chart, 'allow-agent', 'obs', {
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': agent.daemonSet.podMetadata.getLabel('cdk8s.io/metadata.addr')! } },
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 4317 }, { protocol: 'UDP', port: 6831 }] }],
    });
    expect(errorsOf(() => app.synth())).toEqual([]);
  });
});
