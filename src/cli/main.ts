import { promises as fs } from 'fs';
import * as path from 'path';
import { FORMATS, renderReport } from './formats';
import { locate } from './locate';
import { InputError, LoadedManifest, fieldLine, parseManifests } from './manifests';
import { packageInfo } from './package-info';
import { Finding, RelatedResource, Severity } from '../lint/finding';
import { lintWithAcknowledged } from '../lint/lint';

/**
 * The streams the command reads and writes; injectable so tests run it in-process.
 */
export interface CliIo {
  /** Read when no file, or `-`, is given. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The report. */
  readonly stdout: { write(text: string): unknown };
  /** The one-line error when the command cannot run. */
  readonly stderr: { write(text: string): unknown };
  /**
   * The directory relative file names are read from.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/** Exit codes: the contract with scripts and CI. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

const PROGRAM = 'cdk8s-node-local';
const STDIN_NAME = '<stdin>';
// JSON files are read when named; in a directory they are more often something else
// (cdk8s writes construct-metadata.json next to its manifests)
const MANIFEST_EXTENSIONS = /\.ya?ml$/i;

export const USAGE = `Usage: ${PROGRAM} lint [--strict] [--format text|json|sarif|github] [FILE ...]

Checks Kubernetes manifests for node-local Services (internalTrafficPolicy: Local) that can
drop traffic, and for the DaemonSets behind them.

Reads every YAML or JSON document in each FILE: the output of helm template, kustomize
build or kubectl get -o yaml (List objects are read item by item). A directory stands for
the .yaml and .yml files in it and below it; name JSON files one by one. With no FILE, or
with -, reads standard input. All objects of all files are checked together, so a Service
and its DaemonSet can be in different files. An input without any object is an error.

Options:
  --strict          exit 1 on warnings too, not only on errors
  --format FORMAT   text (default); json, a stable machine-readable report; sarif, a
                    SARIF 2.1.0 log for GitHub code scanning and other CI dashboards
                    (acknowledged findings included, as suppressed); github, GitHub
                    Actions workflow commands that annotate the pull request
  -h, --help        print this help
  --version         print the version

Exit codes:
  0  no errors (warnings allowed unless --strict)
  1  errors found (with --strict, warnings too)
  2  the input could not be read, or the command line is wrong
`;

interface LintArgs {
  readonly strict: boolean;
  readonly format: string;
  readonly files: string[];
}

/** A wrong command line: reported as one line, exit 2. */
class UsageError extends Error {}

/**
 * Runs the command line `cdk8s-node-local ARGS...`.
 *
 * @param argv the arguments after the program name
 * @returns the exit code
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command === 'help') {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (command === 'version') {
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    }
    return await lint(command, io);
  } catch (e: any) {
    if (e instanceof UsageError || e instanceof InputError) {
      io.stderr.write(`${PROGRAM}: ${e.message}\n`);
    } else {
      // a bug, not bad input: still one line, and say where to take it
      io.stderr.write(`${PROGRAM}: internal error: ${oneLine(e?.message ?? String(e))}; `
        + 'this is a bug in cdk8s-node-local, please report it with the input that caused it\n');
    }
    return EXIT_BAD_INPUT;
  }
}

function parseCommand(argv: string[]): LintArgs | 'help' | 'version' {
  const [command, ...rest] = argv;
  if (command === undefined) {
    throw new UsageError(`missing command; usage: ${PROGRAM} lint [--strict] [--format text|json|sarif|github] [FILE ...] (see ${PROGRAM} --help)`);
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    return 'help';
  }
  if (command === '--version') {
    return 'version';
  }
  if (command !== 'lint') {
    const what = command.startsWith('-') ? `option ${command} before the command` : `command "${command}"`;
    throw new UsageError(`unknown ${what}; the command is lint: ${PROGRAM} lint [--strict] [--format text|json|sarif|github] [FILE ...]`);
  }

  let strict = false;
  let format = 'text';
  const files: string[] = [];
  let onlyFiles = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      files.push(arg);
    } else if (arg === '--') {
      onlyFiles = true;
    } else if (arg === '--help' || arg === '-h') {
      return 'help';
    } else if (arg === '--strict') {
      strict = true;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? rest[++i] : arg.slice('--format='.length);
      if (value === undefined) {
        throw new UsageError(`--format needs a value; allowed: ${FORMATS.join(', ')} (e.g. --format json)`);
      }
      if (!FORMATS.includes(value)) {
        throw new UsageError(`unknown --format "${value}"; allowed: ${FORMATS.join(', ')}`);
      }
      format = value;
    } else {
      throw new UsageError(`unknown option ${arg}; allowed: --strict, --format text|json|sarif|github, --help (a file whose name starts with - goes after --)`);
    }
  }
  return { strict, format, files };
}

async function lint(args: LintArgs, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const inputs = await readInputs(args.files, cwd, io);

  const manifests: LoadedManifest[] = [];
  for (const input of inputs) {
    manifests.push(...parseManifests(input.name, input.text));
  }
  if (manifests.length === 0) {
    // an empty pipe usually means the command that should have written to it failed:
    // passing would hide that
    const names = inputs.map(i => i.name).join(', ');
    throw new InputError(`no kubernetes objects in ${names}; give manifests to check (empty and comment-only documents are skipped)`);
  }

  const all = lintWithAcknowledged(manifests.map(m => m.object));
  const findings = all.filter(f => !f.acknowledgement).map(f => f.finding);
  const report = buildReport(findings, manifests, inputs.length);
  io.stdout.write(renderReport({ format: args.format, findings: all, manifests, report, cwd, stdinName: STDIN_NAME }));

  const failed = report.json.summary.errors > 0 || (args.strict && report.json.summary.warnings > 0);
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

interface Input {
  readonly name: string;
  readonly text: string;
}

async function readInputs(files: string[], cwd: string, io: CliIo): Promise<Input[]> {
  const names = files.length === 0 ? ['-'] : files;
  if (names.filter(n => n === '-').length > 1) {
    throw new UsageError('standard input (-) is given more than once; give - at most once');
  }

  const inputs: Input[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '-') {
      if (io.stdin.isTTY) {
        throw new UsageError(`standard input is a terminal, not manifests; give files (${PROGRAM} lint FILE ...) or pipe manifests in`);
      }
      inputs.push({ name: STDIN_NAME, text: await readStream(io.stdin) });
      continue;
    }
    for (const file of await expand(name, cwd)) {
      const resolved = path.resolve(cwd, file);
      // the same file named twice (through a symlink, or a directory and a file in it) is checked once,
      // or its objects would be reported as duplicates of themselves (NL018)
      const real = await fs.realpath(resolved).catch(() => resolved);
      if (seen.has(real)) {
        continue;
      }
      seen.add(real);
      inputs.push({ name: file, text: await readText(file, resolved) });
    }
  }
  return inputs;
}

/** A file stands for itself, a directory for the YAML files in it and below it. */
async function expand(name: string, cwd: string): Promise<string[]> {
  let stat;
  try {
    stat = await fs.stat(path.resolve(cwd, name));
  } catch (e: any) {
    throw new InputError(`cannot read ${name}: ${describeFsError(e)}`);
  }
  if (!stat.isDirectory()) {
    return [name];
  }
  const found: string[] = [];
  const walk = async (dir: string) => {
    const entries = await fs.readdir(path.resolve(cwd, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) {
        await walk(child);
      } else if (entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) {
        found.push(child);
      }
    }
  };
  await walk(name);
  if (found.length === 0) {
    throw new InputError(`directory ${name} has no .yaml or .yml files; give the manifest files (JSON files by name) or the directory that holds them`);
  }
  return found;
}

async function readText(name: string, resolved: string): Promise<string> {
  try {
    return await fs.readFile(resolved, 'utf-8');
  } catch (e: any) {
    throw new InputError(`cannot read ${name}: ${describeFsError(e)}`);
  }
}

function describeFsError(e: any): string {
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory; check the path';
    case 'EACCES': case 'EPERM': return 'permission denied; make the file readable';
    case 'EISDIR': return 'it is a directory';
    default: return oneLine(String(e?.message ?? e)).toLowerCase();
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf-8');
}

/**
 * The JSON report (`--format json`), version 1. Adding fields is not a breaking change;
 * removing or renaming one bumps `version`.
 */
export interface JsonReport {
  readonly version: 1;
  readonly findings: JsonFinding[];
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    /** Objects checked. */
    readonly resources: number;
    /** Files read (standard input counts as one). */
    readonly files: number;
  };
}

