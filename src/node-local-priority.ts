// The agent's priority: a DaemonSet pod preempts only pods of a lower priority, so without one it
// stays Pending on a full node and that node has no local endpoint. cdk8s-plus-27's DaemonSetProps
// has no priorityClassName: it is a JSON patch on the pod spec.
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isDns1123Subdomain } from './k8s-names';

/** The class of kube-proxy, node-local-dns and ztunnel, built into every cluster. */
export const DEFAULT_PRIORITY_CLASS = 'system-node-critical';

/** The built-in classes that GKE admits only in a namespace with a ResourceQuota scoped to them. */
const CRITICAL_CLASSES = ['system-node-critical', 'system-cluster-critical'];

/** The priority class in force: the one given, checked, or the default. */
export function resolvePriorityClassName(value: unknown): string {
  if (value === undefined) {
    return DEFAULT_PRIORITY_CLASS;
  }
  if (typeof value !== 'string' || value.length > 253 || !isDns1123Subdomain(value)) {
    throw new Error(`priorityClassName ${JSON.stringify(value) ?? String(value)} is not a PriorityClass name: use a DNS subdomain `
      + `(lower-case letters, digits, '-' and '.', at most 253 characters), e.g. '${DEFAULT_PRIORITY_CLASS}' or the name of a PriorityClass of yours`);
  }
  return value;
}

/**
 * For a critical class outside kube-system, a ResourceQuota scoped to it: GKE admits pods of the
 * critical classes only in namespaces that have one (its own is in kube-system), and other
 * clusters ignore it. Its limit is GKE's own for kube-system, so it never limits the agent.
 * Defined before the DaemonSet, so that it is applied first.
 *
 * @param namespace the namespace of the agent, undefined when unknown
 * @param name the quota's name, undefined for a generated one
 */
export function addPriorityQuota(scope: Construct, className: string, namespace: string | undefined, name: string | undefined): void {
  if (!CRITICAL_CLASSES.includes(className) || namespace === 'kube-system') {
    return;
  }
  new k8s.KubeResourceQuota(scope, 'CriticalPodsQuota', {
    metadata: { ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}) },
    spec: {
      hard: { pods: k8s.Quantity.fromString('1G') },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [className] }] },
    },
  });
}

/** Writes the priority class on the pod template. */
export function applyPriorityClass(daemonSet: ApiObject, className: string): void {
  daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', className));
}
