import { Chart, Testing } from 'cdk8s';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps } from '../src';
import { expectValidManifests } from './support/k8s-schema';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

function synth(props: Partial<NodeLocalDaemonServiceProps> = {}, namespace?: string) {
  const chart = new Chart(Testing.app(), 'obs', { namespace });
  const agent = new NodeLocalDaemonService(chart, 'agent', {
    metadata: { name: 'otel-agent' },
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    ...props,
  });
  const manifests = Testing.synth(chart);
  expectValidManifests(manifests);
  const daemonSet = manifests.find(m => m.kind === 'DaemonSet');
  return { agent, manifests, podSpec: daemonSet.spec.template.spec, quotas: manifests.filter(m => m.kind === 'ResourceQuota') };
}

describe('priorityClassName', () => {
  test('defaults to system-node-critical, with a quota that lets GKE admit it outside kube-system, applied first', () => {
    const { agent, manifests, podSpec, quotas } = synth({}, 'observability');
    expect(agent.priorityClassName).toBe('system-node-critical');
    expect(podSpec.priorityClassName).toBe('system-node-critical');
    expect(manifests[0].kind).toBe('ResourceQuota');
    expect(quotas).toEqual([{
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'otel-agent-critical-pods', namespace: 'observability' },
      spec: {
        hard: { pods: '1G' },
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] },
      },
    }]);
  });

  test('in kube-system no quota is written: GKE has its own there', () => {
    const { podSpec, quotas } = synth({ metadata: { name: 'node-dns', namespace: 'kube-system' } });
    expect(podSpec.priorityClassName).toBe('system-node-critical');
    expect(quotas).toEqual([]);
  });

  test('a class of your own is written as given, without a quota', () => {
    const { agent, podSpec, quotas } = synth({ priorityClassName: 'node-agents' }, 'observability');
    expect(agent.priorityClassName).toBe('node-agents');
    expect(podSpec.priorityClassName).toBe('node-agents');
    expect(quotas).toEqual([]);
  });

  test('system-cluster-critical gets a quota scoped to it', () => {
    const { quotas } = synth({ priorityClassName: 'system-cluster-critical' }, 'observability');
    expect(quotas[0].spec.scopeSelector.matchExpressions[0].values).toEqual(['system-cluster-critical']);
  });

  test('without a namespace the quota has none either: it goes where the agent goes', () => {
    const { quotas } = synth();
    expect(quotas).toHaveLength(1);
    expect(quotas[0].metadata.namespace).toBeUndefined();
  });

  test('the default draws no priority finding at synthesis', () => {
    const { manifests } = synth({}, 'observability');
    expect(lintManifests(manifests).filter(f => f.ruleId === 'NL111')).toEqual([]);
  });

  test.each([
    ['an empty string', ''],
    ['upper case', 'System-Node-Critical'],
    ['a space', 'node agents'],
    ['too long', 'a'.repeat(254)],
    ['a number', 7],
  ])('fails if priorityClassName is %s, and nothing is written', (_, value) => {
    const chart = Testing.chart();
    expect(() => new NodeLocalDaemonService(chart, 'agent', {
      containers: [{ image: IMAGE }],
      ports: [{ port: 4317 }],
      priorityClassName: value as any,
    })).toThrow(/^priorityClassName .* is not a PriorityClass name: use a DNS subdomain/);
    expect(chart.node.children).toHaveLength(0);
  });
});
