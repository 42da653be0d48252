// `cdk8s-node-local lint`: read the inputs, parse them, run the engine, write the report.
import { LintArgs } from './args';
import { printable } from './escape';
import { ByteBudget, readInputs } from './inputs';
import { InputError, LoadedManifest, MAX_ALIAS_VALUES, parseManifests } from './manifests';
import { OutputSink, WriteError, writeText } from './output';
import { JsonUnreadable, buildReport } from './report';
import { REPORT_FORMATS } from './report-formats';
import { AliasBudget } from './yaml/to-json';
import { lintWithAcknowledged } from '../lint/lint';

/** Exit codes: the contract with scripts and CI. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

/** The streams a lint run reads and writes. */
export interface LintIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  readonly cwd: string;
}

/**
 * Runs a lint. An input that cannot be read is named on stderr and the others are still
 * checked and reported; the exit code is then 2.
 *
 * @returns the exit code
 * @throws UsageError, InputLimitError (the run stops), InputError when no object was found
 */
export async function lintCommand(args: LintArgs, io: LintIo, program: string): Promise<number> {
  const inputs = await readInputs(args.files, { cwd: io.cwd, stdin: io.stdin, budget: new ByteBudget(args.maxInputBytes) });

  const aliasBudget = new AliasBudget(MAX_ALIAS_VALUES);
  const manifests: LoadedManifest[] = [];
  const unreadable: JsonUnreadable[] = [];
  let files = 0;
  for (const input of inputs) {
    if ('error' in input) {
      unreadable.push({ file: input.name, error: input.error });
      continue;
    }
    try {
      const found = parseManifests(input.name, input.text, { aliasBudget });
      for (const m of found) {
        manifests.push(m); // one by one: a spread of a large array overflows the stack
      }
      files++;
    } catch (e) {
      if (!(e instanceof InputError)) {
        throw e;
      }
      unreadable.push({ file: input.name, error: e.message });
    }
  }
  for (const u of unreadable) {
    await writeError(io.stderr, program, u.error);
  }
  if (manifests.length === 0) {
    if (unreadable.length > 0) {
      return EXIT_BAD_INPUT;
    }
    // an empty pipe usually means the command that should have written to it failed: passing would hide that
    const names = inputs.map(i => i.name).join(', ');
    throw new InputError(`no kubernetes objects in ${names}; give manifests to check (empty and comment-only documents are skipped)`);
  }

  const all = lintWithAcknowledged(manifests.map(m => m.object), {
    namespace: args.namespace,
    ...(args.kubernetesVersion !== undefined ? { kubernetesVersion: args.kubernetesVersion } : {}),
  });
  const findings = all.filter(f => !f.acknowledgement).map(f => f.finding);
  const report = buildReport(findings, manifests, files, { namespace: args.namespace, unreadable });
  const failed = report.json.summary.errors > 0 || (args.strict && report.json.summary.warnings > 0);
  const code = unreadable.length > 0 ? EXIT_BAD_INPUT : failed ? EXIT_FINDINGS : EXIT_OK;

  try {
    await writeText(io.stdout, REPORT_FORMATS[args.format](report, { findings: all, manifests, cwd: io.cwd }));
  } catch (e) {
    if (!(e instanceof WriteError)) {
      throw e;
    }
    if (e.code === 'EPIPE') {
      return code; // the reader stopped reading (`| head`): what it read is what it wanted
    }
    await writeError(io.stderr, program, `cannot write the report to standard output: ${e.message}; the report is incomplete`);
    return EXIT_BAD_INPUT;
  }
  return code;
}

/** Writes one error line, escaped; a failure to write it cannot be reported anywhere. */
export async function writeError(stderr: OutputSink, program: string, message: string): Promise<void> {
  await writeText(stderr, `${program}: ${printable(message)}\n`).catch(() => undefined);
}
