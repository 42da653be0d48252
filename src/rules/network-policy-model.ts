/**
 * What Kubernetes NetworkPolicies (networking.k8s.io/v1) let through, as far as the manifests
 * tell: the policies the API server would accept, indexed by namespace, and a three-valued
 * evaluation (yes, no, unknown) of which pods a policy selects and which traffic a rule admits.
 * Unknown is an honest answer: a namespace's labels when its Namespace is not among the
 * manifests, labels a controller adds to pods, pod IPs against an ipBlock, and anything seen
 * from the node's address rather than a pod's.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { Peer, PolicyInfo, PolicyRule, PolicyPort, readPolicy } from './network-policy-read';
import { ContainerPortInfo, LintContext, WorkloadInfo } from '../lint/context';
import { asArray, getIn, stringMap } from '../lint/json';
import { apiGroup } from '../lint/kube';

/** A three-valued answer, with why it is unknown when it is. */
export interface Tri {
  readonly truth: 'yes' | 'no' | 'unknown';
  /** Why the answer is unknown (empty otherwise). */
  readonly why: readonly string[];
}

export const YES: Tri = { truth: 'yes', why: [] };
export const NO: Tri = { truth: 'no', why: [] };

/** An unknown answer, for the reason given. */
export function unknown(why: string): Tri {
  return { truth: 'unknown', why: [why] };
}

/** Both hold. */
export function and(a: Tri, b: Tri): Tri {
  if (a.truth === 'no' || b.truth === 'no') {
    return NO;
  }
  if (a.truth === 'yes') {
    return b;
  }
  return b.truth === 'yes' ? a : { truth: 'unknown', why: union(a.why, b.why) };
}

/** Either holds. */
export function or(a: Tri, b: Tri): Tri {
  if (a.truth === 'yes' || b.truth === 'yes') {
    return YES;
  }
  if (a.truth === 'no') {
    return b;
  }
  return b.truth === 'no' ? a : { truth: 'unknown', why: union(a.why, b.why) };
}

