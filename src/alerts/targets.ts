// What the alerts need to know about each node-local Service and the DaemonSets behind it, read
// from the manifests through the rule engine's index, so that the construct and the command
// describe an agent the same way.
import { isLabelKey, isLabelValue } from '../k8s-names';
import { LintContext, WorkloadInfo } from '../lint/context';
import { asObject, getIn, stringMap } from '../lint/json';
import { dns1035LabelError, dns1123LabelError, effectiveUpdateStrategy } from '../lint/kube';
import { nodeRestrictions, NodeRequirements, onlyPlatform, readNodeRequirements } from '../rules/placement';
import { readTolerations, TaintEffect } from '../rules/tolerations';

/**
 * How the Service routes a client whose node has no ready agent: the engine's traffic mode
 * (`Local` drops, `PreferSameNode` goes to another node), or `Cluster` for a Service that keeps
 * nothing on the node (a declared pair whose Service is neither).
 */
export type TrafficMode = 'Local' | 'PreferSameNode' | 'Cluster';

/** The taints a toleration tolerates; `key` or `value` undefined means any. */
export interface ToleratedTaints {
  readonly key?: string;
  readonly value?: string;
  readonly effects: readonly TaintEffect[];
}

/** A DaemonSet that serves a node-local Service. */
export interface AgentDaemonSet {
  readonly name: string;
  /** The NoSchedule and NoExecute taints its pods tolerate; undefined when they tolerate every one. */
  readonly tolerations?: readonly ToleratedTaints[];
  /** Whether a nodeSelector, nodeName or required node affinity keeps it off some nodes. */
  readonly restricted: boolean;
  /** Whether a changed pod template rolls out by itself (RollingUpdate), rather than OnDelete. */
  readonly rollsOut: boolean;
  /** Its `spec.selector.matchLabels` as a kubectl `-l` argument, when it has only those. */
  readonly podSelector?: string;
}

/** One node-local Service, the unit the alerts are grouped by. */
export interface AlertTarget {
  readonly namespace: string;
  readonly service: string;
  readonly mode: TrafficMode;
  /** Each at least once, in input order. */
  readonly daemonSets: readonly AgentDaemonSet[];
}

/** The targets, and what keeps some objects from being one (each names the object and the fix). */
export interface TargetReading {
  readonly targets: AlertTarget[];
  readonly problems: string[];
}

/**
 * The node-local Services of the context that have a DaemonSet, in input order.
 *
 * @param defaultNamespace the namespace of objects without one; undefined when it is unknown,
 * which is a problem for an object without namespace
 */
export function readTargets(context: LintContext, defaultNamespace: string | undefined): TargetReading {
  const targets: AlertTarget[] = [];
  const problems: string[] = [];
  for (const service of context.checkedServices) {
    const pairs = context.pairsOf(service);
    if (pairs.length === 0) {
      continue; // the engine reports a Service without DaemonSet; there is no pod to watch
    }
    const namespace = service.object.namespace ?? defaultNamespace;
    const serviceName = service.object.name ?? '';
    const who = service.object.display;
    if (namespace === undefined) {
      problems.push(`${who} has no namespace, and the alerts select its pods by namespace: set metadata.namespace (or the chart's namespace)`);
      continue;
    }
    const nameProblems = [
      nameProblem(who, 'namespace', namespace, dns1123LabelError(namespace)),
      nameProblem(who, 'name', serviceName, dns1035LabelError(serviceName)),
      ...pairs.map((p) => nameProblem(p.daemonSet.object.display, 'name', p.daemonSet.object.name ?? '', dns1123SubdomainError(p.daemonSet.object.name ?? ''))),
    ].filter((p): p is string => p !== undefined);
    if (nameProblems.length > 0) {
      problems.push(...nameProblems);
      continue;
    }
    targets.push({
      namespace,
      service: serviceName,
      mode: service.mode ?? 'Cluster',
      daemonSets: pairs.map((p) => readDaemonSet(p.daemonSet)),
    });
  }
  return { targets, problems };
}

function readDaemonSet(workload: WorkloadInfo): AgentDaemonSet {
  const patterns = readTolerations(workload, true);
  const everyTaint = (effect: TaintEffect) => patterns.some((p) => p.key === undefined && p.value === undefined && p.effects.includes(effect));
  const tolerations = everyTaint('NoSchedule') && everyTaint('NoExecute')
    ? undefined
    : patterns.map(({ key, value, effects }) => ({ key, value, effects }));
  return {
    name: workload.object.name!,
    tolerations,
    restricted: keptOffNodes(readNodeRequirements(workload)),
    rollsOut: effectiveUpdateStrategy(workload.object.raw).type !== 'OnDelete',
    podSelector: podSelector(workload.object.raw),
  };
}

/**
 * Whether the node requirements keep the pods off some nodes that run DaemonSet pods. Unlike the
 * coverage rules, an OS or architecture requirement counts: a Linux agent never runs on the
 * cluster's Windows nodes, and an alert must not expect it there. Excluding EKS Fargate or
 * virtual-kubelet nodes does not count: no DaemonSet pod runs there anyway.
 */
function keptOffNodes(requirements: NodeRequirements): boolean {
  const platform = onlyPlatform(requirements);
  return nodeRestrictions(requirements) !== undefined
    || platform.base.length > 0
    || platform.terms.some((t) => t.precise.length > 0);
}

/** Only a selector Kubernetes accepts is shown in a kubectl command, where it must not carry template syntax. */
function podSelector(daemonSet: unknown): string | undefined {
  const selector = asObject(getIn(daemonSet, 'spec', 'selector'));
  if (selector === undefined || getIn(selector, 'matchExpressions') !== undefined) {
    return undefined;
  }
  const labels = [...stringMap(getIn(selector, 'matchLabels'))];
  if (labels.length === 0 || !labels.every(([k, v]) => isLabelKey(k) && isLabelValue(v))) {
    return undefined;
  }
  return labels.map(([k, v]) => `${k}=${v}`).join(',');
}

/** Why a name is not a DNS-1123 subdomain (what a DaemonSet name must be), or undefined. */
function dns1123SubdomainError(name: string): string | undefined {
  if (name.length === 0 || name.length > 253) {
    return `it is ${name.length} characters long, a DaemonSet name has 1 to 253`;
  }
  const labelsOk = name.split('.').every((label) => label.length > 0 && dns1123LabelError(label) === undefined);
  return labelsOk ? undefined : 'it must consist of lower case letters, digits, \'-\' and \'.\', and start and end with a letter or digit';
}

function nameProblem(who: string, field: string, value: string, error: string | undefined): string | undefined {
  return error === undefined ? undefined
    : `${who} has the ${field} ${JSON.stringify(value)}, which Kubernetes rejects (${error}): fix the name in the manifest`;
}
