/**
 * Where a pod can run, as the scheduler and the DaemonSet controller decide it from its pod spec,
 * and whether every node one pod spec can land on is a node another can run on. The model:
 *
 * - A node is a map of labels, a name and a set of taints; any combination can exist, since the
 *   rule sees manifests, not the cluster.
 * - A pod fits a node when the labels satisfy its nodeSelector AND one of the terms of its required
 *   node affinity (`matchExpressions` ANDed; `nodeSelectorTerms` ORed; an empty term matches no
 *   node), its nodeName (if any) is the node's name, and it tolerates every NoSchedule and
 *   NoExecute taint of the node (PreferNoSchedule never keeps a pod away). A pod with nodeName
 *   bypasses the scheduler: the kubelet only rejects it for NoExecute taints.
 * - A DaemonSet's pods also get the tolerations the DaemonSet controller adds.
 *
 * Labels and taints are independent, so coverage splits in two exact questions: is every label
 * set the client accepts accepted by the agent, and is every taint the client tolerates tolerated
 * by the agent. In, NotIn, Exists, DoesNotExist, nodeSelector and nodeName are decided exactly.
 * Anything else (Gt, Lt, matchFields, a malformed expression) is "opaque": on the client it is
 * dropped (the client is assumed to land on more nodes, which keeps a "covered" answer sound), on
 * the agent its term counts as covering nothing unless the client's term has the very same
 * expression. Whenever an opaque part could change the answer, the verdict is "unproven".
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
 */
import { WorkloadInfo } from '../lint/context';
import { asArray, asNonEmptyString, asObject, getIn, isInteger, pointer, show, stringMap } from '../lint/json';

// ---------------------------------------------------------------------------------------------
// Label domains: the values a node may have for one label key.

/**
 * The values one key may take: `absent` whether a node without the label is in, and the present
 * values, either exactly `values` or (when `negated`) every value but `values`.
 */
interface Domain {
  readonly absent: boolean;
  readonly negated: boolean;
  readonly values: ReadonlySet<string>;
}

const NO_VALUES: ReadonlySet<string> = new Set();
const ANY: Domain = { absent: true, negated: true, values: NO_VALUES };
const PRESENT: Domain = { absent: false, negated: true, values: NO_VALUES };

/**
 * The key that stands for the node's name (nodeName): a label key cannot contain NUL, and a node
 * always has a name, so a product that mentions it keeps it present.
 */
const NODE_NAME = '\u0000nodeName';

function intersect(a: Domain, b: Domain): Domain {
  const absent = a.absent && b.absent;
  if (!a.negated && !b.negated) {
    return { absent, negated: false, values: new Set([...a.values].filter((v) => b.values.has(v))) };
  }
  if (!a.negated || !b.negated) {
    const [set, excluded] = a.negated ? [b, a] : [a, b];
    return { absent, negated: false, values: new Set([...set.values].filter((v) => !excluded.values.has(v))) };
  }
  return { absent, negated: true, values: new Set([...a.values, ...b.values]) };
}

function complement(d: Domain): Domain {
  return { absent: !d.absent, negated: !d.negated, values: d.values };
}

function isEmpty(d: Domain): boolean {
  return !d.absent && !d.negated && d.values.size === 0;
}

function contains(d: Domain, value: string | undefined): boolean {
  if (value === undefined) {
    return d.absent;
  }
  return d.negated ? !d.values.has(value) : d.values.has(value);
}

/** A set of nodes given by one domain per key (keys not in the map are unconstrained). */
type Product = ReadonlyMap<string, Domain>;

function domainOf(product: Product, key: string): Domain {
  return product.get(key) ?? ANY;
}

function withDomain(product: Product, key: string, domain: Domain): Product {
  return new Map(product).set(key, domain);
}

function isEmptyProduct(product: Product): boolean {
  for (const domain of product.values()) {
    if (isEmpty(domain)) {
      return true;
    }
  }
  return false;
}

/** A node's labels (and name under NODE_NAME) that shows a gap; an absent key is undefined. */
export type Witness = ReadonlyMap<string, string | undefined>;

/** How many pieces one comparison may look at before it gives up (the split is exponential in the number of terms). */
const COMPARISON_BUDGET = 20000;

