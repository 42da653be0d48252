// NodeLocalEndpointMissing: a node the agent should run on has no ready pod of it, so the
// node-local Service has no endpoint there.
//
// Which nodes count. Every node whose Ready condition is true (a node that is not ready is
// another alert's root cause, KubeNodeNotReady), and that the DaemonSet targets:
// - by default every such node, so that a pod that is Pending on a full node (kube-state-metrics
//   gives it no node until it is scheduled) or missing altogether is seen, but for EKS Fargate and
//   virtual-kubelet nodes, which never run DaemonSet pods (see rules/node-facts.ts): they are known
//   by their taints, since kube-state-metrics exports no node label unless allowlisted;
// - not the nodes with a NoSchedule or NoExecute taint the pods do not tolerate (the DaemonSet
//   controller never creates a pod there: the synth-time rules report that gap, an alert that
//   fires forever would only be silenced);
// - with a nodeSelector, nodeName or required node affinity, which kube-state-metrics cannot
//   evaluate without exporting node labels, only the nodes the DaemonSet has a pod bound to; a
//   pod that stays unscheduled shows in NodeLocalRolloutStuck instead.
import { indent, Matcher, eq, oneOf, promDuration } from './promql';
import { AlertRule, ksm, runbookUrl } from './rule';
import { AlertSettings, ENDPOINT_MISSING } from './settings';
import { AgentDaemonSet, AlertTarget, ToleratedTaints } from './targets';

/** The taints of the nodes that never run DaemonSet pods: EKS Fargate's and virtual-kubelet's. */
const NO_DAEMONSET_NODE_TAINTS: readonly ToleratedTaints[] = [
  { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effects: ['NoSchedule'] },
  { key: 'virtual-kubelet.io/provider', effects: ['NoSchedule', 'NoExecute'] },
];

/** The alert for one DaemonSet of a node-local Service. */
export function endpointMissingRule(target: AlertTarget, daemonSet: AgentDaemonSet, settings: AlertSettings): AlertRule {
  const setting = settings.endpointMissing;
  const drops = target.mode === 'Local';
  const dsName = `${target.namespace}/${daemonSet.name}`;
  const serviceName = `${target.namespace}/${target.service}`;
  const lasting = promDuration(setting.forMs);
  const consequence = drops
    ? `Service ${serviceName} has internalTrafficPolicy: Local, so kube-proxy drops the in-cluster traffic that pods on this node send to it: clients time out, and nothing is delivered`
    : target.mode === 'PreferSameNode'
      ? `Service ${serviceName} has trafficDistribution: PreferSameNode, so the traffic that pods on this node send to it goes to the agent on another node: it is delivered, but crosses nodes`
      : `Service ${serviceName} does not keep traffic on the node, so its traffic goes to agents on other nodes`;
  const podFilter = daemonSet.podSelector === undefined ? '' : ` -l ${daemonSet.podSelector}`;
  return {
    alert: ENDPOINT_MISSING,
    expr: endpointMissingExpr(target, daemonSet, settings),
    for: lasting,
    labels: {
      ...settings.labels,
      severity: drops ? setting.severity : setting.fallbackSeverity,
      namespace: target.namespace,
      daemonset: daemonSet.name,
      service: target.service,
    },
    annotations: {
      summary: `No ready pod of DaemonSet ${dsName} on node {{ $labels.node }}: `
        + (drops ? `traffic to Service ${serviceName} from this node is dropped` : `traffic to Service ${serviceName} from this node leaves the node`),
      description: `Node {{ $labels.node }} has had no ready pod of DaemonSet ${dsName} for ${lasting}. ${consequence}. `
        + 'Whatever the agent does for its own node (collect its logs or metrics, say) is not done there either. '
        + `Look at the agent's pod on the node: kubectl -n ${target.namespace} get pods -o wide --field-selector spec.nodeName={{ $labels.node }}${podFilter}. `
        + 'Pending: it cannot be scheduled (the node lacks CPU or memory for it, or a host port is taken); '
        + 'no pod at all: a taint it does not tolerate, or the DaemonSet controller is behind; '
        + 'CrashLoopBackOff or not ready: the agent fails to start or fails its readiness probe (kubectl describe pod, kubectl logs).',
      runbook_url: runbookUrl(settings, ENDPOINT_MISSING),
    },
  };
}