/** One finding in the JSON report. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: string;
  readonly message: string;
  readonly fix: string;
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null };
  readonly path: string;
  /** The file the object is in; `<stdin>` for standard input; null if the finding is about no given object. */
  readonly file: string | null;
  /** The line of the object's first field. */
  readonly line: number | null;
  /** The line of the field `path` names, or of its closest ancestor written in the file. */
  readonly fieldLine: number | null;
  /** Other objects the finding concerns (the other copies of a duplicate, the other policies of a denial); absent when none. */
  readonly related?: JsonRelated[];
}

/** Another object a finding concerns, where it is. */
export interface JsonRelated {
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null };
  readonly path: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly fieldLine: number | null;
}

/**
 * Groups the findings by object in input order and renders both formats.
 *
 * @param manifests the objects the findings are about, in the order given to the engine
 * @param files how many files were read
 */
export function buildReport(findings: Finding[], manifests: LoadedManifest[], files: number): { json: JsonReport; text: string } {
  const sorted = locate(findings.map(finding => ({ finding })), manifests);

  const errors = findings.filter(f => f.severity === Severity.ERROR).length;
  const warnings = findings.filter(f => f.severity === Severity.WARNING).length;
  const summary = { errors, warnings, resources: manifests.length, files };

  const jsonFindings: JsonFinding[] = sorted.map(({ finding: f, manifest: m }) => ({
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    message: f.message,
    fix: f.fix,
    resource: { kind: f.resource.kind, name: f.resource.name ?? null, namespace: f.resource.namespace ?? null },
    path: f.path,
    file: m?.file ?? null,
    line: m?.line ?? null,
    fieldLine: m ? fieldLine(m, f.path) : null,
    ...(f.related !== undefined ? { related: f.related.map(r => relatedOf(r, manifests)) } : {}),
  }));

  const lines: string[] = [];
  let previous: string | undefined;
  sorted.forEach(({ finding: f, manifest: m }, i) => {
    const j = jsonFindings[i];
    const header = `${m ? `${m.file}:${m.line}` : '(not in the input)'}: ${describeResource(f)}`;
    if (header !== previous) {
      if (previous !== undefined) {
        lines.push('');
      }
      lines.push(header);
      previous = header;
    }
    const at = j.fieldLine === null ? f.path : `${f.path}, line ${j.fieldLine}`;
    lines.push(`  ${f.ruleId} ${f.severity} ${f.ruleName} (${at})`);
    lines.push(`    ${f.message}`);
    lines.push(`    fix: ${f.fix}`);
    for (const r of j.related ?? []) {
      const where = r.file === null ? '(not in the input)' : `${r.file}:${r.line}`;
      lines.push(`    related: ${where}: ${describeResource(r)} (${r.fieldLine === null ? r.path : `${r.path}, line ${r.fieldLine}`})`);
    }
  });
  if (lines.length > 0) {
    lines.push('');
  }
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(manifests.length, 'resource')} from ${plural(files, 'file')}`);

  return { json: { version: 1, findings: jsonFindings, summary }, text: `${lines.join('\n')}\n` };
}

function relatedOf(r: RelatedResource, manifests: LoadedManifest[]): JsonRelated {
  const m = r.manifestIndex === undefined ? undefined : manifests[r.manifestIndex];
  return {
    resource: { kind: r.resource.kind, name: r.resource.name ?? null, namespace: r.resource.namespace ?? null },
    path: r.path,
    file: m?.file ?? null,
    line: m?.line ?? null,
    fieldLine: m ? fieldLine(m, r.path) : null,
  };
}

interface Described {
  readonly resource: { readonly kind: string; readonly name?: string | null; readonly namespace?: string | null };
}

function describeResource(f: Described): string {
  const { kind, name, namespace } = f.resource;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function oneLine(text: string): string {
  return text.split('\n')[0];
}

function version(): string {
  return packageInfo().version;
}
