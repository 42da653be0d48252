import { isHardwareLabel } from './node-facts';
import { nodeRestrictions, readNodeRequirements, unionOf } from './placement';
import { Severity } from '../lint/finding';
import { asArray, getIn, isInteger, pointer, show } from '../lint/json';
import { LOCAL_ONLY, Rule, violation } from '../lint/rule';

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

/** NL103: the DaemonSet runs on every node that can run it. */
export const partialNodeCoverage: Rule = {
  id: 'NL103',
  name: 'partial-node-coverage',
  severity: Severity.WARNING,
  summary: 'The DaemonSet runs on every node that can run it: no nodeSelector, nodeName or required node affinity beyond the node\'s OS and architecture, and a toleration of every taint.',
  reason: 'A Local Service drops the traffic of a client whose node has no ready endpoint. A DaemonSet restricted by a '
    + 'nodeSelector, a required node affinity or nodeName, or one that does not tolerate a taint (control-plane nodes, '
    + 'dedicated node pools), leaves nodes without its pod, and any client scheduled there loses the Service. Only a '
    + 'toleration {operator: Exists} without key and effect tolerates every taint. A constraint on the node\'s OS or '
    + 'architecture (kubernetes.io/os, kubernetes.io/arch, which the kubelet sets on every node) is what the image can run '
    + 'and is not reported, nor is an exclusion of nodes that never run DaemonSet pods (EKS Fargate, virtual-kubelet): '
    + 'removing them would leave pods that cannot start. See https://github.com/DataDog/helm-charts/issues/1251 and '
    + 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/',
  fix: 'Remove the node restriction and add the toleration {operator: Exists}; or keep clients off those nodes and acknowledge the warning.',
  limits: 'It sees the DaemonSet, not the nodes: whether a node with a taint it does not tolerate, or without a label it '
    + 'requires, exists in the cluster is unknown. Constraints on the labels every kubelet sets (kubernetes.io/os, '
    + 'kubernetes.io/arch) and exclusions of nodes that never run DaemonSet pods (EKS Fargate, virtual-kubelet) are not '
    + 'reported: they reflect what the image and the node can run.',
  trafficModes: LOCAL_ONLY,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const name = daemonSet.object.display;
    const spec = daemonSet.podSpec;
    const base = daemonSet.podSpecPath;
    const field = (...keys: string[]): string => `${base.slice(1).replace(/\//g, '.')}.${keys.join('.')}`;
    const affinityPath = pointer(base, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
    const faults: string[] = [];
    const fixes: string[] = [];
    const paths: string[] = [];
    // the DaemonSets behind one Service cover together what each covers (one per OS, one per node pool)
    const siblings = new Set(context.pairsOfDaemonSet(daemonSet).flatMap((p) => context.pairsOf(p.service).map((q) => q.daemonSet)));
    const together = siblings.size > 1 ? nodeRestrictions(unionOf([...siblings].map(readNodeRequirements))) : undefined;
    const restrictions = siblings.size > 1 && together === undefined ? undefined : nodeRestrictions(readNodeRequirements(daemonSet));
    const hardware: string[] = [];
    if (restrictions !== undefined) {
      // a restriction to hardware the agent needs (a device plugin on GPU nodes) is kept, not removed
      const needed = restrictions.requirements.filter((r) => r.source !== 'nodeName' && isHardwareLabel(r.key));
      for (const r of needed) {
        hardware.push(r.display);
        faults.push(`it requires ${r.display}, hardware its pods need, so they run only on nodes that have it`);
        paths.push(pointer(base, r.source === 'nodeSelector' ? 'nodeSelector' : 'affinity'));
      }
      const others = restrictions.requirements.filter((r) => !needed.includes(r));
      const selector = others.filter((r) => r.source === 'nodeSelector');
      const nodeName = others.find((r) => r.source === 'nodeName');
      const expressions = [...others.filter((r) => r.source === 'affinity').map((r) => r.display),
        ...restrictions.opaque.map((o) => o.display)];
      if (selector.length > 0) {
        paths.push(pointer(base, 'nodeSelector'));
        faults.push(`its nodeSelector requires ${selector.map((r) => r.display).join(' and ')}, so its pods run only on matching nodes`);
        fixes.push(`remove ${selector.map((r) => r.display.split('=')[0]).join(' and ')} from ${field('nodeSelector')}`);
      }
      if (nodeName !== undefined) {
        paths.push(pointer(base, 'nodeName'));
        faults.push(`its nodeName ${show(nodeName.display)} puts its only pod on that node`);
        fixes.push(`remove ${field('nodeName')}`);
      }
      if (expressions.length > 0) {
        paths.push(affinityPath);
        faults.push(`its required node affinity requires ${expressions.join(' and ')}, so its pods run only on matching nodes`);
        fixes.push(`remove ${expressions.length === 1 ? 'that expression' : 'those expressions'} from `
          + `${field('affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')} (a preferred affinity does not restrict nodes)`);
      } else if (selector.length === 0 && nodeName === undefined && needed.length === 0) {
        // the terms together exclude nodes although no single expression does
        paths.push(affinityPath);
        faults.push(`its required node affinity ${show(getIn(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'))} `
          + 'matches only some nodes');
        fixes.push(`remove ${field('affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')}`);
      }
    }
    const tolerations = getIn(spec, 'tolerations');
    if (!toleratesEveryTaint(tolerations)) {
      paths.push(pointer(base, 'tolerations'));
      const none = asArray(tolerations).length === 0;
      faults.push(`it ${none ? 'tolerates no taint' : `only tolerates ${show(tolerations)}`}, so `
        + `nodes with ${none ? 'a' : 'another'} NoSchedule or NoExecute taint (control-plane nodes, dedicated node pools) run no pod of it`);
      fixes.push(`add {operator: Exists} to ${field('tolerations')} (it tolerates every taint)`);
    }
    if (faults.length === 0) {
      return [];
    }
    const keep = hardware.length === 0 ? ''
      : `keep ${hardware.join(' and ')} in ${name}, give its clients the same node constraint so that they run only where it `
        + `does, and acknowledge NL103${fixes.length > 0 ? '; and ' : ''}`;
    const remove = fixes.length === 0 ? ''
      : `${hardware.length === 0 ? 'In' : 'in'} ${name}, ${fixes.join(', and ')}; or, if no client runs on those nodes, keep it and acknowledge NL103`;
    return [violation(daemonSet.object, paths[0],
      `${name} does not run on every node: ${faults.join('; ')}; client pods on those nodes have their traffic to the `
      + 'Local Service dropped',
      `${keep.charAt(0).toUpperCase()}${keep.slice(1)}${remove}`)];
  }),
};
