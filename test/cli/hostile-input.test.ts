// The hostile inputs of issue 11, each answered with the documented exit code and one line, in
// bounded time and memory. Sizes are scaled down through --max-input-size: the real sizes (200 MB,
// /dev/zero, a million objects) are measured by hand, see the README's "Limits of the command".
import * as fs from 'fs';
import { Readable } from 'stream';
import { Alias } from 'yaml';
import { DAEMONSET, SERVICE } from './fixtures';
import { cli, expectInputError, folder, removeFolder } from './support';
import { run } from '../../src/cli/main';
import { parseManifests } from '../../src/cli/manifests';

let dir: string;
afterEach(() => dir && removeFolder(dir));

/** Runs the command on an endless standard input of zero bytes, as `lint < /dev/zero`. */
async function lintEndless(...flags: string[]) {
  let produced = 0;
  const zeros = new Readable({
    read() {
      produced += 65536;
      this.push(Buffer.alloc(65536));
    },
  });
  let stdout = '';
  let stderr = '';
  const code = await run(['lint', ...flags], {
    stdin: zeros,
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
  });
  zeros.destroy();
  return { code, stdout, stderr, produced };
}

describe('size', () => {
  test('an endless standard input stops at the limit, exit 2 and one line', async () => {
    const result = await lintEndless('--max-input-size', '1M');
    expectInputError(result, /^cdk8s-node-local: <stdin>: the input is larger than the limit of 1 MiB \(all inputs together\); raise it with --max-input-size/);
    // read while counting: it stops within a chunk of the limit, not at the end of the stream
    expect(result.produced).toBeLessThan(1024 * 1024 + 4 * 65536);
  });

  test('the default limit applies without the option', async () => {
    const result = await lintEndless();
    expectInputError(result, /the input is larger than the limit of 16 MiB/);
  });

  test('a file larger than the limit is refused before it is read (one long quoted scalar)', async () => {
    dir = folder({ 'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: "${'a'.repeat(3 * 1024 * 1024)}"\n` });
    const readFile = jest.spyOn(fs.promises, 'readFile');
    const result = await cli(['lint', '--max-input-size', '2M', 'big.yaml'], { cwd: dir });
    expectInputError(result, /^cdk8s-node-local: big.yaml: the input is larger than the limit of 2 MiB/);
    expect(readFile).not.toHaveBeenCalled();
    readFile.mockRestore();
  });

  test('the limit is on all inputs together (many documents over two files)', async () => {
    const doc = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata: {x: "${'b'.repeat(900)}"}\n`;
    const half = Array.from({ length: 700 }, (_, i) => doc(i)).join('');
    dir = folder({ 'a.yaml': half, 'b.yaml': half });
    const alone = await cli(['lint', '--max-input-size', '1M', 'a.yaml'], { cwd: dir });
    expect(alone.code).toBe(0);
    expectInputError(await cli(['lint', '--max-input-size', '1M', 'a.yaml', 'b.yaml'], { cwd: dir }), /^cdk8s-node-local: b.yaml: the input is larger than the limit of 1 MiB/);
  }, 30_000);

  test.each([
    ['0', /is not a size/],
    ['-5', /needs a value|is not a size/],
    ['12Q', /is not a size/],
    ['', /--max-input-size needs a value/],
    ['1000G', /--max-input-size: 1000 GiB is more than this process can read in its memory \(at most \d+(\.\d)? MiB\); give less, or raise node's heap limit/],
  ])('fails if --max-input-size is %j', async (value, pattern) => {
    expectInputError(await cli(['lint', `--max-input-size=${value}`], { stdin: SERVICE }), pattern);
  });

  test('--max-input-size takes bytes, K, M and G', async () => {
    for (const size of ['20000', '64K', '1M', '32M', '64MiB']) {
      const result = await cli(['lint', '--max-input-size', size], { stdin: `${SERVICE}---\n${DAEMONSET}` });
      expect({ size, code: result.code, stderr: result.stderr }).toEqual({ size, code: 0, stderr: '' });
    }
  });
});

describe('aliases', () => {
  /** A document whose list holds `n` aliases of one anchored scalar. */
  const aliases = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: &n v\n  l: [${Array(n).fill('*n').join(', ')}]\n`;

  test('20,000 aliases are read in linear time: no alias walks the document again', async () => {
    // 16,000 took 25 s, each alias searching the document for its anchor
    const resolve = jest.spyOn(Alias.prototype, 'resolve');
    const start = Date.now();
    const [m] = parseManifests('a.yaml', aliases(20_000));
    expect(m.object.data.l).toHaveLength(20_000);
    expect(resolve).not.toHaveBeenCalled();
    expect(Date.now() - start).toBeLessThan(10_000);
    resolve.mockRestore();
  }, 30_000);

  test('a List of 999 items sharing one anchored spec lints as fast as written out, with the same findings', async () => {
    const spec = DAEMONSET.split('\nspec:\n')[1].trimEnd().split('\n').map(l => `  ${l}`).join('\n');
    const item = (i: number, body: string) => `  - apiVersion: apps/v1\n    kind: DaemonSet\n    metadata: {name: agent-${i}, namespace: kube-system}\n    spec:${body}\n`;
    const list = (alias: boolean) => `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 999 }, (_, i) =>
      item(i, !alias ? `\n${spec.replace(/^/gm, '  ')}` : i === 0 ? ` &spec\n${spec.replace(/^/gm, '  ')}` : ' *spec')).join('')}`;
    dir = folder({ 'aliased.yaml': list(true), 'plain.yaml': list(false) });
    const timed = async (file: string) => {
      const start = Date.now();
      const result = await cli(['lint', '--format', 'json', file], { cwd: dir });
      return { result, ms: Date.now() - start };
    };
    const plain = await timed('plain.yaml');
    const aliased = await timed('aliased.yaml');
    expect(aliased.result.stderr).toBe('');
    const findings = (r: { stdout: string }) => JSON.parse(r.stdout).findings.map((f: any) => [f.ruleId, f.resource.name, f.path]);
    expect(findings(aliased.result)).toEqual(findings(plain.result));
    expect(JSON.parse(aliased.result.stdout).summary.resources).toBe(999);
    // 34 s against 0.8 s before; now the aliased file, being shorter, is the faster one
    expect(aliased.ms).toBeLessThan(plain.ms * 2 + 2000);
  }, 60_000);

  test('aliases of aliases ("billion laughs") stop at the budget, exit 2 and one line', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
    }
    const start = Date.now();
    const result = await cli(['lint'], { stdin: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n${levels.map(l => `  ${l}`).join('\n')}\n` });
    expectInputError(result, /^cdk8s-node-local: <stdin>:\d+:\d+: cannot read document 1: the aliases \(\*name\) expand to more than 1,000,000 values/);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});

describe('many objects', () => {
  test('150,000 objects are read without recursion or spreads over them', () => {
    // an anchored object shared 150,000 times: small to write, as many objects as the 125,000 that overflowed the stack
    const text = `apiVersion: v1\nkind: List\nitems: [&o {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}${', *o'.repeat(149_999)}]\n`;
    const manifests = parseManifests('many.yaml', text);
    expect(manifests).toHaveLength(150_000);
    expect(manifests[149_999]).toMatchObject({ file: 'many.yaml', line: 3 });
  }, 60_000);

  test('nesting deeper than the parser can follow is exit 2 with one line', async () => {
    const result = await cli(['lint'], { stdin: `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(5000)}${']'.repeat(5000)}\n` });
    expectInputError(result, /^cdk8s-node-local: <stdin>:\d+:\d+: cannot parse yaml: the yaml is nested too deeply to read/);
  });
});

describe('values', () => {
  test('port: 1:30 reaches the rules as the text "1:30", as kubectl reads it (not 90)', () => {
    const [m] = parseManifests('s.yaml', SERVICE.replace('      port: 53', '      port: 1:30'));
    expect(m.object.spec.ports[0].port).toBe('1:30');
  });

  test('an empty FILE argument is a usage error, not the current directory', async () => {
    dir = folder({ 'service.yaml': SERVICE });
    expectInputError(await cli(['lint', ''], { cwd: dir }),
      /^cdk8s-node-local: a FILE argument is empty \(""\); give a file or directory name, or - for standard input\n$/);
  });
});
