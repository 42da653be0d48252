// YAML structure as kubectl reads it: recorded cases (from kubectl 1.32, see kubectl-values.test.ts),
// and, where kubectl is installed, a differential property test against it over generated YAML with
// the shapes charts render: multi-line quoted scalars and flow collections indented less than
// YAML 1.2 allows, tricky plain scalars, anchors and merge keys.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { Lexer } from 'yaml';
import { InputError, parseManifests } from '../../../src/cli/manifests';

const HEAD = 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: s\n';

function data(body: string): unknown {
  try {
    return parseManifests('t.yaml', `${HEAD}${body}\n`)[0].object.data;
  } catch (e) {
    if (e instanceof InputError) {
      return 'REFUSED';
    }
    throw e;
  }
}

describe('recorded from kubectl', () => {
  test.each([
    // a multi-line single-quoted scalar whose continuation lines sit at the parent key's indentation
    // and below (as a chart's journald configuration renders it)
    ['data:\n  config: \'line one\n  line two\ncontinued at zero\n      deeper\'', { config: 'line one line two continued at zero deeper' }],
    ['data:\n  dq: "a\nb\\\n  c"', { dq: 'a bc' }],
    ['data:\n  flow: [a,\n b, {c: d,\ne: f}]', { flow: ['a', 'b', { c: 'd', e: 'f' }] }],
    // (y is a boolean in YAML 1.1, a key too)
    ['data:\n  a: {x: 1,\ny: 2\n}', { a: { x: 1, true: 2 } }],
    ['data:\n  a: \'x\n\ty\'', { a: 'x y' }],
    ['data:\n  a: "multi\n\n  para"', { a: 'multi\npara' }],
    ['data:\n  - a\n  - \'b\n c\'', ['a', 'b c']],
    // a duplicate key keeps its last value
    ['data:\n  a: 1\n  a: 2', { a: 2 }],
    ['data: {a: 1, a: 2}', { a: 2 }],
    // merge keys apply at their position; of a list of maps, the first wins
    ['data:\n  a: 1\n  <<: {a: 2, b: 3}', { a: 2, b: 3 }],
    ['data:\n  <<: {a: 2, b: 3}\n  a: 1', { a: 1, b: 3 }],
    ['data:\n  <<: [{a: 2}, {a: 3, b: 4}]', { a: 2, b: 4 }],
    ['data:\n  <<: {a: 1}\n  <<: {b: 2}', { a: 1, b: 2 }],
    // float keys as Go's %g of a float32
    ['data:\n  1.0: x\n  1000000.0: y\n  0.00001: z\n  123456789.0: w\n  1e21: v\n  0.1: u',
      { '1': 'x', '1e+06': true, '1e-05': 'z', '1.2345679e+08': 'w', '1e+21': 'v', '0.1': 'u' }],
    ['data:\n  yes: x\n  y: z', { true: 'z' }],
    // an alias refers to the latest anchor of that name before it
    ['data: &a\n  x: 1\nmore: &a [2]\nthird: *a', { x: 1 }],
    ['data: !!binary |\n  aGVs\n  bG8=', 'hello'],
    ['data:\n  <<: *nope', 'REFUSED'],
    ['data:\n  ? [a]\n  : b', 'REFUSED'],
    ['data: &x\n  a: *x', 'REFUSED'],
    ['data:\n  <<: 5', 'REFUSED'],
    ['data:\n  a: \'x\n---\n  y\'', 'REFUSED'],
  ])('%j', (body, expected) => {
    expect(data(body)).toEqual(expected);
  });

  test('the anchor redefined is the one later aliases see', () => {
    const object = parseManifests('t.yaml', `${HEAD}data: &a\n  x: 1\nmore: &a [2]\nthird: *a\n`)[0].object;
    expect([object.more, object.third]).toEqual([[2], [2]]);
  });

  test('an alias shares its anchor\'s value, converted once', () => {
    const items = Array.from({ length: 3 }, (_, i) => `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}, data: ${i === 0 ? '&d {a: "1"}' : '*d'}}`);
    const objects = parseManifests('l.yaml', `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`).map(m => m.object);
    expect(objects.map(o => o.data)).toEqual([{ a: '1' }, { a: '1' }, { a: '1' }]);
    expect(objects[1].data).toBe(objects[0].data);
  });
});

test('the yaml package still has the lexer steps kubectl-lexer.ts adapts', () => {
  // an update of the package that renames them would silently bring back YAML 1.2's indentation rules
  const proto = Lexer.prototype as any;
  for (const step of ['continueScalar', 'parseQuotedScalar', 'parseFlowCollection']) {
    expect(typeof proto[step]).toBe('function');
  }
});

// ---- differential property test against kubectl ------------------------------------------------

const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf-8' }).status === 0;

const PLAIN = ['yes', 'no', 'on', 'Off', 'y', 'N', '~', 'null', 'true', 'False', '1:30', '190:20:30', '0755', '0788', '0x1F', '0o17',
  '0b101', '1_000', '10_', '.5', '5.', '1e3', '-1', '+12', '1.5', '2001-12-14', 'abc', 'a-b', 'x.y', 'node-cache', '0', '-0', '00'];
