// NodeLocalRolloutStuck: the DaemonSet has stopped progressing while some of its nodes lack an
// available pod, or while a rollout of a new pod template is unfinished. Progress is any change of
// the updated or the available count within the window; a rollout that moves on, one node after
// the other, keeps changing them.
import { eq, promDuration } from './promql';
import { AlertRule, ksm, runbookUrl } from './rule';
import { AlertSettings, PROGRESS_WINDOW, ROLLOUT_STUCK } from './settings';
import { AgentDaemonSet, AlertTarget } from './targets';

/**
 * The alert for one DaemonSet.
 *
 * @param targets the node-local Services it serves (at least one), for the labels and the text
 */
export function rolloutStuckRule(daemonSet: AgentDaemonSet, targets: readonly AlertTarget[], settings: AlertSettings): AlertRule {
  const namespace = targets[0].namespace;
  const dsName = `${namespace}/${daemonSet.name}`;
  const series = (metric: string) => ksm(settings, metric, eq('namespace', namespace), eq('daemonset', daemonSet.name));
  const desired = series('kube_daemonset_status_desired_number_scheduled');
  const available = series('kube_daemonset_status_number_available');
  const updated = series('kube_daemonset_status_updated_number_scheduled');
  const byDaemonSet = (expression: string) => `max by (namespace, daemonset) (${expression})`;

  // OnDelete replaces a pod only when someone deletes it: pods of an older template are normal
  const behind = [`${byDaemonSet(`${available} < ${desired}`)}`];
  if (daemonSet.rollsOut) {
    behind.push(`${byDaemonSet(`${updated} < ${desired}`)}`);
  }
  const expr = `${byDaemonSet(`${desired} - ${available}`)}\n`
    + `and on (namespace, daemonset) (\n  ${behind.join('\n  or\n  ')}\n)\n`
    + `and on (namespace, daemonset) (${byDaemonSet(`changes(${updated}[${PROGRESS_WINDOW}])`)} == 0)\n`
    + `and on (namespace, daemonset) (${byDaemonSet(`changes(${available}[${PROGRESS_WINDOW}])`)} == 0)`;

  const lasting = promDuration(settings.rolloutStuck.forMs);
  const services = targets.map((t) => `Service ${t.namespace}/${t.service}`).join(' and ');
  const drops = targets.some((t) => t.mode === 'Local');
  const podFilter = daemonSet.podSelector === undefined ? '' : ` -l ${daemonSet.podSelector}`;
  return {
    alert: ROLLOUT_STUCK,
    expr,
    for: lasting,
    labels: {
      ...settings.labels,
      severity: settings.rolloutStuck.severity,
      namespace,
      daemonset: daemonSet.name,
      service: targets.map((t) => t.service).join(','),
    },
    annotations: {
      summary: `DaemonSet ${dsName} has made no progress for ${lasting}, with {{ $value }} node(s) lacking an available pod`,
      description: `DaemonSet ${dsName} has not updated a pod, nor had one become available, for at least ${lasting} `
        + `(counted in windows of ${PROGRESS_WINDOW}), while {{ $value }} of the nodes it should run on have no available pod`
        + (daemonSet.rollsOut ? ' or its rollout of a new pod template is unfinished' : '')
        + '. '
        + (drops
          ? `On each node without an available pod, the in-cluster traffic to ${services} is dropped (NodeLocalEndpointMissing names the nodes). `
          : `On each node without an available pod, the traffic to ${services} goes to another node. `)
        + `Look at kubectl -n ${namespace} rollout status daemonset/${daemonSet.name} and at the pods that are not ready `
        + `(kubectl -n ${namespace} get pods -o wide${podFilter}): a new pod template that never becomes ready stops a rollout `
        + `(fix it, or kubectl -n ${namespace} rollout undo daemonset/${daemonSet.name}); a pod that stays Pending needs room on its node.`,
      runbook_url: runbookUrl(settings, ROLLOUT_STUCK),
    },
  };
}
