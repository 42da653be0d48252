import { Alias, LineCounter, Node, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { readDocuments } from './yaml/kubectl-lexer';
import { AliasBudget, YamlValueError, bindAliases, toJson } from './yaml/to-json';

/**
 * One Kubernetes object read from a file, with where it was found.
 */
export interface LoadedManifest {
  /** The object, as plain JSON. */
  readonly object: any;
  /** The file it was read from, as the user named it. */
  readonly file: string;
  /** The 1-based line of the object's first field. */
  readonly line: number;
  /** The 1-based column of the object's first field. */
  readonly column: number;
  /** Where the object is written, to find the line of a field inside it (`fieldLine`). */
  readonly source: ManifestSource;
}

/**
 * The YAML document an object is in, and the path to the object inside it. The document's
 * tree is not kept (it takes many times the memory of its text): `fieldLine` reads the
 * document's text again when a finding needs a line.
 */
export interface ManifestSource {
  readonly document: DocumentText;
  /** Map keys and list indexes from the document's root to the object. */
  readonly path: ReadonlyArray<string | number>;
}

/** One document of a file: the file's text, the document's offsets in it, and the file's line starts. */
export interface DocumentText {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly lineCounter: LineCounter;
}

/**
 * The input cannot be read as Kubernetes objects. The message is one line, starting with
 * `file:line:column:` when the position is known.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Options of `parseManifests`. */
export interface ParseOptions {
  /**
   * What the aliases of the documents may add; share one budget across the files of a run.
   * @default - 1,000,000 values for this text
   */
  readonly aliasBudget?: AliasBudget;
}

/** The default of `ParseOptions.aliasBudget`: far above what anchors in real manifests share. */
export const MAX_ALIAS_VALUES = 1_000_000;

/**
 * Reads every Kubernetes object in one file's text: all of its YAML (or JSON) documents,
 * the items of `List` objects (as written by `kubectl get -o yaml`), and the items of a
 * document that is a sequence of objects. Empty and comment-only documents are skipped.
 *
 * YAML is read as kubectl reads it (YAML 1.1 through go-yaml v2): `on`/`yes` are booleans,
 * `0755` is octal, `1:30` is text, `<<` merges maps, a duplicate key keeps its last value, and
 * quoted scalars and flow collections may be indented less than YAML 1.2 allows.
 *
 * @param file the name to report positions with
 * @param text the file's content
 * @throws InputError when the text is not YAML, or a document is not a Kubernetes object
 */
export function parseManifests(file: string, text: string, options: ParseOptions = {}): LoadedManifest[] {
  const budget = options.aliasBudget ?? new AliasBudget(MAX_ALIAS_VALUES);
  const lineCounter = new LineCounter();
  const where = (offset: number | undefined) => position(file, lineCounter, offset);
  const out: LoadedManifest[] = [];
  let index = 0;
  for (const doc of readDocuments(text, lineCounter)) {
    index++;
    const error = doc.errors[0];
    if (error) {
      throw new InputError(`${where(error.pos[0]).text}: cannot parse yaml: ${describeYamlError(error.message)}; fix the yaml at that position`);
    }
    let value: unknown;
    try {
      value = toJson(doc.contents as Node | null, budget);
    } catch (e) {
      if (e instanceof YamlValueError) {
        throw new InputError(`${where(e.offset ?? doc.contents?.range[0]).text}: cannot read document ${index}: ${e.message}`);
      }
      throw e;
    }
    if (value === null || value === undefined) {
      continue; // an empty or comment-only document: nothing to check
    }
    const document: DocumentText = { text, start: doc.range[0], end: doc.range[2], lineCounter };
    collect(value, doc.contents as Node, { file, document, label: `document ${index}`, where }, out);
  }
  return out;
}

/** One object to place: a document, an item of a List, or an item of a top-level sequence. */
interface Pending {
  readonly value: unknown;
  readonly path: ReadonlyArray<string | number>;
  readonly what: string;
}

/** The document `collect` reads objects from. */
interface Origin {
  readonly file: string;
  readonly document: DocumentText;
  readonly label: string;
  readonly where: (offset: number | undefined) => { line: number; column: number; text: string };
}

/** Adds the objects of one document to `out`, in order, flattening Lists without recursion. */
function collect(value: unknown, root: Node, origin: Origin, out: LoadedManifest[]): void {
  const { file, document, label, where } = origin;
  const locate = nodeFinder(root);
  const pending: Pending[] = [];
  if (Array.isArray(value)) {
    // a top-level sequence of objects is read like a List: each item is checked
    for (let j = value.length - 1; j >= 0; j--) {
      pending.push({ value: value[j], path: [j], what: `item ${j} of ${label}` });
    }
  } else {
    pending.push({ value, path: [], what: label });
  }

  while (pending.length > 0) {
    const { value: obj, path, what } = pending.pop()!;
    const at = where(locate(path)?.range?.[0]);
    if (!isPlainObject(obj)) {
      throw new InputError(`${at.text}: ${what} is ${describe(obj)}, not a kubernetes object; `
        + 'each document must be a mapping with apiVersion and kind, or a List of them');
    }
    if (obj.apiVersion === undefined && obj.kind === undefined) {
      throw new InputError(`${at.text}: ${what} has no apiVersion and no kind, so it is not a kubernetes object; `
        + 'give files of kubernetes manifests (e.g. the output of helm template, kustomize build or kubectl get -o yaml)');
    }
    if (!isList(obj)) {
      out.push({ object: obj, file, line: at.line, column: at.column, source: { document, path } });
      continue;
    }
    const items = obj.items ?? [];
    const itemsPath = [...path, 'items'];
    if (!Array.isArray(items)) {
      const itemsAt = where(locate(itemsPath)?.range?.[0] ?? locate(path)?.range?.[0]);
      throw new InputError(`${itemsAt.text}: the items of ${obj.kind} (${what}) are ${describe(items)}, not a list; `
        + 'items must be a sequence of kubernetes objects');
    }
    // a typed list (ServiceList, from the API) leaves kind and apiVersion out of its items
    const itemKind = obj.kind === 'List' ? undefined : String(obj.kind).slice(0, -'List'.length);
    for (let j = items.length - 1; j >= 0; j--) {
      const item: unknown = items[j];
      const filled = isPlainObject(item) && itemKind ? { apiVersion: obj.apiVersion, kind: itemKind, ...item } : item;
      pending.push({ value: filled, path: [...itemsPath, j], what: `item ${j} of ${obj.kind} (${what})` });
    }
  }
}

/** Finds the node at a path of a document, following aliases (bound on the first one met). */
function nodeFinder(root: Node): (path: ReadonlyArray<string | number>) => Node | undefined {
  let aliases: Map<Alias, Node> | undefined;
  const deref = (node: Node | undefined) => {
    if (!isAlias(node)) {
      return node;
    }
    aliases ??= bindAliases(root);
    return aliases.get(node);
  };
  return (path) => {
    let node: Node | undefined = deref(root);
    for (let i = 0; i < path.length && node !== undefined; i++) {
      node = deref(childNode(node, path[i], deref));
    }
    return node;
  };
}

/** The child of a map (by key, merge keys included) or of a list (by index). */
function childNode(node: Node | undefined, step: string | number, deref: (node: Node | undefined) => Node | undefined): Node | undefined {
  if (isSeq(node) && typeof step === 'number') {
    return node.items[step] as Node | undefined;
  }
  return isMap(node) ? findPair(node, String(step), deref, 0)?.value : undefined;
}

/**
 * The 1-based line of the field a JSON pointer (RFC 6901) names inside a manifest, or of its
 * deepest ancestor that is written in the file (a missing field is added there).
 */
export function fieldLine(manifest: LoadedManifest, pointer: string): number {
  const { document, path } = manifest.source;
  const tree = documentTree(document);
  if (tree === undefined) {
    return manifest.line;
  }
  let node = tree.find(path);
  let offset = node?.range?.[0];
  const segments = pointer === '' ? [] : pointer.replace(/^\//, '').split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const segment of segments) {
    let next: { keyOffset?: number; value?: Node } | undefined;
    if (isMap(node)) {
      next = findPair(node, segment, tree.deref, 0);
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)] as Node | undefined;
      next = item ? { keyOffset: item.range?.[0], value: item } : undefined;
    }
    if (!next) {
      break;
    }
    offset = next.keyOffset ?? offset;
    node = tree.deref(next.value);
  }
  return offset === undefined ? manifest.line : document.lineCounter.linePos(document.start + offset).line;
}

