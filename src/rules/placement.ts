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
import {
  ANOTHER_NODE, Budget, COMPARISON_BUDGET, complement, contains, Domain, domainOf, findUncovered, intersect, isEmpty, isEmptyProduct,
  NODE_NAME, NO_VALUES, pickWitness, PRESENT, Product, withDomain, Witness,
} from './label-domains';
import { canonicalLabel, isPlatformLabel, REAL_NODES } from './node-facts';
import { WorkloadInfo } from '../lint/context';
import { asArray, asNonEmptyString, asObject, getIn, pointer, show, stringMap } from '../lint/json';

export type { Witness } from './label-domains';

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
  return domain === undefined ? opaque : { key: canonicalLabel(key), domain, source: 'affinity', display, raw: expression };
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

/** The requirements read so far: several rules read the same workloads' (coverage, NL103, NL005). */
const REQUIREMENTS = new WeakMap<WorkloadInfo, NodeRequirements>();

/** Reads the node requirements of a workload's pod spec (once per workload: the result is not to be changed). */
export function readNodeRequirements(workload: WorkloadInfo): NodeRequirements {
  let requirements = REQUIREMENTS.get(workload);
  if (requirements === undefined) {
    requirements = readRequirements(workload);
    REQUIREMENTS.set(workload, requirements);
  }
  return requirements;
}

function readRequirements(workload: WorkloadInfo): NodeRequirements {
  const spec = workload.podSpec;
  const base: LabelRequirement[] = [];
  const selector = stringMap(getIn(spec, 'nodeSelector'));
  for (const [key, value] of selector) {
    base.push({ key: canonicalLabel(key), domain: { absent: false, negated: false, values: new Set([value]) }, source: 'nodeSelector', display: `${key}=${value}` });
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

/** The nodes of a product that exist and can run DaemonSet pods (see node-facts.ts), and are in `within` if given. */
function onRealNodes(product: Product, within?: Product): Product {
  let result = product;
  for (const universe of within === undefined ? [REAL_NODES] : [REAL_NODES, within]) {
    for (const [key, domain] of universe) {
      result = withDomain(result, key, intersect(domainOf(result, key), domain));
    }
  }
  return result;
}

/**
 * The nodes any of several pod specs accepts: the agents of one Service (a Linux and a Windows
 * DaemonSet, one per node pool) cover together what each covers.
 */
export function unionOf(requirements: readonly NodeRequirements[]): NodeRequirements {
  if (requirements.length === 1) {
    return requirements[0];
  }
  return {
    base: [],
    terms: requirements.flatMap((r) => r.terms),
    hasAffinity: true,
    nodeName: requirements.find((r) => r.nodeName !== undefined)?.nodeName,
  };
}

/**
 * Whether some node that exists can take a pod of each of the two pod specs (their taints
 * aside); true when the comparison cannot tell (an expression it does not reason about).
 */
export function canShareNode(a: NodeRequirements, b: NodeRequirements): boolean {
  for (const x of a.terms) {
    for (const y of b.terms) {
      if (x.opaque.length > 0 || y.opaque.length > 0) {
        return true;
      }
      if (!isEmptyProduct(onRealNodes(x.product, y.product))) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The requirements without those on the node's OS and architecture: what is left when the
 * image's platform is taken as given.
 */
export function withoutPlatform(requirements: NodeRequirements): NodeRequirements {
  const keep = (r: LabelRequirement): boolean => !isPlatformLabel(r.key);
  return {
    ...requirements,
    base: requirements.base.filter(keep),
    terms: requirements.terms.map((t) => makeTerm(t.precise.filter(keep), [...t.opaque])),
  };
}

/**
 * The requirements on the node's OS and architecture only: the platform the image runs on; of
 * those labels in `keys` when given.
 */
export function onlyPlatform(requirements: NodeRequirements, keys?: ReadonlySet<string>): NodeRequirements {
  const keep = (r: LabelRequirement): boolean => isPlatformLabel(r.key) && (keys === undefined || keys.has(r.key));
  return {
    ...requirements,
    base: requirements.base.filter(keep),
    terms: requirements.terms.map((t) => makeTerm(t.precise.filter(keep), [])),
  };
}

/** What keeps an agent off some of the nodes that could run it, its OS and architecture aside. */
export interface NodeRestrictions {
  /** The exact requirements that exclude some real node (nodeSelector entries, nodeName, affinity expressions). */
  readonly requirements: readonly LabelRequirement[];
  /** The affinity expressions the comparison does not reason about. */
  readonly opaque: readonly OpaqueRequirement[];
}

/**
 * The node restrictions of a pod spec, or undefined when it fits every node that exists and can
 * run DaemonSet pods (whatever its OS or architecture constraints): an exclusion of EKS Fargate
 * or virtual-kubelet nodes restricts nothing.
 */
export function nodeRestrictions(requirements: NodeRequirements): NodeRestrictions | undefined {
  const agent = withoutPlatform(requirements);
  const opaque = agent.terms.flatMap((t) => t.opaque);
  const budget: Budget = { left: COMPARISON_BUDGET };
  if (opaque.length === 0 && findUncovered(REAL_NODES, agent.terms.map((t) => t.product), budget) === undefined && budget.left >= 0) {
    return undefined;
  }
  const seen = new Set<LabelRequirement>();
  const restricting: LabelRequirement[] = [];
  for (const r of [...agent.base, ...agent.terms.flatMap((t) => t.precise)]) {
    if (!seen.has(r) && !isEmpty(intersect(domainOf(REAL_NODES, r.key), complement(r.domain)))) {
      seen.add(r);
      restricting.push(r);
    }
  }
  return { requirements: restricting, opaque };
}

/** Whether the client lands on any node (its taints aside). */
export function clientLanding(client: NodeRequirements): Landing {
  let unknown = false;
  for (const term of client.terms) {
    if (isEmptyProduct(onRealNodes(term.product))) {
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
export function compareLabels(client: NodeRequirements, agent: NodeRequirements, within?: Product): LabelVerdict {
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
    let p = onRealNodes(term.product, within);
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
    const product = onRealNodes(t.product);
    if (isEmptyProduct(product)) {
      return false;
    }
    const domain = r.key === NODE_NAME ? intersect(domainOf(product, r.key), PRESENT) : domainOf(product, r.key);
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
    } else if (value === undefined) {
      parts.push(`without the label ${key}`);
    } else {
      const named = requirements.filter((r) => r.key === key);
      const excluded = [...new Set(named.flatMap((r) => [...r.domain.values]))].filter((v) => v !== value).sort();
      // a value made up to avoid the excluded ones is no real value: name what it is not
      const madeUp = /^other(-\d+)?$/.test(value) && !named.some((r) => !r.domain.negated && r.domain.values.has(value));
      parts.push(madeUp && excluded.length > 0 ? `labeled ${key} with a value other than ${excluded.join(', ')}` : `labeled ${key}=${value}`);
    }
  }
  return parts.length === 0 ? 'a node' : `a node ${parts.join(' and ')}`;
}