/** It does not hold. */
export function not(a: Tri): Tri {
  return a.truth === 'yes' ? NO : a.truth === 'no' ? YES : a;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** What the manifests tell of the labels of a pod or a namespace. */
export interface LabelFacts {
  /** The labels it certainly has. */
  readonly known: ReadonlyMap<string, string>;
  /** Keys it may have, with values the manifests do not give (labels a controller adds), and why. */
  readonly uncertain: ReadonlyMap<string, string>;
  /** Why any other key may be set too, when the labels are not all known (a Namespace not in the manifests). */
  readonly openWhy?: string;
}

/** A pod, or a set of pods, on one side of a connection. */
export interface Endpoint {
  /** Its workload, for messages. */
  readonly workload: WorkloadInfo;
  readonly namespaceKey: string;
  readonly namespaceLabels: LabelFacts;
  readonly podLabels: LabelFacts;
  /**
   * Why pod and namespace selectors may not see its traffic as its own (it runs on the host
   * network, or reaches the agent through the node's address); undefined when they do.
   */
  readonly nodeAddressWhy?: string;
}

/** Traffic to one port of a destination pod: the number (or the numbers it may be seen at) and the protocol. */
export interface TrafficPort {
  readonly numbers: readonly number[];
  readonly protocol: string;
}

/** Labels the controllers of each kind add to the pods they create, whose values the manifests do not give. */
const CONTROLLER_LABELS: ReadonlyMap<string, readonly string[]> = new Map([
  ['DaemonSet', ['controller-revision-hash', 'pod-template-generation']],
  ['Deployment', ['pod-template-hash']],
  ['StatefulSet', ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']],
  ['Job', ['controller-uid', 'job-name', 'batch.kubernetes.io/job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index']],
  ['CronJob', ['controller-uid', 'job-name', 'batch.kubernetes.io/job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index']],
]);

/** The label the API server sets on every namespace to its name. */
/** What NL016 and NL017 cannot see, in the words of their limits. */
export const POLICY_BLIND_SPOTS = 'It sees only networking.k8s.io/v1 NetworkPolicies among the manifests: policies already in '
  + 'the cluster, CNI-specific policies (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico NetworkPolicy and '
  + 'GlobalNetworkPolicy, Antrea policies), AdminNetworkPolicy and BaselineAdminNetworkPolicy are invisible to it, and so '
  + 'is a network plugin that enforces no policy at all. A Namespace among the manifests is taken to have exactly its '
  + 'labels and kubernetes.io/metadata.name, a pod the labels of its template (labels set later by kubectl label or a '
  + 'webhook are not seen); a policy the API server would reject is not evaluated. It assumes, as kube-proxy and the '
  + 'common plugins behave, that policies see the pod behind a Service rather than its cluster IP.';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The NetworkPolicies and Namespaces of one lint, indexed once. */
export class PolicyIndex {
  /** The index of a lint, built on first use. */
  public static of(context: LintContext): PolicyIndex {
    let index = INDEXES.get(context);
    if (index === undefined) {
      index = new PolicyIndex(context);
      INDEXES.set(context, index);
    }
    return index;
  }

  private readonly byNamespace = new Map<string, PolicyInfo[]>();
  private readonly namespaces = new Map<string, Map<string, string>>();

  private constructor(context: LintContext) {
    for (const object of context.objects) {
      const group = apiGroup(object.apiVersion);
      if (object.kind === 'NetworkPolicy' && group === 'networking.k8s.io') {
        const policy = readPolicy(object);
        if (policy !== undefined) {
          const list = this.byNamespace.get(object.namespaceKey);
          if (list === undefined) {
            this.byNamespace.set(object.namespaceKey, [policy]);
          } else {
            list.push(policy);
          }
        }
      } else if (object.kind === 'Namespace' && group === '' && object.name !== undefined) {
        this.namespaces.set(object.name, stringMap(getIn(object.raw, 'metadata', 'labels')));
      }
    }
  }

  /** The policies of a namespace that isolate pods in a direction, in input order. */
  public policies(namespaceKey: string, direction: 'ingress' | 'egress'): PolicyInfo[] {
    return (this.byNamespace.get(namespaceKey) ?? []).filter((p) => p[direction]);
  }

  /** A workload's pods as one side of a connection. */
  public endpoint(workload: WorkloadInfo, nodeAddressWhy?: string): Endpoint {
    const uncertain = new Map<string, string>();
    for (const key of CONTROLLER_LABELS.get(workload.object.kind) ?? []) {
      uncertain.set(key, `the ${workload.object.kind} controller sets the label ${key} on its pods, with a value the manifests do not give`);
    }
    return {
      workload,
      namespaceKey: workload.object.namespaceKey,
      namespaceLabels: this.namespaceLabels(workload.object.namespaceKey),
      podLabels: { known: workload.labels, uncertain },
      nodeAddressWhy,
    };
  }

  private namespaceLabels(namespaceKey: string): LabelFacts {
    if (namespaceKey === '') {
      return { known: new Map(), uncertain: new Map(), openWhy: 'the namespace is not set, so its name and labels are unknown' };
    }
    const declared = this.namespaces.get(namespaceKey);
    if (declared === undefined) {
      return {
        known: new Map([[NAMESPACE_NAME_LABEL, namespaceKey]]),
        uncertain: new Map(),
        openWhy: `Namespace ${namespaceKey} is not among the manifests, so its labels other than ${NAMESPACE_NAME_LABEL} are unknown`,
      };
    }
    return { known: new Map([...declared, [NAMESPACE_NAME_LABEL, namespaceKey]]), uncertain: new Map() };
  }
}

const INDEXES = new WeakMap<LintContext, PolicyIndex>();

/** Whether a policy selects the endpoint's pods (its podSelector, in its own namespace only). */
export function selects(policy: PolicyInfo, endpoint: Endpoint): Tri {
  if (policy.object.namespaceKey !== endpoint.namespaceKey) {
    return NO;
  }
  return selectorTruth(policy.podSelector, endpoint.podLabels);
}

/**
 * Whether a rule of `policy` admits traffic between the policy's pods and `remote` on `port`;
 * `destination` is the pod the traffic goes to, whose container ports give named ports their number.
 */
export function ruleAdmits(policy: PolicyInfo, rule: PolicyRule, remote: Endpoint, port: TrafficPort, destination: ContainerPortInfo[]): Tri {
  const ports = portsMatch(rule, port, destination);
  if (ports.truth === 'no' || rule.peers === undefined) {
    return ports;
  }
  let peers: Tri = NO;
  for (const peer of rule.peers) {
    peers = or(peers, peerMatches(policy, peer, remote));
    if (peers.truth === 'yes') {
      break;
    }
  }
  return and(ports, peers);
}

/** Whether some port of the rule is the traffic's port (named ports resolved on the destination pod). */
export function portsMatch(rule: PolicyRule, port: TrafficPort, destination: ContainerPortInfo[]): Tri {
  if (rule.ports === undefined) {
    return YES;
  }
  const seen = port.numbers.map((n) => rule.ports!.some((p) => policyPortMatches(p, n, port.protocol, destination)));
  if (seen.every((s) => s)) {
    return YES;
  }
  if (seen.every((s) => !s)) {
    return NO;
  }
  return unknown(`the traffic may reach the network plugin at port ${port.numbers.join(' or ')}, and only some of those are admitted`);
}

function policyPortMatches(p: PolicyPort, number: number, protocol: string, destination: ContainerPortInfo[]): boolean {
  if (p.protocol !== protocol) {
    return false;
  }
  if (p.port === undefined) {
    return true;
  }
  if (typeof p.port === 'string') {
    return destination.some((c) => c.name === p.port && c.protocol === protocol && c.containerPort === number);
  }
  return p.endPort === undefined ? p.port === number : p.port <= number && number <= p.endPort;
}

function peerMatches(policy: PolicyInfo, peer: Peer, remote: Endpoint): Tri {
  if (peer.kind === 'ipBlock') {
    return unknown(`an ipBlock (${peer.cidr}) admits it only if the network plugin matches pod addresses against ipBlocks: `
      + 'Calico does, Cilium never does (cilium/cilium#9209), and pod IPs are not in the manifests');
  }
  const namespace = peer.namespaceSelector !== undefined
    ? selectorTruth(peer.namespaceSelector, remote.namespaceLabels)
    : policy.object.namespaceKey === remote.namespaceKey ? YES : NO;
  const match = peer.podSelector !== undefined ? and(namespace, selectorTruth(peer.podSelector, remote.podLabels)) : namespace;
  if (match.truth !== 'no' && remote.nodeAddressWhy !== undefined) {
    return unknown(remote.nodeAddressWhy);
  }
  return match;
}

/**
 * Whether labels satisfy a valid label selector (matchLabels and matchExpressions); an empty
 * selector selects everything.
 */
export function selectorTruth(selector: unknown, facts: LabelFacts): Tri {
  let result: Tri = YES;
  for (const [key, value] of stringMap(getIn(selector, 'matchLabels'))) {
    result = and(result, requirement(facts, key, (actual) => actual === value));
    if (result.truth === 'no') {
      return NO;
    }
  }
  for (const expression of asArray(getIn(selector, 'matchExpressions'))) {
    const key = getIn(expression, 'key') as string;
    const values = asArray(getIn(expression, 'values')) as string[];
    const test: (actual: string | undefined) => boolean = {
      In: (actual: string | undefined) => actual !== undefined && values.includes(actual),
      NotIn: (actual: string | undefined) => actual === undefined || !values.includes(actual),
      Exists: (actual: string | undefined) => actual !== undefined,
      DoesNotExist: (actual: string | undefined) => actual === undefined,
    }[getIn(expression, 'operator') as 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'];
    result = and(result, requirement(facts, key, test));
    if (result.truth === 'no') {
      return NO;
    }
  }
  return result;
}

/** Whether one label requirement holds, given the value of the label (undefined when absent). */
function requirement(facts: LabelFacts, key: string, test: (actual: string | undefined) => boolean): Tri {
  if (facts.known.has(key)) {
    return test(facts.known.get(key)) ? YES : NO;
  }
  const why = facts.uncertain.get(key) ?? facts.openWhy;
  if (why === undefined) {
    return test(undefined) ? YES : NO;
  }
  // absent, or present with any value: every operator can then go either way
  return unknown(why);
}