/** What is left of a comparison's budget; once exhausted, every search answers undefined. */
interface Budget {
  left: number;
}

/**
 * A piece of the non-empty `p` outside every product of `qs`, or undefined when `qs` cover `p`
 * (or the budget ran out: the caller checks). Exact: it splits `p` minus the first product into
 * disjoint non-empty pieces (one per key of that product) and checks each against the rest.
 */
function findUncovered(p: Product, qs: readonly Product[], budget: Budget): Product | undefined {
  if (--budget.left < 0) {
    return undefined;
  }
  if (qs.length === 0) {
    return p;
  }
  const [q, ...rest] = qs;
  let inside = p;
  for (const [key, qDomain] of q) {
    const pDomain = domainOf(inside, key);
    const outside = intersect(pDomain, complement(qDomain));
    if (!isEmpty(outside)) {
      const found = findUncovered(withDomain(inside, key, outside), rest, budget);
      if (found !== undefined) {
        return found;
      }
    }
    const both = intersect(pDomain, qDomain);
    if (isEmpty(both)) {
      return undefined;
    }
    inside = withDomain(inside, key, both);
  }
  return undefined;
}

/** The name of a witness node that is not one the manifests name. */
const ANOTHER_NODE = 'another-node';

/** A value not among `taken`, for a witness. */
function freshValue(taken: ReadonlySet<string>, base: string): string {
  let candidate = base;
  for (let i = 2; taken.has(candidate); i++) {
    candidate = `${base}-${i}`;
  }
  return candidate;
}

/** One concrete node of a non-empty product: without a label where allowed, else a value it allows. */
function pickWitness(product: Product): Witness {
  const witness = new Map<string, string | undefined>();
  for (const [key, domain] of product) {
    if (domain.absent) {
      witness.set(key, undefined);
    } else if (!domain.negated) {
      witness.set(key, [...domain.values].sort()[0]);
    } else {
      witness.set(key, freshValue(domain.values, key === NODE_NAME ? ANOTHER_NODE : 'other'));
    }
  }
  return witness;
}

// ---------------------------------------------------------------------------------------------
// Label requirements, read from a pod spec.

/** A requirement the comparison decides exactly. */
export interface LabelRequirement {
  readonly key: string;
  readonly domain: Domain;
  /** Where it comes from. */
  readonly source: 'nodeSelector' | 'nodeName' | 'affinity';
  /** e.g. `pool=agents`, `pool In ["a","b"]` or `node-1`. */
  readonly display: string;
  /** The expression as written (an affinity requirement), for a fix. */
  readonly raw?: unknown;
}

/** A requirement the comparison does not reason about (Gt, Lt, matchFields, malformed). */
export interface OpaqueRequirement {
  /** e.g. `matchExpressions zone Gt ["3"]`. */
  readonly display: string;
  /** JSON pointer below the pod spec. */
  readonly path: string;
  /** Identifies the same expression in another pod spec; undefined when it cannot. */
  readonly signature?: string;
}

/** One way a pod spec accepts a node: requirements ANDed. */
export interface Term {
  readonly precise: readonly LabelRequirement[];
  readonly opaque: readonly OpaqueRequirement[];
  readonly product: Product;
  readonly signatures: ReadonlySet<string>;
}

const REQUIRED_PATH = ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'];

/** The node requirements of a pod spec: nodeSelector, nodeName and required node affinity. */
export interface NodeRequirements {
  /** The nodeSelector and nodeName requirements, part of every term. */
  readonly base: readonly LabelRequirement[];
  /** The ways the pod accepts a node (ORed); one when it has no required node affinity, none when it accepts no node. */
  readonly terms: readonly Term[];
  /** Whether it has a required node affinity. */
  readonly hasAffinity: boolean;
  /** Its nodeName. */
  readonly nodeName?: string;
  /** Its non-empty nodeSelector. */
  readonly nodeSelector?: Map<string, string>;
}

function requirementSignature(section: string, key: unknown, operator: unknown, values: unknown): string | undefined {
  try {
    const list = Array.isArray(values) ? [...values].map((v) => JSON.stringify(v)).sort() : JSON.stringify(values ?? null);
    return JSON.stringify([section, key, operator, list]);
  } catch {
    return undefined;
  }
}

