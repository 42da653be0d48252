import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

// The README's usage example is a whole cdk8s app: it must compile against the library and
// synthesize, so the README cannot drift from the API.
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

function usageExample(): string {
  const usage = README.slice(README.indexOf('## Usage'));
  const match = /```ts\n([\s\S]*?)```/.exec(usage);
  expect(match).not.toBeNull();
  return match![1];
}

describe('the README usage example', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.readme-'));
  const file = path.join(dir, 'usage.ts');
  fs.writeFileSync(file, usageExample().replace("from 'cdk8s-node-local'", `from '${path.relative(dir, path.join(ROOT, 'src'))}'`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('compiles', () => {
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
    const program = ts.createProgram([file], { ...options, noEmit: true, rootDir: ROOT });
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });

  test('synthesizes a node-local pair and a connected client', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-usage-'));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      jest.isolateModules(() => jest.requireActual(file));
      const yaml = fs.readFileSync(path.join(outdir, 'observability.k8s.yaml'), 'utf-8');
      expect(yaml).toContain('internalTrafficPolicy: Local');
      expect(yaml).toContain('value: http://otel-agent:4317');
    } finally {
      if (previous === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = previous;
      }
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
