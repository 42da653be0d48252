import { hostPortUses } from './shared';
import { ContainerInfo, Pair, WorkloadInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { ENDPOINT_PROPAGATION_SECONDS, preStopOf } from '../lint/handover';
import { getIn, isInteger } from '../lint/json';
import { effectiveUpdateStrategy, intOrPercentValue } from '../lint/kube';
import { LOCAL_ONLY, Rule } from '../lint/rule';

const PROPAGATION = ENDPOINT_PROPAGATION_SECONDS;

/**
 * The containers behind the pairs' Service ports: those declaring a port that a Service port
 * targets (by name or number, same protocol); every serving container when none resolves.
 */
function containersBehind(daemonSet: WorkloadInfo, pairs: Pair[]): ContainerInfo[] {
  const behind = daemonSet.servingContainers.filter((container) => pairs.some(({ service }) => service.ports.some((port) =>
    container.ports.some((p) => p.protocol === port.protocol && (port.target.type === 'name'
      ? p.name === port.target.name
      : port.target.type === 'number' && p.containerPort === port.target.value)))));
  return behind.length > 0 ? behind : daemonSet.servingContainers;
}

/** Whether the container's preStop hook keeps it running for a while after it is told to stop. */
function delaysStop(container: ContainerInfo): boolean {
  const preStop = preStopOf(container.raw);
  return preStop.type === 'other' || (preStop.type === 'delay' && preStop.delay.seconds > 0);
}

/** NL120: a surging Local pair hands each node's traffic over without a moment on a stopped endpoint. */
export const handoverWindow: Rule = {
  id: 'NL120',
  name: 'handover-window',
  severity: Severity.WARNING,
  summary: `A DaemonSet behind a Local Service that surges waits minReadySeconds of at least ${PROPAGATION} before the old pod stops, `
    + 'or its serving containers have a preStop delay.',
  reason: 'The DaemonSet controller stops a node\'s old pod as soon as the new pod is available, which with minReadySeconds 0 '
    + 'is the moment it turns Ready. The new endpoint still has to travel: the EndpointSlice controller publishes it and '
    + 'kube-proxy on the node programs it at its next sync (--iptables-min-sync-period and the nftables equivalent default '
    + 'to 1 s, and restoring a large ruleset takes seconds on a busy node). Meanwhile the old pod gets SIGTERM and most '
    + 'agents stop listening at once: with internalTrafficPolicy Local there is no other endpoint, so the node\'s traffic is '
    + 'refused or dropped for that window, on every node, on every rollout. Terminating endpoints (KEP-1669) do not help '
    + 'when the terminating pod has already stopped serving. Grafana Alloy\'s chart ships minReadySeconds 10 for this reason. See '
    + 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/ and '
    + 'https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/',
  fix: `Set spec.minReadySeconds to ${PROPAGATION} or more, or give each serving container a preStop delay `
    + '(lifecycle.preStop.sleep.seconds: 5 from Kubernetes 1.30, no binary needed) with terminationGracePeriodSeconds above it.',
  limits: `It cannot see the cluster's kube-proxy sync period or load, so ${PROPAGATION} s is a bound that covers the defaults `
    + 'with margin, not a measurement. Any preStop hook counts as a delay: what an exec or HTTP hook does, and how long '
    + 'it keeps the container serving, is not in the manifests. It cannot know whether the agent keeps serving after '
    + 'SIGTERM (some drain for a while), which would also close the window.',
  trafficModes: LOCAL_ONLY,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const localPairs = context.pairsOfDaemonSet(daemonSet).filter((p) => p.service.mode === 'Local');
    const strategy = effectiveUpdateStrategy(daemonSet.object.raw);
    // a DaemonSet that does not surge leaves a gap (NL102), and one that cannot (host ports) is stuck (NL010)
    if (localPairs.length === 0 || strategy.type !== 'RollingUpdate' || intOrPercentValue(strategy.maxSurge) <= 0
      || intOrPercentValue(strategy.maxUnavailable) > 0 || hostPortUses(daemonSet).length > 0) {
      return [];
    }
    const raw = getIn(daemonSet.object.raw, 'spec', 'minReadySeconds');
    const minReadySeconds = raw === undefined || raw === null ? 0 : raw;
    if (!isInteger(minReadySeconds) || minReadySeconds >= PROPAGATION) {
      return [];
    }
    const undelayed = containersBehind(daemonSet, localPairs).filter((c) => !delaysStop(c));
    if (undelayed.length === 0) {
      return [];
    }
    const name = daemonSet.object.display;
    const containers = undelayed.map((c) => c.display).join(', ');
    const found = raw === undefined || raw === null ? 'no minReadySeconds (0)' : `minReadySeconds ${minReadySeconds}`;
    return [{
      resource: daemonSet.object.ref,
      manifestIndex: daemonSet.object.index,
      path: '/spec/minReadySeconds',
      message: `${name} surges with ${found} and ${containers} ${undelayed.length > 1 ? 'have' : 'has'} no preStop delay: `
        + 'each node\'s old pod is stopped as soon as its replacement is Ready, before kube-proxy has programmed the new '
        + `endpoint (up to about ${PROPAGATION} s on a busy node), and the old process stops listening at SIGTERM, so for that `
        + 'window the Local Service sends the node\'s clients to an endpoint that is going away, on every node, on every rollout',
      fix: `Set spec.minReadySeconds: ${PROPAGATION} on ${name}, so the new endpoint is programmed before the old pod stops, `
        + `or give ${containers} a preStop delay that keeps the old pod serving while the endpoints change `
        + '(lifecycle.preStop.sleep.seconds: 5 from Kubernetes 1.30, no binary needed) with terminationGracePeriodSeconds above it',
    }];
  }),
};
