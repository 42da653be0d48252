/**
 * Transpiles `src/` and `bench/` to JavaScript in a temporary directory, so that each measured
 * worker is plain `node` running compiled code, as a user's `cdk8s synth` runs the published
 * `lib/`: no ts-node and no TypeScript compiler in the worker's time or memory. A fresh clone
 * has no `lib/` until it is built, and the bench must not depend on a build.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// a devDependency: the bench runs from a clone after `npm ci`, never from the published package
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';

/** The repository root (bench/ is one level below it). */
export const ROOT = path.resolve(__dirname, '..');

/** The folders of the repository that are compiled, relative to the root. */
const FOLDERS = ['src', 'bench'];

/**
 * Compiles the library and the bench into a new temporary directory and returns it. The
 * directory gets a `node_modules` link to the repository's, so compiled files resolve the
 * same packages (one copy of cdk8s, cdk8s-plus-27 and constructs).
 */
export function compileToTemp(): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-node-local-bench-'));
  const options = compilerOptions();
  for (const folder of FOLDERS) {
    for (const file of tsFiles(path.join(ROOT, folder))) {
      const source = fs.readFileSync(file, 'utf-8');
      const output = ts.transpileModule(source, { compilerOptions: options, fileName: file, reportDiagnostics: false });
      const target = path.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, output.outputText);
    }
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'junction');
  // src/cli/main.ts reads the version from the package.json two levels above it
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(outDir, 'package.json'));
  return outDir;
}

/** The project's compiler options (target, decorators, interop), emitting CommonJS as lib/ does. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) {
    throw new Error(`cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  return {
    ...parsed.options,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    // line numbers in CPU profiles point at the compiled file; no source maps needed
    inlineSourceMap: false,
    inlineSources: false,
    sourceMap: false,
    declaration: false,
    noEmit: false,
    isolatedModules: true,
  };
}

function tsFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      found.push(...tsFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(full);
    }
  }
  return found;
}