const WORDS = ['alpha', 'beta', 'x', 'Log', 'two words', 'k8s', 'a:b', 'c#d', 'yes'];
const KEYS = ['name', 'port', 'on', 'yes', '1', '0x1F', '1:30', 'key', 'a.b', 'k-8'];

type Tree = string | Tree[] | Array<[string, Tree]> | { map: Array<[string, Tree]> };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>(tie => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...PLAIN),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
    fc.record({ map: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 3, selector: e => e[0] }) })),
})).node;

/** Picks from the style choices in turn. */
class Styles {
  private i = 0;
  constructor(private readonly choices: number[]) {}
  next(n: number): number {
    return this.choices[this.i++ % this.choices.length] % n;
  }
}

/** A quoted scalar broken over lines at any indentation, as charts render them. */
function quoted(words: string[], styles: Styles, indent: number): string {
  const quote = styles.next(2) === 0 ? '\'' : '"';
  const parts = words.map((w, i) => (i === 0 ? w : `${styles.next(3) === 0 ? `\n${' '.repeat(styles.next(indent + 3))}` : ' '}${w}`));
  return `${quote}${parts.join('')}${quote}`;
}

function scalar(value: string, styles: Styles, indent: number): string {
  switch (styles.next(4)) {
    case 0: return quoted([value, ...WORDS.slice(styles.next(WORDS.length), styles.next(WORDS.length) + 2)], styles, indent);
    case 1: return `'${value}'`;
    default: return value;
  }
}

/** A flow collection, broken after commas onto lines at any indentation. */
function flow(value: Tree, styles: Styles, indent: number): string {
  const brk = () => (styles.next(3) === 0 ? `\n${' '.repeat(styles.next(indent + 2))}` : ' ');
  if (typeof value === 'string') {
    return styles.next(2) === 0 ? quoted([value, 'w'], styles, indent) : value;
  }
  if (Array.isArray(value)) {
    return `[${value.map(v => flow(v as Tree, styles, indent)).join(`,${brk()}`)}]`;
  }
  return `{${value.map.map(([k, v]) => `${k}: ${flow(v, styles, indent)}`).join(`,${brk()}`)}}`;
}

function block(value: Tree, styles: Styles, indent: number): string {
  const pad = ' '.repeat(indent);
  if (typeof value === 'string') {
    return `${pad}${scalar(value, styles, indent)}`;
  }
  const child = (v: Tree) => (typeof v === 'string' || styles.next(3) === 0
    ? ` ${typeof v === 'string' ? scalar(v, styles, indent) : flow(v, styles, indent)}`
    : `\n${block(v, styles, indent + 2)}`);
  if (Array.isArray(value)) {
    return value.map(v => `${pad}-${child(v as Tree)}`).join('\n');
  }
  return value.map.map(([k, v]) => `${pad}${k}:${child(v)}`).join('\n');
}

/** What kubectl reads of each document: its data, or REFUSED. */
function kubectlReads(docs: string[], dir: string): unknown[] {
  const run = (text: string) => {
    const file = path.join(dir, 'in.yaml');
    fs.writeFileSync(file, text);
    const r = spawnSync('kubectl', ['label', '--local', '-f', file, '-o', 'json', 'zz=1'], { encoding: 'utf-8' });
    if (r.status !== 0) {
      return undefined;
    }
    // one pretty-printed JSON object per document
    return r.stdout.split(/^}\n/m).filter(s => s.trim() !== '').map(s => JSON.parse(`${s}}`).data ?? null);
  };
  const all = run(docs.join('---\n'));
  if (all !== undefined && all.length === docs.length) {
    return all;
  }
  // kubectl stops at the first document it refuses: ask about each
  return docs.map(d => run(d)?.[0] ?? 'REFUSED');
}

(KUBECTL ? describe : describe.skip)('against kubectl (installed on this machine)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-yaml-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every generated document reads as kubectl reads it', () => {
    fc.assert(fc.property(fc.array(fc.tuple(tree, fc.array(fc.nat(), { minLength: 8, maxLength: 8 })), { minLength: 10, maxLength: 20 }), (cases) => {
      const docs = cases.map(([t, choices]) => `${HEAD}data:\n${block(typeof t === 'string' ? { map: [['v', t]] } : t, new Styles(choices), 2)}\n`);
      const expected = kubectlReads(docs, dir);
      const actual = docs.map(d => {
        try {
          return parseManifests('t.yaml', d)[0].object.data ?? null;
        } catch (e) {
          if (e instanceof InputError) {
            return 'REFUSED';
          }
          throw e;
        }
      });
      for (let i = 0; i < docs.length; i++) {
        expect({ doc: docs[i], data: actual[i] }).toEqual({ doc: docs[i], data: expected[i] });
      }
    }), { numRuns: Number(process.env.KUBECTL_YAML_RUNS ?? 12) }); // more runs by hand: KUBECTL_YAML_RUNS=500
  }, 600_000);
});