/** A `matchExpressions` entry as a requirement, or opaque when it is not In/NotIn/Exists/DoesNotExist done right. */
function readExpression(expression: unknown, path: string): LabelRequirement | OpaqueRequirement {
  const key = getIn(expression, 'key');
  const operator = getIn(expression, 'operator');
  const rawValues = getIn(expression, 'values');
  const values = rawValues === undefined || rawValues === null ? [] : rawValues;
  const display = `${typeof key === 'string' ? key : show(key)} ${typeof operator === 'string' ? operator : show(operator)}`
    + (Array.isArray(values) && values.length === 0 && (operator === 'Exists' || operator === 'DoesNotExist') ? '' : ` ${show(values)}`);
  const opaque: OpaqueRequirement = { display, path, signature: requirementSignature('matchExpressions', key, operator, values) };
  if (typeof key !== 'string' || key === '' || !Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
    return opaque;
  }
  const strings = new Set(values as string[]);
  const domain: Domain | undefined = operator === 'In' && strings.size > 0 ? { absent: false, negated: false, values: strings }
    : operator === 'NotIn' && strings.size > 0 ? { absent: true, negated: true, values: strings }
      : operator === 'Exists' && strings.size === 0 ? PRESENT
        : operator === 'DoesNotExist' && strings.size === 0 ? { absent: true, negated: false, values: NO_VALUES }
          : undefined;
  return domain === undefined ? opaque : { key, domain, source: 'affinity', display, raw: expression };
}

function isOpaque(r: LabelRequirement | OpaqueRequirement): r is OpaqueRequirement {
  return (r as LabelRequirement).domain === undefined;
}

function makeTerm(precise: LabelRequirement[], opaque: OpaqueRequirement[]): Term {
  let product: Product = new Map();
  for (const r of precise) {
    product = withDomain(product, r.key, intersect(domainOf(product, r.key), r.domain));
  }
  const signatures = new Set(opaque.map((o) => o.signature).filter((s): s is string => s !== undefined));
  return { precise, opaque, product, signatures };
}

/** Reads the node requirements of a workload's pod spec. */
export function readNodeRequirements(workload: WorkloadInfo): NodeRequirements {
  const spec = workload.podSpec;
  const base: LabelRequirement[] = [];
  const selector = stringMap(getIn(spec, 'nodeSelector'));
  for (const [key, value] of selector) {
    base.push({ key, domain: { absent: false, negated: false, values: new Set([value]) }, source: 'nodeSelector', display: `${key}=${value}` });
  }
  const nodeName = asNonEmptyString(getIn(spec, 'nodeName'));
  if (nodeName !== undefined) {
    base.push({ key: NODE_NAME, domain: { absent: false, negated: false, values: new Set([nodeName]) }, source: 'nodeName', display: nodeName });
  }
  const required = asObject(getIn(spec, ...REQUIRED_PATH));
  const common = { base, hasAffinity: required !== undefined, nodeName, nodeSelector: selector.size > 0 ? selector : undefined };
  if (required === undefined) {
    return { ...common, terms: [makeTerm(base, [])] };
  }
  const requiredPath = pointer('', ...REQUIRED_PATH);
  const rawTerms = getIn(required, 'nodeSelectorTerms');
  if (!Array.isArray(rawTerms)) {
    // not something the scheduler accepts: neither side may read anything into it
    const opaque = { display: `requiredDuringSchedulingIgnoredDuringExecution ${show(required)}`, path: requiredPath };
    return { ...common, terms: [makeTerm(base, [opaque])] };
  }
  const terms: Term[] = [];
  asArray(rawTerms).forEach((term, t) => {
    const termPath = pointer(requiredPath, 'nodeSelectorTerms', t);
    const expressions = getIn(term, 'matchExpressions');
    const fields = getIn(term, 'matchFields');
    const precise: LabelRequirement[] = [...base];
    const opaque: OpaqueRequirement[] = [];
    for (const [section, list] of [['matchExpressions', expressions], ['matchFields', fields]] as const) {
      if (list !== undefined && list !== null && !Array.isArray(list)) {
        opaque.push({ display: `${section} ${show(list)}`, path: pointer(termPath, section) });
      }
    }
    asArray(expressions).forEach((e, i) => {
      const r = readExpression(e, pointer(termPath, 'matchExpressions', i));
      if (isOpaque(r)) {
        opaque.push({ ...r, display: `matchExpressions ${r.display}` });
      } else {
        precise.push(r);
      }
    });
    asArray(fields).forEach((f, i) => {
      const key = getIn(f, 'key');
      const operator = getIn(f, 'operator');
      const values = getIn(f, 'values');
      opaque.push({
        display: `matchFields ${typeof key === 'string' ? key : show(key)} ${typeof operator === 'string' ? operator : show(operator)} ${show(values ?? [])}`,
        path: pointer(termPath, 'matchFields', i),
        signature: requirementSignature('matchFields', key, operator, values ?? null),
      });
    });
    if (precise.length === base.length && opaque.length === 0) {
      return; // an empty term matches no node
    }
    terms.push(makeTerm(precise, opaque));
  });
  return { ...common, terms };
}

