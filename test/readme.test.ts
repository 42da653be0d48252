import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

// The README's whole-app examples must compile against the library and synthesize, so the
// README cannot drift from the API.
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

/** The first TypeScript block after the heading. */
function exampleAfter(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const match = /```ts\n([\s\S]*?)```/.exec(README.slice(start));
  expect(match).not.toBeNull();
  return match![1];
}

/** One program for every example: type-checking the library once is most of the time. */
let program: ts.Program | undefined;
function compile(files: string[], file: string): string[] {
  if (program === undefined) {
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
    program = ts.createProgram(files, { ...options, noEmit: true, rootDir: ROOT });
  }
  const diagnostics = [...ts.getPreEmitDiagnostics(program, program.getSourceFile(file)), ...program.getGlobalDiagnostics()];
  return diagnostics.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Runs the app with its output in a temporary folder; returns the YAML of each chart. */
function synthesize(file: string): (chart: string) => string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => jest.requireActual(file));
    const files = new Map(fs.readdirSync(outdir).map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf-8')]));
    return chart => files.get(`${chart}.k8s.yaml`) ?? '';
  } finally {
    if (previous === undefined) {
      delete process.env.CDK8S_OUTDIR;
    } else {
      process.env.CDK8S_OUTDIR = previous;
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const EXAMPLES = [
  { title: 'the usage example', heading: '## Usage', name: 'usage.ts' },
  { title: 'the cdk8s-plus-33 app example', heading: '### In a cdk8s-plus-33 or -34 app', name: 'plus33.ts' },
];
const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.readme-'));
const files = EXAMPLES.map(e => path.join(dir, e.name));
EXAMPLES.forEach((e, i) => {
  fs.writeFileSync(files[i], exampleAfter(e.heading).replace("from 'cdk8s-node-local'", `from '${path.relative(dir, path.join(ROOT, 'src'))}'`));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(EXAMPLES.map((e, i) => ({ ...e, file: files[i] })))('$title', ({ name, file }) => {
  test('compiles', () => {
    expect(compile(files, file)).toEqual([]);
  });

  test('synthesizes a node-local pair and connected clients', () => {
    const yaml = synthesize(file);
    if (name === 'usage.ts') {
      expect(yaml('observability')).toContain('internalTrafficPolicy: Local');
      expect(yaml('observability')).toContain('value: http://otel-agent:4317');
    } else {
      expect(yaml('agents')).toContain('internalTrafficPolicy: Local');
      expect(yaml('shop')).toContain('value: http://otel-agent.observability.svc.cluster.local:4317');
      expect(yaml('shop')).toContain('value: $(NODE_LOCAL_HOST_IP):8125');
      expect(yaml('shop')).toContain('fieldPath: status.hostIP');
    }
  });
});
