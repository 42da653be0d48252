// A YAML document to the JSON value kubectl sends: scalars as sigs.k8s.io/yaml resolves them,
// merge keys as go-yaml v2 applies them, duplicate keys keeping the last value.
//
// Each anchor is converted once and every alias of it shares that value, so the time is linear in
// the text whatever the aliases (the yaml package's toJS walks the document again for each alias).
// What the aliases add is still counted, and limited by an AliasBudget: an alias of an alias of
// ... ("billion laughs") would hand the rule engine an object far larger than the text. The walk
// keeps its own stack: no recursion, whatever the nesting.
import { Alias, Node, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { ResolvedScalar, ScalarError, jsonKey, resolveScalar } from './scalars';

/** A value kubectl would refuse, at an offset of the text. The message is one line. */
export class YamlValueError extends Error {
  constructor(message: string, public readonly offset: number | undefined) {
    super(message);
  }
}

/**
 * How many values the aliases of all documents may add, together. A value is a scalar, a map
 * or a list; an alias adds as many as its anchor holds.
 */
export class AliasBudget {
  private used = 0;

  constructor(public readonly maxValues: number) {}

  /** Counts what an alias adds, or refuses it. */
  spend(values: number, offset: number | undefined): void {
    this.used += values;
    if (this.used > this.maxValues) {
      throw new YamlValueError(`the aliases (*name) expand to more than ${this.maxValues.toLocaleString('en-US')} values, `
        + 'which looks like a resource exhaustion attack ("billion laughs"); write the repeated parts out, or share fewer', offset);
    }
  }
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** An anchored node and, once converted, its value and size. */
interface Anchor {
  done: boolean;
  value: unknown;
  /** The scalar's type, for an alias used as a map key. */
  scalar?: ResolvedScalar;
  size: number;
}

/** A map or list being converted. */
interface Frame {
  readonly node: YAMLMap | YAMLSeq;
  readonly out: Record<string, unknown> | unknown[];
  readonly anchor: Anchor | undefined;
  /** The next item to convert. */
  next: number;
  /** Values so far, the collection included. */
  size: number;
  /** In a map: the key of the value being converted, or MERGE when it is a merge key's value. */
  key: string | typeof MERGE;
  /** The offset of the pair being converted. */
  offset: number | undefined;
}

const MERGE = Symbol('merge');
const NO_NODE = Symbol('none');

/**
 * The JSON value of a document's contents.
 *
 * @throws YamlValueError when kubectl refuses the document (an unknown anchor, an anchor that
 * contains itself, a bad merge, a null or collection key, `.inf`), or the aliases exceed the budget
 */
export function toJson(root: Node | null, budget: AliasBudget): unknown {
  const anchors = new Map<string, Anchor>();
  const stack: Frame[] = [];
  let toEnter = root as Node | null | typeof NO_NODE;

  for (;;) {
    let produced: { value: unknown; size: number } | undefined;
    if (toEnter !== NO_NODE) {
      const node: Node | null = toEnter;
      toEnter = NO_NODE;
      if (isMap(node) || isSeq(node)) {
        const anchor = node.anchor ? define(anchors, node.anchor) : undefined;
        const out = isMap(node) ? {} : [];
        stack.push({ node, out, anchor, next: 0, size: 1, key: '', offset: node.range?.[0] });
      } else {
        produced = leaf(node, anchors, budget);
      }
    }

    // hand finished values to their parent; a finished collection is a value too
    for (;;) {
      const top = stack[stack.length - 1];
      if (produced !== undefined) {
        if (top === undefined) {
          return produced.value;
        }
        add(top, produced.value, produced.size);
        produced = undefined;
      }
      if (top === undefined) {
        return null;
      }
      if (top.next < top.node.items.length) {
        toEnter = isMap(top.node) ? startPair(top, top.node.items[top.next++], anchors, budget) : itemNode(top.node.items[top.next++]);
        break;
      }
      stack.pop();
      if (top.anchor) {
        Object.assign(top.anchor, { done: true, value: top.out, size: top.size });
      }
      produced = { value: top.out, size: top.size };
    }
  }
}

/** A scalar, an alias or an empty value. */
function leaf(node: Node | null, anchors: Map<string, Anchor>, budget: AliasBudget): { value: unknown; size: number } {
  if (node === null || node === undefined) {
    return { value: null, size: 1 };
  }
  if (isAlias(node)) {
    const anchor = lookUp(anchors, node);
    budget.spend(anchor.size, node.range?.[0]);
    return { value: anchor.value, size: anchor.size };
  }
  if (isScalar(node)) {
    const scalar = resolve(node);
    if (node.anchor) {
      Object.assign(define(anchors, node.anchor), { done: true, value: scalar.value, scalar, size: 1 });
    }
    return { value: scalar.value, size: 1 };
  }
  throw new YamlValueError('the document holds a node that is not a map, a list, a scalar or an alias', undefined);
}

/** Converts a pair's key at once (keys are scalars) and returns its value's node to convert next. */
function startPair(frame: Frame, pair: Pair<unknown, unknown>, anchors: Map<string, Anchor>, budget: AliasBudget): Node | null {
  const keyNode = pair.key as Node | null;
  frame.offset = keyNode?.range?.[0] ?? frame.offset;
  if (isScalar(keyNode) && isMergeKey(keyNode)) {
    frame.key = MERGE;
  } else {
    let scalar: ResolvedScalar;
    if (isScalar(keyNode)) {
      scalar = resolve(keyNode);
      if (keyNode.anchor) {
        Object.assign(define(anchors, keyNode.anchor), { done: true, value: scalar.value, scalar, size: 1 });
      }
    } else if (isAlias(keyNode)) {
      const anchor = lookUp(anchors, keyNode);
      if (anchor.scalar === undefined) {
        throw new YamlValueError(`the map key *${keyNode.source} is a map or a list, which kubectl refuses; keys must be text`, frame.offset);
      }
      budget.spend(1, frame.offset);
      scalar = anchor.scalar;
    } else if (keyNode === null || keyNode === undefined) {
      scalar = { value: null, type: 'null' };
    } else {
      throw new YamlValueError('a map key is a map or a list, which kubectl refuses; keys must be text', frame.offset);
    }
    try {
      frame.key = jsonKey(scalar);
    } catch (e) {
      throw new YamlValueError((e as Error).message, frame.offset);
    }
  }
  return itemNode(pair.value);
}

/** Puts a finished value into its map or list. */
function add(frame: Frame, value: unknown, size: number): void {
  frame.size += size;
  if (Array.isArray(frame.out)) {
    frame.out.push(value);
  } else if (frame.key === MERGE) {
    merge(frame.out, value, frame.offset);
  } else {
    set(frame.out, frame.key, value);
  }
}

/**
 * go-yaml v2 merges at the merge key's position: a key written before `<<` is overwritten by the
 * merged map, one written after it wins; of a list of maps, the first that has a key wins.
 */
function merge(out: Record<string, unknown>, value: unknown, offset: number | undefined): void {
  const sources = Array.isArray(value) ? value : [value];
  if (!sources.every(isPlainObject)) {
    throw new YamlValueError('the value of a merge key (<<) must be a map or a list of maps, as kubectl requires', offset);
  }
  for (let i = sources.length - 1; i >= 0; i--) {
    const source = sources[i] as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      set(out, key, source[key]);
    }
  }
}

function set(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    // a key like any other in YAML; assigning it would replace the object's prototype
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}

function resolve(node: Scalar): ResolvedScalar {
  const plain = node.type === undefined || node.type === 'PLAIN';
  try {
    return resolveScalar(String(node.value ?? ''), plain, node.tag);
  } catch (e) {
    if (e instanceof ScalarError) {
      throw new YamlValueError(e.message, node.range?.[0]);
    }
    throw e;
  }
}

function isMergeKey(node: Scalar): boolean {
  return node.value === '<<' && ((node.type === 'PLAIN' && node.tag === undefined) || node.tag === MERGE_TAG);
}

/** An anchor is defined where its node starts, so an alias inside the node finds it unfinished. */
function define(anchors: Map<string, Anchor>, name: string): Anchor {
  const anchor: Anchor = { done: false, value: undefined, size: 1 };
  anchors.set(name, anchor);
  return anchor;
}

function lookUp(anchors: Map<string, Anchor>, alias: Alias): Anchor {
  const anchor = anchors.get(alias.source);
  if (anchor === undefined) {
    throw new YamlValueError(`unknown anchor "${alias.source}"; define the anchor (&${alias.source}) before the alias (*${alias.source}), in the same document`,
      alias.range?.[0]);
  }
  if (!anchor.done) {
    throw new YamlValueError(`the anchor "${alias.source}" contains its own alias, which kubectl refuses; an alias must come after its anchor's value`,
      alias.range?.[0]);
  }
  return anchor;
}

function itemNode(item: unknown): Node | null {
  return (item ?? null) as Node | null;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Which node each alias of a document stands for, found in one walk (anchors are defined where
 * their node starts, as in go-yaml). Used to find the line of a field reached through an alias.
 */
export function bindAliases(root: Node | null): Map<Alias, Node> {
  const anchors = new Map<string, Node>();
  const bound = new Map<Alias, Node>();
  const pending: Array<unknown> = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target !== undefined) {
        bound.set(node, target);
      }
    } else if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) {
        anchors.set(node.anchor, node);
      }
      if (isMap(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          pending.push(node.items[i].value, node.items[i].key);
        }
      } else if (isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          pending.push(node.items[i]);
        }
      }
    }
  }
  return bound;
}