/** The outcome of comparing the nodes a client accepts with those an agent accepts, by labels and name. */
export type LabelVerdict =
  | { readonly kind: 'covered' }
  /** A node the client can land on and the agent cannot: certain. */
  | { readonly kind: 'gap'; readonly witness: Witness }
  /** The comparison cannot tell: each reason names what it could not reason about. */
  | { readonly kind: 'unproven'; readonly reasons: readonly UnprovenReason[] };

/** Why a comparison is unproven. */
export interface UnprovenReason {
  readonly text: string;
  /** JSON pointer below the client's pod spec, for a client-side reason. */
  readonly path?: string;
}

/** Whether a client can land on some node at all, by its labels and name. */
export type Landing = 'yes' | 'no' | 'unknown';

/** Whether the client lands on any node (its taints aside). */
export function clientLanding(client: NodeRequirements): Landing {
  let unknown = false;
  for (const term of client.terms) {
    if (isEmptyProduct(term.product)) {
      continue;
    }
    if (term.opaque.length === 0) {
      return 'yes';
    }
    unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Compares the nodes the client accepts (labels and name) with those the agent accepts. */
export function compareLabels(client: NodeRequirements, agent: NodeRequirements): LabelVerdict {
  const usesName = client.nodeName !== undefined || agent.nodeName !== undefined;
  const reasons: UnprovenReason[] = [];
  const seen = new Set<string>();
  const addReason = (reason: UnprovenReason): void => {
    if (!seen.has(reason.text)) {
      seen.add(reason.text);
      reasons.push(reason);
    }
  };
  for (const term of client.terms) {
    let p = term.product;
    if (usesName) {
      p = withDomain(p, NODE_NAME, intersect(domainOf(p, NODE_NAME), PRESENT));
    }
    if (isEmptyProduct(p)) {
      continue;
    }
    const lower: Product[] = [];
    const upper: Product[] = [];
    const unmatched: OpaqueRequirement[] = [];
    for (const agentTerm of agent.terms) {
      upper.push(agentTerm.product);
      const unknown = agentTerm.opaque.filter((o) => o.signature === undefined || !term.signatures.has(o.signature));
      if (unknown.length === 0) {
        lower.push(agentTerm.product);
      } else {
        unmatched.push(...unknown);
      }
    }
    const budget: Budget = { left: COMPARISON_BUDGET };
    const outsideLower = findUncovered(p, lower, budget);
    if (budget.left >= 0 && outsideLower === undefined) {
      continue;
    }
    if (term.opaque.length === 0 && budget.left >= 0) {
      const outside = findUncovered(p, upper, budget);
      if (outside !== undefined) {
        return { kind: 'gap', witness: pickWitness(outside) };
      }
    }
    if (budget.left < 0) {
      addReason({ text: `the agent's ${agent.terms.length} required node affinity terms are too many to compare with the client's ${client.terms.length}` });
      continue;
    }
    for (const o of term.opaque) {
      addReason({ text: `the client's required node affinity has ${o.display}, which the rule does not reason about`, path: o.path });
    }
    for (const o of unmatched) {
      addReason({ text: `the agent requires ${o.display} (required node affinity), which the rule only recognises when the client has the same expression` });
    }
  }
  return reasons.length === 0 ? { kind: 'covered' } : { kind: 'unproven', reasons };
}

/** The requirements a witness node fails. */
export function failedBy(witness: Witness, requirements: readonly LabelRequirement[]): LabelRequirement[] {
  return requirements.filter((r) => !contains(r.domain, witness.get(r.key)));
}

/**
 * The requirements that some node the client accepts does not meet: all of them must hold on
 * the client's nodes for the client to be covered by an agent with just these requirements.
 */
export function unimplied(client: NodeRequirements, requirements: readonly LabelRequirement[]): LabelRequirement[] {
  return requirements.filter((r) => client.terms.some((t) => {
    if (isEmptyProduct(t.product)) {
      return false;
    }
    const domain = r.key === NODE_NAME ? intersect(domainOf(t.product, r.key), PRESENT) : domainOf(t.product, r.key);
    return !isEmpty(intersect(domain, complement(r.domain)));
  }));
}

/** How a witness node looks on the keys of some requirements, e.g. `a node without the label pool`. */
export function describeWitness(witness: Witness, requirements: readonly LabelRequirement[]): string {
  const parts: string[] = [];
  const keys = [...new Set(requirements.map((r) => r.key))];
  for (const key of keys) {
    const value = witness.get(key);
    if (key === NODE_NAME) {
      const names = requirements.filter((r) => r.key === NODE_NAME).flatMap((r) => [...r.domain.values]);
      parts.push(value?.startsWith(ANOTHER_NODE) ? `other than ${names.join(', ')}` : `named ${value}`);
    } else {
      parts.push(value === undefined ? `without the label ${key}` : `labeled ${key}=${value}`);
    }
  }
  return parts.length === 0 ? 'a node' : `a node ${parts.join(' and ')}`;
}

// ---------------------------------------------------------------------------------------------
// Taints and tolerations.

/** The taint effects that keep a pod away (PreferNoSchedule only steers the scheduler). */
export type TaintEffect = 'NoSchedule' | 'NoExecute';
const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'NoExecute'];

/** The taints a toleration tolerates: `key` or `value` undefined means any. */
export interface TolerationPattern {
  readonly key?: string;
  readonly value?: string;
  readonly effects: readonly TaintEffect[];
  /** Where it comes from: the pod's own list, its nodeName, or the DaemonSet controller. */
  readonly origin: 'toleration' | 'nodeName' | 'daemonSet';
  /** JSON pointer below the pod spec (`/tolerations/0`, `/nodeName`, `/hostNetwork`, ''). */
  readonly path: string;
}

/**
 * The tolerations the DaemonSet controller adds to every DaemonSet pod, so that it runs on nodes
 * that are not ready, unreachable, under pressure or cordoned.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
 */
const DAEMONSET_TOLERATIONS: ReadonlyArray<readonly [string, TaintEffect]> = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
];

