// The rules under test: the example app's PrometheusRule as the construct writes it, and agents
// the way charts render them (tolerations, nodeSelectors, PreferSameNode, OnDelete, a Service
// over two DaemonSets) as the command reads them.
import { Testing } from 'cdk8s';
import { buildExample } from '../../../examples/otel-agent';
import { RuleGroup } from '../../../src/alerts/rule';
import { ruleGroups } from '../../../src/alerts/rule-groups';
import { DEFAULT_SETTINGS } from '../../../src/alerts/settings';
import { readTargets } from '../../../src/alerts/targets';
import { LintContext } from '../../../src/lint/context';

/** The example app's PrometheusRule: namespace observability, DaemonSet and Service otel-agent. */
export function exampleRuleGroups(): RuleGroup[] {
  const { monitoring } = buildExample(Testing.app());
  const [rule] = Testing.synth(monitoring);
  return rule.spec.groups;
}

function service(namespace: string, name: string, selector: Record<string, string>, spec: Record<string, unknown>) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name } },
    spec: { selector, ports: [{ name: 'otlp', port: 4317, targetPort: 'otlp', protocol: 'TCP' }], ...spec },
  };
}

function daemonSet(namespace: string, name: string, labels: Record<string, string>, podSpec: Record<string, unknown>, strategy?: unknown) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      ...(strategy ? { updateStrategy: strategy } : { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }),
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'agent', image: 'otel/opentelemetry-collector-contrib:0.98.0', ports: [{ name: 'otlp', containerPort: 4317 }] }],
          ...podSpec,
        },
      },
    },
  };
}

const LOG_AGENT = { 'app.kubernetes.io/name': 'log-agent' };
const NODE_CACHE = { 'k8s-app': 'node-cache' };
const TRACE_AGENT = { 'app.kubernetes.io/name': 'trace-agent' };
const STATS_AGENT = { app: 'stats-agent' };

/** Agents as charts render them, each a variant the example does not cover. */
export const VARIANT_MANIFESTS: unknown[] = [
  // tolerates only CriticalAddonsOnly (and what the DaemonSet controller adds): tainted nodes are not its nodes
  service('logging', 'log-agent', LOG_AGENT, { internalTrafficPolicy: 'Local' }),
  daemonSet('logging', 'log-agent', LOG_AGENT, { tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] }),
  // runs on Linux nodes only: its nodes are those it has a pod on
  service('kube-system', 'node-cache', NODE_CACHE, { internalTrafficPolicy: 'Local' }),
  daemonSet('kube-system', 'node-cache', NODE_CACHE, { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ operator: 'Exists' }] }),
  // falls back to another node instead of dropping
  service('tracing', 'trace-agent', TRACE_AGENT, { trafficDistribution: 'PreferSameNode' }),
  daemonSet('tracing', 'trace-agent', TRACE_AGENT, { tolerations: [{ operator: 'Exists' }] }),
  // replaced only when a pod is deleted
  service('metrics', 'stats-agent', STATS_AGENT, { internalTrafficPolicy: 'Local' }),
  daemonSet('metrics', 'stats-agent', STATS_AGENT, { tolerations: [{ operator: 'Exists' }] }, { type: 'OnDelete' }),
  // one Service over a Linux and a Windows DaemonSet
  service('monitoring', 'node-agent', { app: 'node-agent' }, { internalTrafficPolicy: 'Local' }),
  daemonSet('monitoring', 'node-agent-linux', { app: 'node-agent', os: 'linux' }, { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
  daemonSet('monitoring', 'node-agent-windows', { app: 'node-agent', os: 'windows' }, { nodeSelector: { 'kubernetes.io/os': 'windows' } }),
];

/**
 * The variants' rule groups. The pairs are declared, so that the PreferSameNode Service is paired
 * whatever the engine discovers by itself.
 */
export function variantRuleGroups(): RuleGroup[] {
  const ref = (o: any) => ({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });
  const objects = VARIANT_MANIFESTS as any[];
  const services = objects.filter(o => o.kind === 'Service');
  const pairs = services.flatMap(s => objects
    .filter(o => o.kind === 'DaemonSet' && o.metadata.namespace === s.metadata.namespace
      && Object.entries(s.spec.selector).every(([k, v]) => o.spec.template.metadata.labels[k] === v))
    .map(d => ({ service: ref(s), daemonSet: ref(d) })));
  const { targets, problems } = readTargets(new LintContext(objects, { pairs }), 'default');
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  return ruleGroups(targets, DEFAULT_SETTINGS);
}
