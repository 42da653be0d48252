import { Alias, Document, LineCounter, Node, isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';

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
  /** The YAML node of the object, to find the line of a field inside it. */
  readonly node: Node;
  /** The YAML document the node belongs to, to resolve aliases. */
  readonly doc: Document;
  /** Turns offsets in the file into lines and columns. */
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

/**
 * Reads every Kubernetes object in one file's text: all of its YAML (or JSON) documents,
 * the items of `List` objects (as written by `kubectl get -o yaml`), and the items of a
 * document that is a sequence of objects. Empty and comment-only documents are skipped.
 *
 * YAML is read as version 1.1, as kubectl, the API server and cdk8s's `Include` read it
 * (`on`/`yes` are booleans, `<<` merges maps).
 *
 * @param file the name to report positions with
 * @param text the file's content
 * @throws InputError when the text is not YAML, or a document is not a Kubernetes object
 */
export function parseManifests(file: string, text: string): LoadedManifest[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', merge: true, prettyErrors: true });
  // an input with no document at all (empty, or only comments) is an `EmptyStream`, not an array
  if (!Array.isArray(docs)) {
    return [];
  }

  const out: LoadedManifest[] = [];
  docs.forEach((doc, i) => {
    const where = (offset: number | undefined) => position(file, lineCounter, offset);
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      const pos = at ? `${file}:${at.line}:${at.col}` : file;
      throw new InputError(`${pos}: cannot parse yaml: ${firstLine(error.message)}; fix the yaml at that position`);
    }

    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e: any) {
      // unresolved aliases and alias bombs are reported by toJS, not as parse errors
      const alias = unresolvedAlias(doc);
      const hint = alias
        ? 'define the anchor (&name) before the alias (*name), in the same document'
        : 'expand the aliases (*name) of this document, or use fewer';
      throw new InputError(`${where(alias?.range?.[0] ?? doc.contents?.range[0]).text}: cannot read document ${i + 1}: `
        + `${firstLine(e?.message ?? String(e))}; ${hint}`);
    }
    if (value === null || value === undefined) {
      return; // an empty or comment-only document: nothing to check
    }

    const node = doc.contents as Node;
    const label = `document ${i + 1}`;
    if (Array.isArray(value)) {
      // a top-level sequence of objects is read like a List: each item is checked
      const seq = deref(node, doc);
      value.forEach((item, j) => {
        const itemNode = isSeq(seq) ? (seq.items[j] as Node) : node;
        collect(item, itemNode, `item ${j} of ${label}`);
      });
    } else {
      collect(value, node, label);
    }

    function collect(obj: unknown, objNode: Node, what: string): void {
      const at = where(objNode?.range?.[0]);
      if (!isPlainObject(obj)) {
        throw new InputError(`${at.text}: ${what} is ${describe(obj)}, not a kubernetes object; `
          + 'each document must be a mapping with apiVersion and kind, or a List of them');
      }
      if (obj.apiVersion === undefined && obj.kind === undefined) {
        throw new InputError(`${at.text}: ${what} has no apiVersion and no kind, so it is not a kubernetes object; `
          + 'give files of kubernetes manifests (e.g. the output of helm template, kustomize build or kubectl get -o yaml)');
      }
      if (isList(obj)) {
        const itemsNode = deref(mapGet(deref(objNode, doc), 'items'), doc);
        const items = obj.items ?? [];
        if (!Array.isArray(items)) {
          const itemsAt = where(itemsNode?.range?.[0] ?? objNode?.range?.[0]);
          throw new InputError(`${itemsAt.text}: the items of ${obj.kind} (${what}) are ${describe(items)}, not a list; `
            + 'items must be a sequence of kubernetes objects');
        }
        // a typed list (ServiceList, from the API) leaves kind and apiVersion out of its items
        const itemKind = obj.kind === 'List' ? undefined : String(obj.kind).slice(0, -'List'.length);
        items.forEach((item: unknown, j: number) => {
          const itemNode = isSeq(itemsNode) ? (itemsNode.items[j] as Node) : objNode;
          const filled = isPlainObject(item) && itemKind
            ? { apiVersion: obj.apiVersion, kind: itemKind, ...item }
            : item;
          collect(filled, itemNode, `item ${j} of ${obj.kind} (${what})`);
        });
        return;
      }
      out.push({ object: obj, file, line: at.line, column: at.column, node: deref(objNode, doc) ?? objNode, doc, lineCounter });
    }
  });
  return out;
}

/**
 * The 1-based line of the field a JSON pointer (RFC 6901) names inside a manifest, or of its
 * deepest ancestor that is written in the file (a missing field is added there).
 */
export function fieldLine(manifest: LoadedManifest, pointer: string): number {
  let node: Node | undefined = manifest.node;
  let offset: number | undefined = manifest.node?.range?.[0];
  const segments = pointer === '' ? [] : pointer.replace(/^\//, '').split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const segment of segments) {
    const current = deref(node, manifest.doc);
    let next: { keyOffset?: number; value?: Node } | undefined;
    if (isMap(current)) {
      next = findPair(current, segment, manifest.doc, 0);
    } else if (isSeq(current) && /^\d+$/.test(segment)) {
      const item = current.items[Number(segment)] as Node | undefined;
      next = item ? { keyOffset: item.range?.[0], value: item } : undefined;
    }
    if (!next) {
      break;
    }
    offset = next.keyOffset ?? offset;
    node = next.value;
  }
  return offset === undefined ? manifest.line : manifest.lineCounter.linePos(offset).line;
}

function findPair(map: Node, key: string, doc: Document, depth: number): { keyOffset?: number; value?: Node } | undefined {
  if (!isMap(map) || depth > 10) {
    return undefined;
  }
  for (const pair of map.items) {
    const k = pair.key as Node;
    if (isScalar(k) && !isMergeKey(k.value) && String(k.value) === key) {
      return { keyOffset: k.range?.[0], value: pair.value as Node };
    }
  }
  // a field can come from a map merged in with `<<: *anchor`; its line is in the anchor
  for (const pair of map.items) {
    const k = pair.key as Node;
    if (isScalar(k) && isMergeKey(k.value)) {
      const source = deref(pair.value as Node, doc);
      const sources = isSeq(source) ? source.items.map(s => deref(s as Node, doc)) : [source];
      for (const s of sources) {
        const found = s && findPair(s, key, doc, depth + 1);
        if (found) {
          return found;
        }
      }
    }
  }
  return undefined;
}

/** The first alias of a document whose anchor is not defined before it. */
function unresolvedAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) {
        found = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function isMergeKey(value: unknown): boolean {
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<');
}

function mapGet(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) {
    return undefined;
  }
  const pair = node.items.find(p => isScalar(p.key) && p.key.value === key);
  return pair?.value as Node | undefined;
}

function deref(node: Node | undefined, doc: Document): Node | undefined {
  let n: unknown = node;
  for (let i = 0; i < 10 && isAlias(n); i++) {
    n = n.resolve(doc);
  }
  return n as Node | undefined;
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

/** The first line of a message, lower case first letter, without the yaml library's own position. */
function firstLine(message: string): string {
  const line = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
  return line.charAt(0).toLowerCase() + line.slice(1);
}