/** A document read again, with its aliases bound. */
interface DocumentTree {
  readonly find: (path: ReadonlyArray<string | number>) => Node | undefined;
  readonly deref: (node: Node | undefined) => Node | undefined;
}

/**
 * The documents read again lately, least recent first. Findings are reported object by object,
 * but a finding's related locations point into other documents (the Service of a DaemonSet, the
 * agent of a client) and back: a few hundred trees keep that from parsing a document per finding,
 * while a bound keeps a large input from holding every tree at once.
 */
const recentTrees = new Map<DocumentText, DocumentTree | undefined>();
const RECENT_TREES = 256;

function documentTree(document: DocumentText): DocumentTree | undefined {
  if (recentTrees.has(document)) {
    const tree = recentTrees.get(document);
    recentTrees.delete(document);
    recentTrees.set(document, tree);
    return tree;
  }
  const [doc] = readDocuments(document.text.slice(document.start, document.end));
  const root = doc?.contents as Node | null | undefined;
  let tree: DocumentTree | undefined;
  if (root) {
    const aliases = bindAliases(root);
    const deref = (node: Node | undefined) => (isAlias(node) ? aliases.get(node) : node);
    tree = {
      deref,
      find: (path) => {
        let node = deref(root);
        for (const step of path) {
          node = deref(childNode(node, step, deref));
        }
        return node;
      },
    };
  }
  recentTrees.set(document, tree);
  if (recentTrees.size > RECENT_TREES) {
    recentTrees.delete(recentTrees.keys().next().value!);
  }
  return tree;
}

