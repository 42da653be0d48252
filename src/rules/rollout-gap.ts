import { hostPortUses, SURGE_STRATEGY } from './shared';
import { WorkloadInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { getIn, show } from '../lint/json';
import { effectiveUpdateStrategy, intOrPercentValue, isValidRollingUpdate, ROLLING_UPDATE_PATH } from '../lint/kube';
import { LOCAL_ONLY, Rule, Violation } from '../lint/rule';

/** NL102: a DaemonSet rollout never leaves a node without a ready local pod. */
export const rolloutGap: Rule = {
  id: 'NL102',
  name: 'rollout-gap',
  severity: Severity.WARNING,
  summary: 'The DaemonSet rolls out by surging (RollingUpdate, maxSurge above zero, maxUnavailable 0), so no node is left without a ready pod.',
  reason: 'With OnDelete, or RollingUpdate with maxUnavailable above zero (the default when updateStrategy is unset: '
    + 'RollingUpdate with maxUnavailable 1), each node\'s old pod stops before its new pod is ready. A Local Service has no '
    + 'other endpoint for that node, so every client there has its traffic dropped for the length of the gap, on each '
    + 'rollout. See https://github.com/DataDog/helm-charts/issues/2819 and '
    + 'https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/',
  fix: 'Set updateStrategy RollingUpdate with maxSurge: 1 and maxUnavailable: 0 (pods that hold host ports cannot surge: acknowledge the warning).',
  limits: 'It reads the update strategy, not the rollout itself: how long a gap lasts (image pull, start-up) depends '
    + 'on the cluster. A DaemonSet that holds host ports cannot surge, so there the honest answer may be to keep '
    + 'the gap and acknowledge the warning.',
  trafficModes: LOCAL_ONLY,
  check: (context) => {
    // the clients that reach each agent through the node's IP: no Service setting helps them
    const hostIpClients = new Map<WorkloadInfo, string>();
    for (const link of context.clients()) {
      if (link.via === 'hostIp' && !hostIpClients.has(link.pair.daemonSet)) {
        hostIpClients.set(link.pair.daemonSet, link.workload.object.display);
      }
    }
    return context.checkedDaemonSets.flatMap((daemonSet) => check(daemonSet, hostIpClients.get(daemonSet)));
  },
};

/** The finding on one DaemonSet; `hostIpClient` names a client that sends to its node's IP. */
function check(daemonSet: WorkloadInfo, hostIpClient: string | undefined): Violation[] {
  const name = daemonSet.object.display;
  const strategy = effectiveUpdateStrategy(daemonSet.object.raw);
  const uses = hostPortUses(daemonSet);
  const hostNetwork = getIn(daemonSet.podSpec, 'hostNetwork') === true;
  const fallback = hostIpClient === undefined
    ? 'or, on Kubernetes 1.34 and later, replace internalTrafficPolicy: Local with trafficDistribution: '
      + 'PreferSameNode so that clients fall back to another node\'s agent during the gap'
    : 'and, for the clients that use the Service, on Kubernetes 1.34 and later, replace internalTrafficPolicy: Local with '
      + 'trafficDistribution: PreferSameNode so that they fall back to another node\'s agent during the gap (clients that '
      + `send to the node's IP, as ${hostIpClient} does, have no fallback)`;
  const fix = hostNetwork
    ? `${name} runs on the host network, so it cannot surge (see NL010): if it needs the host network (a CNI, a node `
      + `exporter, a DNS cache on the node's IP), the gap is inherent: keep it and acknowledge NL102, ${fallback}`
    : uses.length > 0
      ? `${name} holds ports on the node (${uses.join(', ')}), so it cannot surge (see NL010): if clients reach it through `
        + `the Service, remove the host ports and set ${SURGE_STRATEGY}; if they need the host ports, keep the gap and `
        + `acknowledge NL102, ${fallback}`
      : `Set ${SURGE_STRATEGY} on ${name}: each node's new pod is then ready before the old one stops`;
  const gap = 'the old pod on each node stops before the new one is ready, and for that gap the Local Service '
    + 'drops the traffic of every client on the node';
  if (strategy.type === 'OnDelete') {
    return [{
      resource: daemonSet.object.ref,
      manifestIndex: daemonSet.object.index,
      path: '/spec/updateStrategy/type',
      message: `${name} has updateStrategy type "OnDelete": a node gets the new version only when its pod is deleted, `
        + `and ${gap}`,
      fix,
    }];
  }
  if (strategy.type !== 'RollingUpdate' || intOrPercentValue(strategy.maxUnavailable) <= 0 || !isValidRollingUpdate(strategy)) {
    // a rolling update the API server rejects never rolls out at all: NL011 reports it
    return [];
  }
  let found: string;
  if (getIn(daemonSet.object.raw, 'spec', 'updateStrategy') === undefined) {
    found = 'no updateStrategy, so Kubernetes rolls it out with RollingUpdate and maxUnavailable 1';
  } else if (!strategy.maxUnavailableSet) {
    found = 'no maxUnavailable, so Kubernetes rolls it out with maxUnavailable 1';
  } else {
    found = `maxUnavailable ${show(strategy.maxUnavailable)}`;
  }
  return [{
    resource: daemonSet.object.ref,
    manifestIndex: daemonSet.object.index,
    path: `${ROLLING_UPDATE_PATH}/maxUnavailable`,
    message: `${name} has ${found}: ${gap}`,
    fix,
  }];
}