/** Added to DaemonSet pods on the host network only. */
export const NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/**
 * One toleration as the taints it tolerates, per `Toleration.ToleratesTaint`: an empty effect
 * matches every effect, an empty key with Exists every taint, an absent operator is Equal, and
 * an unknown operator tolerates nothing. With `durable`, a NoExecute toleration limited by
 * tolerationSeconds does not count (the pod is evicted when it runs out).
 */
function readToleration(toleration: unknown, path: string, durable: boolean): TolerationPattern | undefined {
  const key = getIn(toleration, 'key');
  const operator = getIn(toleration, 'operator');
  const value = getIn(toleration, 'value');
  const effect = getIn(toleration, 'effect');
  const unset = (v: unknown): boolean => v === undefined || v === null || v === '';
  if ((!unset(key) && typeof key !== 'string') || (!unset(effect) && typeof effect !== 'string')) {
    return undefined;
  }
  let effects: TaintEffect[] = unset(effect) ? [...EFFECTS] : EFFECTS.filter((e) => e === effect);
  if (durable && isInteger(getIn(toleration, 'tolerationSeconds'))) {
    effects = effects.filter((e) => e !== 'NoExecute');
  }
  const keyed = unset(key) ? {} : { key: key as string };
  if (operator === 'Exists') {
    return effects.length === 0 ? undefined : { ...keyed, effects, origin: 'toleration', path };
  }
  if (!unset(operator) && operator !== 'Equal') {
    return undefined;
  }
  if (!unset(value) && typeof value !== 'string') {
    return undefined;
  }
  return effects.length === 0 ? undefined : { ...keyed, value: unset(value) ? '' : value as string, effects, origin: 'toleration', path };
}