/**
 * A key of a map, as kubectl applies merge keys (`<<`): a key written after the merge key wins
 * over the merged maps, one written before it loses; of a list of merged maps, the first wins.
 */
function findPair(map: Node, key: string, deref: (node: Node | undefined) => Node | undefined, depth: number)
  : { keyOffset?: number; value?: Node } | undefined {
  if (!isMap(map) || depth > 10) {
    return undefined;
  }
  let found: { keyOffset?: number; value?: Node } | undefined;
  for (const pair of map.items) {
    const k = pair.key as Node;
    if (isScalar(k) && k.value === '<<' && (k.type === 'PLAIN' || k.tag !== undefined)) {
      // a field can come from a map merged in with `<<: *anchor`; its line is in the anchor
      const source = deref(pair.value as Node);
      const sources = isSeq(source) ? source.items.map(s => deref(s as Node)) : [source];
      const merged = sources.map(s => s && findPair(s, key, deref, depth + 1)).find(f => f !== undefined);
      found = merged ?? found;
    } else if (isScalar(k) && String(k.value) === key) {
      found = { keyOffset: k.range?.[0], value: pair.value as Node };
    }
  }
  return found;
}

function isList(obj: Record<string, any>): boolean {
  return typeof obj.kind === 'string' && obj.kind.endsWith('List') && (obj.kind === 'List' || 'items' in obj);
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) {
    return 'empty';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `a ${typeof value} (${shown})`;
}

function position(file: string, lineCounter: LineCounter, offset: number | undefined) {
  if (offset === undefined) {
    return { line: 1, column: 1, text: file };
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col, text: `${file}:${line}:${col}` };
}

/** The first line of a yaml error, lower case first letter, without the package's own position. */
function describeYamlError(message: string): string {
  if (/maximum call stack/i.test(message)) {
    return 'the yaml is nested too deeply to read (more than a few hundred levels of maps and lists)';
  }
  const line = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
  return line.charAt(0).toLowerCase() + line.slice(1);
}
