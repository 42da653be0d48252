/**
 * Sets of nodes described by their labels, for the coverage comparisons (see placement.ts): for
 * each label key the values a node may have (a domain), and for a set of requirements the product
 * of their domains. Exact, and small enough to split one product by another.
 */
/**
 * The values one key may take: `absent` whether a node without the label is in, and the present
 * values, either exactly `values` or (when `negated`) every value but `values`.
 */
export interface Domain {
  readonly absent: boolean;
  readonly negated: boolean;
  readonly values: ReadonlySet<string>;
}

export const NO_VALUES: ReadonlySet<string> = new Set();
export const ANY: Domain = { absent: true, negated: true, values: NO_VALUES };
export const PRESENT: Domain = { absent: false, negated: true, values: NO_VALUES };

/**
 * The key that stands for the node's name (nodeName): a label key cannot contain NUL, and a node
 * always has a name, so a product that mentions it keeps it present.
 */
export const NODE_NAME = '\u0000nodeName';

export function intersect(a: Domain, b: Domain): Domain {
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

export function complement(d: Domain): Domain {
  return { absent: !d.absent, negated: !d.negated, values: d.values };
}

export function isEmpty(d: Domain): boolean {
  return !d.absent && !d.negated && d.values.size === 0;
}

export function contains(d: Domain, value: string | undefined): boolean {
  if (value === undefined) {
    return d.absent;
  }
  return d.negated ? !d.values.has(value) : d.values.has(value);
}

/** A set of nodes given by one domain per key (keys not in the map are unconstrained). */
export type Product = ReadonlyMap<string, Domain>;

export function domainOf(product: Product, key: string): Domain {
  return product.get(key) ?? ANY;
}

export function withDomain(product: Product, key: string, domain: Domain): Product {
  return new Map(product).set(key, domain);
}

export function isEmptyProduct(product: Product): boolean {
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
export const COMPARISON_BUDGET = 20000;

/** What is left of a comparison's budget; once exhausted, every search answers undefined. */
export interface Budget {
  left: number;
}

/**
 * A piece of the non-empty `p` outside every product of `qs`, or undefined when `qs` cover `p`
 * (or the budget ran out: the caller checks). Exact: it splits `p` minus the first product into
 * disjoint non-empty pieces (one per key of that product) and checks each against the rest.
 */
export function findUncovered(p: Product, qs: readonly Product[], budget: Budget): Product | undefined {
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
export const ANOTHER_NODE = 'another-node';

/** A value not among `taken`, for a witness. */
function freshValue(taken: ReadonlySet<string>, base: string): string {
  let candidate = base;
  for (let i = 2; taken.has(candidate); i++) {
    candidate = `${base}-${i}`;
  }
  return candidate;
}

/** One concrete node of a non-empty product: without a label where allowed, else a value it allows. */
export function pickWitness(product: Product): Witness {
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
