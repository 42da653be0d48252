/**
 * What Kubernetes NetworkPolicies (networking.k8s.io/v1) let through, as far as the manifests
 * tell: the policies the API server would accept, indexed by namespace, and a three-valued
 * evaluation (yes, no, unknown) of which pods a policy selects and which traffic a rule admits.
 * Unknown is an honest answer: a namespace's labels when its Namespace is not among the
 * manifests, labels a controller adds to pods, pod IPs against an ipBlock, and anything seen
 * from the node's address rather than a pod's.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { ContainerPortInfo, LintContext, ObjectInfo, WorkloadInfo } from '../lint/context';
import { asArray, asObject, getIn, isInteger, JsonObject, pointer, stringMap } from '../lint/json';
import { apiGroup, ianaServiceNameError, matchLabelSelector, PORT_PROTOCOLS } from '../lint/kube';

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

/** One rule of a policy: traffic it admits must match a peer and a port. */
export interface PolicyRule {
  /** JSON pointer of the rule in its policy, e.g. `/spec/ingress/0`. */
  readonly path: string;
  /** The peers (`from` or `to`); undefined when the rule admits every peer. */
  readonly peers?: Peer[];
  /** The ports; undefined when the rule admits every port. */
  readonly ports?: PolicyPort[];
}

/** A peer of a rule. */
export type Peer =
  | { readonly kind: 'ipBlock'; readonly cidr: string }
  | { readonly kind: 'selectors'; readonly podSelector?: unknown; readonly namespaceSelector?: unknown };

/** A port of a rule, after defaulting (protocol TCP). */
export interface PolicyPort {
  readonly protocol: string;
  /** A number, a port name, or undefined for every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** A NetworkPolicy the API server would accept. */
export interface PolicyInfo {
  readonly object: ObjectInfo;
  readonly podSelector: unknown;
  /** Whether it isolates the pods it selects for ingress and for egress (policyTypes, or as Kubernetes implies them). */
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly ingressRules: PolicyRule[];
  readonly egressRules: PolicyRule[];
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

/** A NetworkPolicy as the API server accepts it, with Kubernetes' defaults; undefined when it would be rejected. */
function readPolicy(object: ObjectInfo): PolicyInfo | undefined {
  const spec = getIn(object.raw, 'spec');
  if (spec !== undefined && spec !== null && asObject(spec) === undefined) {
    return undefined;
  }
  const podSelector = getIn(spec, 'podSelector') ?? {};
  if (!validSelector(podSelector)) {
    return undefined;
  }
  const ingressRules = readRules(getIn(spec, 'ingress'), '/spec/ingress', 'from');
  const egressRules = readRules(getIn(spec, 'egress'), '/spec/egress', 'to');
  if (ingressRules === undefined || egressRules === undefined) {
    return undefined;
  }
  const rawTypes = getIn(spec, 'policyTypes');
  let ingress: boolean;
  let egress: boolean;
  if (rawTypes === undefined || rawTypes === null || (Array.isArray(rawTypes) && rawTypes.length === 0)) {
    // Kubernetes' default: Ingress always, Egress when there are egress rules
    ingress = true;
    egress = egressRules.length > 0;
  } else if (Array.isArray(rawTypes) && rawTypes.length <= 2 && rawTypes.every((t) => t === 'Ingress' || t === 'Egress')
    && new Set(rawTypes).size === rawTypes.length) {
    ingress = rawTypes.includes('Ingress');
    egress = rawTypes.includes('Egress');
  } else {
    return undefined;
  }
  return { object, podSelector, ingress, egress, ingressRules, egressRules };
}

function readRules(value: unknown, path: string, peersKey: 'from' | 'to'): PolicyRule[] | undefined {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const rules: PolicyRule[] = [];
  for (const [i, raw] of Array.from(value).entries()) {
    if (raw !== null && raw !== undefined && asObject(raw) === undefined) {
      return undefined;
    }
    const peers = readList(getIn(raw, peersKey), readPeer);
    const ports = readList(getIn(raw, 'ports'), readPort);
    if (peers === false || ports === false) {
      return undefined;
    }
    rules.push({ path: pointer(path, i), peers, ports });
  }
  return rules;
}

/** A list of a rule: undefined when absent or empty (every peer or port), false when invalid. */
function readList<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined | false {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    return false;
  }
  const items: T[] = [];
  for (const raw of Array.from(value)) {
    const item = read(raw);
    if (item === undefined) {
      return false;
    }
    items.push(item);
  }
  return items.length === 0 ? undefined : items;
}

function readPeer(raw: unknown): Peer | undefined {
  const peer = asObject(raw);
  if (peer === undefined) {
    return undefined;
  }
  const present = (key: string): boolean => getIn(peer, key) !== undefined && getIn(peer, key) !== null;
  if (present('ipBlock')) {
    const cidr = getIn(peer, 'ipBlock', 'cidr');
    const except = getIn(peer, 'ipBlock', 'except');
    const exceptOk = except === undefined || except === null || (Array.isArray(except) && except.every((e) => typeof e === 'string'));
    if (present('podSelector') || present('namespaceSelector') || typeof cidr !== 'string' || cidr === '' || !exceptOk) {
      return undefined;
    }
    return { kind: 'ipBlock', cidr };
  }
  const podSelector = present('podSelector') ? getIn(peer, 'podSelector') : undefined;
  const namespaceSelector = present('namespaceSelector') ? getIn(peer, 'namespaceSelector') : undefined;
  if (podSelector === undefined && namespaceSelector === undefined) {
    return undefined; // a peer must name something
  }
  if ((podSelector !== undefined && !validSelector(podSelector)) || (namespaceSelector !== undefined && !validSelector(namespaceSelector))) {
    return undefined;
  }
  return { kind: 'selectors', podSelector, namespaceSelector };
}

function readPort(raw: unknown): PolicyPort | undefined {
  const entry: JsonObject | undefined = raw === null ? {} : asObject(raw);
  if (entry === undefined) {
    return undefined;
  }
  const rawProtocol = getIn(entry, 'protocol');
  const protocol = rawProtocol === undefined || rawProtocol === null ? 'TCP' : rawProtocol;
  if (typeof protocol !== 'string' || !PORT_PROTOCOLS.includes(protocol)) {
    return undefined;
  }
  const port = getIn(entry, 'port');
  const endPort = getIn(entry, 'endPort');
  const hasEnd = endPort !== undefined && endPort !== null;
  if (port === undefined || port === null) {
    return hasEnd ? undefined : { protocol };
  }
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) {
      return readNumberPort(Number(port), endPort, hasEnd, protocol); // an int-or-string given as a string
    }
    return ianaServiceNameError(port) === undefined && !hasEnd ? { protocol, port } : undefined;
  }
  return readNumberPort(port, endPort, hasEnd, protocol);
}

function readNumberPort(port: unknown, endPort: unknown, hasEnd: boolean, protocol: string): PolicyPort | undefined {
  if (!isInteger(port) || port < 1 || port > 65535) {
    return undefined;
  }
  if (!hasEnd) {
    return { protocol, port };
  }
  return isInteger(endPort) && endPort >= port && endPort <= 65535 ? { protocol, port, endPort } : undefined;
}

function validSelector(selector: unknown): boolean {
  if (selector !== null && selector !== undefined && asObject(selector) === undefined) {
    return false;
  }
  return matchLabelSelector(selector, new Map()).invalid.length === 0;
}