/**
 * The taints a workload's pods tolerate: their tolerations, those the DaemonSet controller adds,
 * and (for a pod with nodeName, which bypasses the scheduler) every NoSchedule taint. For the
 * agent (`durable`), a NoExecute toleration with tolerationSeconds does not count.
 */
export function readTolerations(workload: WorkloadInfo, durable: boolean): TolerationPattern[] {
  const spec = workload.podSpec;
  const patterns: TolerationPattern[] = [];
  asArray(getIn(spec, 'tolerations')).forEach((t, i) => {
    const pattern = readToleration(t, pointer('', 'tolerations', i), durable);
    if (pattern !== undefined) {
      patterns.push(pattern);
    }
  });
  if (workload.object.kind === 'DaemonSet') {
    for (const [key, effect] of DAEMONSET_TOLERATIONS) {
      patterns.push({ key, effects: [effect], origin: 'daemonSet', path: '' });
    }
    if (getIn(spec, 'hostNetwork') === true) {
      patterns.push({ key: NETWORK_UNAVAILABLE, effects: ['NoSchedule'], origin: 'daemonSet', path: '/hostNetwork' });
    }
  }
  if (!durable && asNonEmptyString(getIn(spec, 'nodeName')) !== undefined) {
    patterns.push({ effects: ['NoSchedule'], origin: 'nodeName', path: '/nodeName' });
  }
  return patterns;
}

/** Whether the agent's pattern tolerates every taint of the client's pattern with that effect. */
function covers(agent: TolerationPattern, client: TolerationPattern, effect: TaintEffect): boolean {
  return agent.effects.includes(effect)
    && (agent.key === undefined || (client.key !== undefined && agent.key === client.key))
    && (agent.value === undefined || (client.value !== undefined && agent.value === client.value));
}

/** A client toleration with the effects of the taints it tolerates that the agent does not. */
export interface TaintGap {
  readonly pattern: TolerationPattern;
  readonly effects: readonly TaintEffect[];
}

/**
 * The client's tolerations that tolerate taints the agent does not. Exact: keys and values are
 * unbounded, so a union of agent tolerations covers a client toleration only if one does.
 */
export function taintGaps(client: readonly TolerationPattern[], agent: readonly TolerationPattern[]): TaintGap[] {
  const gaps: TaintGap[] = [];
  for (const pattern of client) {
    const effects = pattern.effects.filter((e) => !agent.some((a) => covers(a, pattern, e)));
    if (effects.length > 0) {
      gaps.push({ pattern, effects });
    }
  }
  return gaps;
}

/** The taints of a gap, e.g. `the taint gpu=true:NoSchedule` or `every taint with key gpu`. */
export function describeTaints(gap: TaintGap): string {
  const { key, value } = gap.pattern;
  const one = gap.effects.length === 1 ? gap.effects[0] : undefined;
  if (key === undefined && value === undefined) {
    return one === undefined ? 'every taint' : `every ${one} taint`;
  }
  if (value === undefined) {
    return `every taint with key ${key}${one === undefined ? '' : ` and effect ${one}`}`;
  }
  if (key === undefined) {
    return `every taint with value ${show(value)}${one === undefined ? '' : ` and effect ${one}`}`;
  }
  const taints = gap.effects.map((e) => `${key}${value === '' ? '' : `=${value}`}:${e}`);
  return taints.length === 1 ? `the taint ${taints[0]}` : `the taints ${taints.join(' and ')}`;
}

/** The toleration that covers a gap, written as YAML flow, e.g. `{key: gpu, operator: Equal, value: "true", effect: NoSchedule}`. */
export function tolerationFor(gap: TaintGap): string {
  const { key, value } = gap.pattern;
  const fields: string[] = [];
  if (key !== undefined) {
    fields.push(`key: ${key}`);
  }
  fields.push(`operator: ${value === undefined ? 'Exists' : 'Equal'}`);
  if (value !== undefined) {
    fields.push(`value: ${JSON.stringify(value)}`);
  }
  if (gap.effects.length === 1) {
    fields.push(`effect: ${gap.effects[0]}`);
  }
  return `{${fields.join(', ')}}`;
}
