import { ObjectInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { asNonEmptyString, getIn, isInteger, pointer, show } from '../lint/json';
import { apiGroup } from '../lint/kube';
import { LOCAL_ONLY, Rule, Violation, violation } from '../lint/rule';

/** The classes every cluster has; their values are above any user-defined class. */
const SYSTEM_CLASSES = ['system-node-critical', 'system-cluster-critical'];

/** NL111: the agent's pods can preempt other pods to get onto a full node. */
export const missingPriorityClass: Rule = {
  id: 'NL111',
  name: 'missing-priority-class',
  severity: Severity.WARNING,
  summary: 'The DaemonSet\'s pods have a priorityClassName whose class can preempt the workloads\' pods.',
  reason: 'The scheduler places a DaemonSet pod on its node like any pod, and when the node\'s CPU or memory is taken it '
    + 'preempts only pods of a lower priority. Without a priority class the agent has priority 0, like every pod that names '
    + 'none, so it stays Pending on a full node (a new node filled before the agent arrived, or a rollout whose new pod '
    + 'no longer fits), and the Local Service drops the traffic of every client there. kube-proxy, node-local-dns and '
    + 'ztunnel run as system-node-critical for this reason. A class with preemptionPolicy Never, or a value no higher than '
    + 'the default, preempts nothing either. '
    + 'See https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/ and '
    + 'https://kubernetes.io/docs/tasks/administer-cluster/guaranteed-scheduling-critical-addon-pods/',
  fix: 'Set spec.template.spec.priorityClassName to system-node-critical (on GKE outside kube-system, with a ResourceQuota '
    + 'scoped to that class in the namespace), or to a PriorityClass of yours with a value above your workloads\'.',
  limits: 'It knows the value of a PriorityClass only when the class is among the manifests: a class of the '
    + 'cluster is taken as named. It does not know how full the nodes are or the priorities of other workloads: with a '
    + 'globalDefault class in the manifests the agent gets that value like every pod that names no class, and preempts only '
    + 'pods of a lower class of their own. On GKE outside kube-system, system-node-critical also needs a ResourceQuota '
    + 'scoped to it, which this rule does not check.',
  trafficModes: LOCAL_ONLY,
  check: (context) => {
    const classes = new Map<string, ObjectInfo>();
    let globalDefault: ObjectInfo | undefined;
    for (const object of context.objects) {
      if (object.kind === 'PriorityClass' && apiGroup(object.apiVersion) === 'scheduling.k8s.io' && object.name !== undefined) {
        classes.set(object.name, object);
        if (getIn(object.raw, 'globalDefault') === true) {
          globalDefault ??= object;
        }
      }
    }
    const defaultValue = globalDefault !== undefined && isInteger(getIn(globalDefault.raw, 'value'))
      ? getIn(globalDefault.raw, 'value') as number : 0;
    const found: Violation[] = [];
    for (const daemonSet of context.checkedDaemonSets) {
      const name = daemonSet.object.display;
      const path = pointer(daemonSet.podSpecPath, 'priorityClassName');
      const field = `${daemonSet.podSpecPath.slice(1).replace(/\//g, '.')}.priorityClassName`;
      const stuck = 'so on a node whose CPU or memory is taken the scheduler preempts nothing for the agent\'s pod, which '
        + 'stays Pending: that node has no agent until something else leaves, and the Local Service drops its clients\' traffic';
      const className = asNonEmptyString(getIn(daemonSet.podSpec, 'priorityClassName'));
      if (className === undefined) {
        if (globalDefault !== undefined) {
          continue; // it gets the default class's value: the manifests chose it
        }
        found.push(violation(daemonSet.object, path,
          `${name} has no priorityClassName: its pods have priority 0, like every pod that names no class, ${stuck}`,
          `Set ${field}: system-node-critical on ${name} (as kube-proxy and node-local-dns do; on GKE outside kube-system, `
          + 'also add a ResourceQuota to its namespace with scopeSelector {matchExpressions: [{scopeName: PriorityClass, '
          + 'operator: In, values: [system-node-critical]}]}), or name a PriorityClass of yours with a value above your workloads\''));
        continue;
      }
      const priorityClass = classes.get(className);
      if (priorityClass === undefined || SYSTEM_CLASSES.includes(className)) {
        continue; // a class of the cluster: the manifests cannot tell its value
      }
      const value = getIn(priorityClass.raw, 'value');
      const classField = `PriorityClass ${className}`;
      if (getIn(priorityClass.raw, 'preemptionPolicy') === 'Never') {
        found.push({
          ...violation(daemonSet.object, path,
            `${name} uses ${classField}, whose preemptionPolicy is Never, ${stuck}`,
            `Remove preemptionPolicy: Never from ${classField} (PreemptLowerPriority is the default), or set ${field} of `
            + `${name} to system-node-critical`),
          related: [{ object: priorityClass, path: '/preemptionPolicy' }],
        });
      } else if (isInteger(value) && value <= defaultValue) {
        found.push({
          ...violation(daemonSet.object, path,
            `${name} uses ${classField}, whose value ${show(value)} is not above the default priority ${defaultValue} of `
            + `pods that name no class, ${stuck}`,
            `Raise the value of ${classField} above your workloads' priorities (user classes go up to 1000000000), or set `
            + `${field} of ${name} to system-node-critical`),
          related: [{ object: priorityClass, path: '/value' }],
        });
      }
    }
    return found;
  },
};
