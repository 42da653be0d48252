// The rule groups of a PrometheusRule: one per node-local Service, and one for kube-proxy.
import { endpointMissingRule } from './endpoint-missing';
import { rolloutStuckRule } from './rollout-stuck';
import { AlertRule, RuleGroup } from './rule';
import { AlertSettings } from './settings';
import { AlertTarget } from './targets';
import { trafficDroppedRule } from './traffic-dropped';

/** The name of the group that holds NodeLocalTrafficDropped. */
export const KUBE_PROXY_GROUP = 'node-local/kube-proxy';

/** The group name of a node-local Service. */
export function groupName(target: AlertTarget): string {
  return `node-local/${target.namespace}/${target.service}`;
}

/**
 * The groups for the targets, in their order: a Service's group holds NodeLocalEndpointMissing for
 * each of its DaemonSets and NodeLocalRolloutStuck for each DaemonSet that no earlier group covers
 * (a DaemonSet behind two Services has one rollout); the kube-proxy group comes last. Groups
 * without a rule are left out, and so is a Service already given.
 */
export function ruleGroups(targets: readonly AlertTarget[], settings: AlertSettings): RuleGroup[] {
  const servicesOf = new Map<string, AlertTarget[]>();
  for (const target of targets) {
    for (const daemonSet of target.daemonSets) {
      const key = `${target.namespace}/${daemonSet.name}`;
      servicesOf.set(key, [...servicesOf.get(key) ?? [], target]);
    }
  }
  const rolledOut = new Set<string>();
  const named = new Set<string>();
  const groups: RuleGroup[] = [];
  for (const target of targets) {
    // the same Service twice (two objects of one name, in two apps) would watch the same pods twice
    if (named.has(groupName(target))) {
      continue;
    }
    named.add(groupName(target));
    const rules: AlertRule[] = [];
    for (const daemonSet of target.daemonSets) {
      if (settings.endpointMissing.enabled) {
        rules.push(endpointMissingRule(target, daemonSet, settings));
      }
    }
    for (const daemonSet of target.daemonSets) {
      const key = `${target.namespace}/${daemonSet.name}`;
      if (settings.rolloutStuck.enabled && !rolledOut.has(key)) {
        rolledOut.add(key);
        rules.push(rolloutStuckRule(daemonSet, servicesOf.get(key)!, settings));
      }
    }
    if (rules.length > 0) {
      groups.push({ name: groupName(target), rules });
    }
  }
  if (settings.trafficDropped.enabled) {
    groups.push({ name: KUBE_PROXY_GROUP, rules: [trafficDroppedRule(settings)] });
  }
  return groups;
}