/**
 * The nodes this DaemonSet targets where no DaemonSet of the Service has a ready pod: the
 * Service's local endpoints on a node are the ready pods of any of its DaemonSets.
 */
function endpointMissingExpr(target: AlertTarget, daemonSet: AgentDaemonSet, settings: AlertSettings): string {
  const allNames = target.daemonSets.map((d) => d.name);
  const readyPods = `${podsOnNodes(target, allNames, settings)}\n`
    + `and on (namespace, pod) (${ksm(settings, 'kube_pod_status_ready', eq('namespace', target.namespace), eq('condition', 'true'))} == 1)`;
  return `(\n  ${indent(targetedNodes(target, daemonSet, settings))}\n)\n`
    + 'unless on (node)\n'
    + `group by (node) (\n  ${indent(readyPods)}\n)`;
}

/** The ready nodes the DaemonSet runs on, as far as kube-state-metrics tells. */
function targetedNodes(target: AlertTarget, daemonSet: AgentDaemonSet, settings: AlertSettings): string {
  const readyNode = `(${ksm(settings, 'kube_node_status_condition', eq('condition', 'Ready'), eq('status', 'true'))} == 1)`;
  if (daemonSet.restricted) {
    return `group by (node) (\n  ${indent(podsOnNodes(target, [daemonSet.name], settings))}\n)\nand on (node) ${readyNode}`;
  }
  const noDaemonSetNodes = NO_DAEMONSET_NODE_TAINTS.map((t) => taintSelector(t, settings)).join(' or ');
  const nodes = `group by (node) (${ksm(settings, 'kube_node_info')})\nand on (node) ${readyNode}\nunless on (node) (${noDaemonSetNodes})`;
  return daemonSet.tolerations === undefined ? nodes : `${nodes}\nunless on (node)\n${untoleratedTaints(daemonSet.tolerations, settings)}`;
}

/** The pods of the DaemonSets that are bound to a node, with kube_pod_info's `node` label. */
function podsOnNodes(target: AlertTarget, names: readonly string[], settings: AlertSettings): string {
  const namespace = eq('namespace', target.namespace);
  return `${ksm(settings, 'kube_pod_info', namespace, { label: 'node', op: '!=', value: '' })}\n`
    + `and on (namespace, pod) ${ksm(settings, 'kube_pod_owner', namespace, eq('owner_kind', 'DaemonSet'), oneOf('owner_name', names))}`;
}

/** The NoSchedule and NoExecute taints of the nodes that none of the tolerations tolerates. */
function untoleratedTaints(tolerations: readonly ToleratedTaints[], settings: AlertSettings): string {
  const taints = ksm(settings, 'kube_node_spec_taint', effectMatcher(['NoSchedule', 'NoExecute']));
  const tolerated = [...new Set(tolerations.map((t) => taintSelector(t, settings)))];
  if (tolerated.length === 0) {
    return taints;
  }
  return `(\n  ${taints}\n  unless (\n    ${tolerated.join('\n    or ')}\n  )\n)`;
}

function taintSelector(toleration: ToleratedTaints, settings: AlertSettings): string {
  const matchers: Matcher[] = [];
  if (toleration.key !== undefined) {
    matchers.push(eq('key', toleration.key));
  }
  if (toleration.value !== undefined) {
    matchers.push(eq('value', toleration.value));
  }
  matchers.push(effectMatcher(toleration.effects));
  return ksm(settings, 'kube_node_spec_taint', ...matchers);
}

function effectMatcher(effects: readonly string[]): Matcher {
  return oneOf('effect', effects);
}
