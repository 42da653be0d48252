import { canShareNode, readNodeRequirements } from './placement';
import { WorkloadInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { apiGroup, showLabels } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL005: the Service's selector selects no other workload's pods. */
export const selectorSelectsOtherWorkload: Rule = {
  id: 'NL005',
  name: 'selector-selects-other-workload',
  severity: Severity.ERROR,
  summary: 'The node-local Service\'s selector selects the pods of its DaemonSet only, not those of another workload in the namespace.',
  reason: 'A Service routes to every ready pod its selector selects. When a broad selector (app: agent) also selects the pods '
    + 'of a Deployment, StatefulSet, Job, bare Pod or another DaemonSet, kube-proxy spreads the node-local traffic over '
    + 'those pods too: part of it reaches the wrong application, and on nodes where only the other pod runs the Service '
    + 'has an endpoint that is not the agent. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
  fix: 'Give the DaemonSet\'s pod template a label no other workload has (cdk8s-plus adds cdk8s.io/metadata.addr) and select on it.',
  limits: 'Only the workloads in the manifests are compared: pods of another release or bare Pods created in the '
    + 'cluster that carry the same labels can still be selected.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const pairs = context.pairsOf(service);
    if (pairs.length === 0) {
      return []; // NL004 reports a Service that selects no DaemonSet
    }
    // Declared pairs are intended; in auto mode the first DaemonSet is the one the Service is for.
    const intended = new Set(context.declared ? pairs.map((p) => p.daemonSet) : [pairs[0].daemonSet]);
    const ds = [...intended].map((w) => w.object.display).join(' and ');
    const name = service.object.display;
    const found: Violation[] = [];
    const requirements = new Map([...intended].map((w) => [w, readNodeRequirements(w)]));
    for (const workload of context.selectWorkloads(service.object.namespaceKey, service.selector)) {
      if (intended.has(workload) || workload.object.controlled) {
        continue; // a controlled Pod or ReplicaSet belongs to its owner, reported once
      }
      if ([...intended].some((w) => sameObject(w, workload))) {
        continue; // a second copy of the DaemonSet is the same object in the cluster (NL018 reports the copy)
      }
      if (workload.object.kind === 'DaemonSet' && pairs.some((p) => p.daemonSet === workload)
        && [...requirements.values()].every((r) => !canShareNode(r, readNodeRequirements(workload)))) {
        continue; // another agent of the Service on other nodes (the Windows one of a Linux agent, another node pool)
      }
      const other = workload.object.display;
      found.push(violation(service.object, '/spec/selector',
        `${name} selector ${showLabels(service.selector)} also selects the pods of ${other} (labels ${showLabels(workload.labels)}), `
        + `besides those of ${ds}: on a node where both run, kube-proxy spreads the node-local traffic over both, so part `
        + 'of it reaches the wrong application',
        `Give the pod template of ${ds} a label that ${other} does not have (e.g. its cdk8s.io/metadata.addr label) and add `
        + `it to spec.selector of ${name}`));
    }
    return found;
  }),
};

/** Whether two objects are the same object of the cluster: group, kind, namespace and name. */
function sameObject(a: WorkloadInfo, b: WorkloadInfo): boolean {
  return a.object.kind === b.object.kind && apiGroup(a.object.apiVersion) === apiGroup(b.object.apiVersion)
    && a.object.namespaceKey === b.object.namespaceKey && a.object.name !== undefined && a.object.name === b.object.name;
}
