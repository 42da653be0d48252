import { Severity } from '../lint/finding';
import { asArray, asNonEmptyString, asObject, getIn, isInteger, pointer, show } from '../lint/json';
import { Rule, Violation, violation } from '../lint/rule';

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Whether the tolerations tolerate every taint a node can have that keeps a pod away:
 * a keyless `Exists` toleration with no effect, or keyless `Exists` ones for both
 * NoSchedule and NoExecute (PreferNoSchedule never keeps a DaemonSet pod away).
 */
export function toleratesEveryTaint(tolerations: unknown): boolean {
  const effects = new Set<string>();
  for (const toleration of asArray(tolerations)) {
    if (getIn(toleration, 'operator') !== 'Exists' || !isUnset(getIn(toleration, 'key'))) {
      continue;
    }
    const effect = getIn(toleration, 'effect');
    if (isInteger(getIn(toleration, 'tolerationSeconds'))) {
      // evicted after that many seconds: only the scheduling part counts
      effects.add('NoSchedule');
    } else {
      effects.add(isUnset(effect) ? '*' : String(effect));
    }
  }
  return effects.has('*') || (effects.has('NoSchedule') && effects.has('NoExecute'));
}

/** NL103: the DaemonSet runs on every node. */
export const partialNodeCoverage: Rule = {
  id: 'NL103',
  name: 'partial-node-coverage',
  severity: Severity.WARNING,
  summary: 'The DaemonSet runs on every node: no nodeSelector, nodeName or required node affinity, and a toleration of every taint.',
  reason: 'A Local Service drops the traffic of a client whose node has no ready endpoint. A DaemonSet restricted by a '
    + 'nodeSelector, a required node affinity or nodeName, or one that does not tolerate a taint (control-plane nodes, '
    + 'dedicated node pools), leaves nodes without its pod, and any client scheduled there loses the Service. Only a '
    + 'toleration {operator: Exists} without key and effect tolerates every taint. '
    + 'See https://github.com/DataDog/helm-charts/issues/1251 and '
    + 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/',
  fix: 'Remove the node restriction and add the toleration {operator: Exists}; or keep clients off those nodes and acknowledge the warning.',
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const name = daemonSet.object.display;
    const spec = daemonSet.podSpec;
    const base = daemonSet.podSpecPath;
    const field = (...keys: string[]): string => `${base.slice(1).replace(/\//g, '.')}.${keys.join('.')}`;
    const dropped = 'client pods on the other nodes have their traffic to the Local Service dropped';
    const found: Violation[] = [];
    const nodeSelector = asObject(getIn(spec, 'nodeSelector'));
    if (nodeSelector !== undefined && Object.keys(nodeSelector).length > 0) {
      found.push(violation(daemonSet.object, pointer(base, 'nodeSelector'),
        `${name} has nodeSelector ${show(nodeSelector)}: its pods run only on matching nodes, and ${dropped}`,
        `Remove ${field('nodeSelector')} from ${name}, or give every client of the Service the same nodeSelector and acknowledge NL103`));
    }
    const nodeName = asNonEmptyString(getIn(spec, 'nodeName'));
    if (nodeName !== undefined) {
      found.push(violation(daemonSet.object, pointer(base, 'nodeName'),
        `${name} has nodeName ${show(nodeName)}: its pod runs on that node only, and ${dropped}`,
        `Remove ${field('nodeName')} from ${name}`));
    }
    const required = getIn(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
    if (asObject(required) !== undefined) {
      found.push(violation(daemonSet.object, pointer(base, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'),
        `${name} has a required node affinity ${show(required)}: its pods run only on matching nodes, and ${dropped}`,
        `Remove ${field('affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')} from ${name} `
        + '(a preferred affinity does not restrict nodes), or keep every client on matching nodes and acknowledge NL103'));
    }
    const tolerations = getIn(spec, 'tolerations');
    if (!toleratesEveryTaint(tolerations)) {
      const tolerated = asArray(tolerations).length === 0 ? 'tolerates no taint' : `only tolerates ${show(tolerations)}`;
      found.push(violation(daemonSet.object, pointer(base, 'tolerations'),
        `${name} ${tolerated}: nodes with another NoSchedule or NoExecute taint (control-plane nodes, dedicated node pools) `
        + 'run no pod of it, and client pods that tolerate those taints have their traffic to the Local Service dropped',
        `Add {operator: Exists} to ${field('tolerations')} of ${name} (it tolerates every taint), or acknowledge NL103 `
        + 'if no client runs on tainted nodes'));
    }
    return found;
  }),
};
