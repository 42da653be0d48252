// Exit code 2: the input could not be read, or the command line is wrong. Always one line on
// stderr, naming the file, line and column when there is one, and never a stack trace.
import * as fs from 'fs';
import * as path from 'path';
import { cli, expectInputError, folder, lines, removeFolder } from './support';

const SERVICE = lines(
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: node-cache',
  'spec:',
  '  internalTrafficPolicy: Local',
  '  selector:',
  '    app: node-cache',
  '  ports:',
  '    - port: 53',
);

let dir: string;
beforeEach(() => {
  dir = folder({ 'service.yaml': SERVICE });
});
afterEach(() => removeFolder(dir));

async function lintText(text: string, ...flags: string[]) {
  fs.writeFileSync(path.join(dir, 'input.yaml'), text);
  return cli(['lint', ...flags, 'input.yaml'], { cwd: dir });
}

describe('the command line', () => {
  test('fails if the command is missing', async () => {
    expectInputError(await cli([]), /^cdk8s-node-local: missing command; usage: cdk8s-node-local lint \[--strict\]/);
  });

  test('fails if the command is unknown', async () => {
    expectInputError(await cli(['check', 'a.yaml']), /unknown command "check"; the command is lint/);
  });

  test('fails if an option comes before the command', async () => {
    expectInputError(await cli(['--strict', 'lint']), /unknown option --strict before the command/);
  });

  test('fails if an option is unknown', async () => {
    expectInputError(await cli(['lint', '--stric', 'service.yaml'], { cwd: dir }),
      /unknown option --stric; allowed: --strict, --format text\|json\|sarif\|github, --help/);
  });

  test('fails if the format is unknown', async () => {
    expectInputError(await cli(['lint', '--format', 'yaml', 'service.yaml'], { cwd: dir }), /unknown --format "yaml"; allowed: text, json, sarif, github$/m);
    expectInputError(await cli(['lint', '--format=SARIF', 'service.yaml'], { cwd: dir }), /unknown --format "SARIF"; allowed: text, json, sarif, github$/m);
  });

  test('fails if --format has no value', async () => {
    expectInputError(await cli(['lint', '--format'], { cwd: dir }), /--format needs a value; allowed: text, json, sarif, github/);
  });

  test('fails if standard input is named twice', async () => {
    expectInputError(await cli(['lint', '-', '-'], { stdin: SERVICE }), /standard input \(-\) is given more than once/);
  });

  test('fails if no file is given and standard input is a terminal', async () => {
    expectInputError(await cli(['lint'], { tty: true }), /^cdk8s-node-local: standard input is a terminal, not manifests; give files \(cdk8s-node-local lint FILE \.\.\.\) or pipe manifests in\n$/);
    expectInputError(await cli(['lint', '-'], { tty: true }), /standard input is a terminal/);
  });

  test('a file whose name starts with - goes after --', async () => {
    fs.writeFileSync(path.join(dir, '-odd.yaml'), SERVICE);
    const result = await cli(['lint', '--', '-odd.yaml'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/from 1 file\n$/);
  });
});

describe('files', () => {
  test('fails if a file is missing', async () => {
    expectInputError(await cli(['lint', 'service.yaml', 'missing.yaml'], { cwd: dir }),
      /^cdk8s-node-local: cannot read missing.yaml: no such file or directory; check the path\n$/);
  });

  test('fails if a file cannot be read', async () => {
    // a path through a regular file: unreadable for any user, root included
    expectInputError(await cli(['lint', 'service.yaml/inner.yaml'], { cwd: dir }), /^cdk8s-node-local: cannot read service.yaml\/inner.yaml: /);
  });

  test('fails if a file has no read permission', async () => {
    // CI runs as root, which reads any file: simulate the refusal the way the kernel reports it
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const readFile = jest.spyOn(fs.promises, 'readFile').mockRejectedValueOnce(denied);
    try {
      expectInputError(await cli(['lint', 'service.yaml'], { cwd: dir }), /cannot read service.yaml: permission denied; make the file readable/);
    } finally {
      readFile.mockRestore();
    }
  });

  test('fails if a directory holds no manifest files', async () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.writeFileSync(path.join(dir, 'empty', 'notes.txt'), 'not yaml');
    fs.writeFileSync(path.join(dir, 'empty', 'construct-metadata.json'), '{}');
    expectInputError(await cli(['lint', 'empty'], { cwd: dir }), /directory empty has no .yaml or .yml files; give the manifest files \(JSON files by name\)/);
  });

  test('fails if the input holds no kubernetes object', async () => {
    expectInputError(await cli(['lint'], { stdin: '' }), /^cdk8s-node-local: no kubernetes objects in <stdin>; give manifests to check/);
    expectInputError(await lintText(lines('---', '# only a comment', '---', '')), /no kubernetes objects in input.yaml/);
  });
});

describe('yaml', () => {
  test('fails with file, line and column on a syntax error', async () => {
    const result = await lintText(lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "node-cache',
      'spec: {}',
    ));
    expectInputError(result, /^cdk8s-node-local: input.yaml:\d+:\d+: cannot parse yaml: missing closing "quote; fix the yaml at that position\n$/);
  });

  test('fails with the exact position of a bad indentation', async () => {
    const result = await lintText(lines(
      SERVICE.trimEnd(),
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: a',
      ' namespace: b',
    ));
    expectInputError(result, /^cdk8s-node-local: input.yaml:16:1: cannot parse yaml: all mapping items must start at the same column;/);
  });

  test('fails on a duplicate key, which kubectl refuses too', async () => {
    const result = await lintText(lines('apiVersion: v1', 'kind: Service', 'kind: Pod'));
    expectInputError(result, /^cdk8s-node-local: input.yaml:3:1: cannot parse yaml: map keys must be unique;/);
  });

  test('fails on a tab used as indentation', async () => {
    const result = await lintText('apiVersion: v1\nkind: Service\nmetadata:\n\tname: a\n');
    expectInputError(result, /^cdk8s-node-local: input.yaml:4:1: cannot parse yaml: tabs are not allowed as indentation;/);
  });

  test('fails on an alias to an anchor that does not exist, at the alias', async () => {
    const result = await lintText(lines('apiVersion: v1', 'kind: Service', 'metadata: *nowhere'));
    expectInputError(result, /^cdk8s-node-local: input.yaml:3:11: cannot read document 1: unresolved alias .*: nowhere; define the anchor \(&name\) before the alias \(\*name\), in the same document\n$/);
  });

  test('fails on an alias to an anchor of another document', async () => {
    const result = await lintText(lines('metadata: &meta {name: a}', 'apiVersion: v1', 'kind: ConfigMap', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: *meta'));
    expectInputError(result, /^cdk8s-node-local: input.yaml:7:11: cannot read document 2: unresolved alias .*: meta;/);
  });

  test('fails on an alias bomb instead of exhausting memory', async () => {
    const result = await lintText(lines(
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ));
    expectInputError(result, /^cdk8s-node-local: input.yaml:1:1: cannot read document 1: excessive alias count indicates a resource exhaustion attack; expand the aliases/);
  });

  test('fails with file, line and column on invalid JSON', async () => {
    fs.writeFileSync(path.join(dir, 'input.json'), '{\n  "apiVersion": "v1",\n  "kind": "Service",\n}\n}\n');
    const result = await cli(['lint', 'input.json'], { cwd: dir });
    expectInputError(result, /^cdk8s-node-local: input.json:\d+:\d+: cannot parse yaml: /);
  });
});

describe('documents that are not kubernetes objects', () => {
  test('fails on a scalar document, naming it', async () => {
    const result = await lintText(lines(SERVICE.trimEnd(), '---', '# a stray value', 'hello'));
    expectInputError(result,
      /^cdk8s-node-local: input.yaml:13:1: document 2 is a string \("hello"\), not a kubernetes object; each document must be a mapping with apiVersion and kind, or a List of them\n$/);
  });

  test('fails on a number document', async () => {
    expectInputError(await lintText('42\n'), /^cdk8s-node-local: input.yaml:1:1: document 1 is a number \(42\), not a kubernetes object;/);
  });

  test('fails on a mapping with neither apiVersion nor kind (a Helm values file, say)', async () => {
    const result = await lintText(lines('replicaCount: 1', 'image:', '  repository: nginx'));
    expectInputError(result,
      /^cdk8s-node-local: input.yaml:1:1: document 1 has no apiVersion and no kind, so it is not a kubernetes object; give files of kubernetes manifests/);
  });

  test('fails on a sequence item that is not an object, at the item', async () => {
    const result = await lintText(lines(
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: { name: a }',
      '- just a string',
    ));
    expectInputError(result, /^cdk8s-node-local: input.yaml:4:3: item 1 of document 1 is a string \("just a string"\), not a kubernetes object;/);
  });

  test('fails on a List whose items are not a list', async () => {
    const result = await lintText(lines('apiVersion: v1', 'kind: List', 'items:', '  name: a'));
    expectInputError(result, /^cdk8s-node-local: input.yaml:4:3: the items of List \(document 1\) are an? object .*, not a list; items must be a sequence/);
  });

  test('fails on a List item that is not an object, at the item', async () => {
    const result = await lintText(lines('apiVersion: v1', 'kind: List', 'items:', '  - 7'));
    expectInputError(result, /^cdk8s-node-local: input.yaml:4:5: item 0 of List \(document 1\) is a number \(7\), not a kubernetes object/);
  });
});
