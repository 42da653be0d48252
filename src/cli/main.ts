// The command's entry: parse the command line, run the command, turn every failure into one
// line on stderr and an exit code. A new subcommand is a case in `run`.
import { runAlerts } from './alerts';
import { PROGRAM, USAGE, UsageError, parseCommand } from './args';
import { ByteBudget, DEFAULT_MAX_INPUT_BYTES, InputLimitError, maxReadableBytes, readInputs } from './inputs';
import { EXIT_BAD_INPUT, EXIT_OK, lintCommand, writeError } from './lint-command';
import { InputError } from './manifests';
import { OutputSink, writeText } from './output';
import { packageInfo } from './package-info';

export { EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK } from './lint-command';
export { USAGE } from './args';
export { buildReport } from './report';
export type { JsonFinding, JsonReport } from './report';

/**
 * The streams the command reads and writes; injectable so tests run it in-process.
 */
export interface CliIo {
  /** Read when no file, or `-`, is given. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The report. */
  readonly stdout: OutputSink;
  /** One line per error. */
  readonly stderr: OutputSink;
  /**
   * The directory relative file names are read from.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/**
 * Runs the command line `cdk8s-node-local ARGS...`.
 *
 * @param argv the arguments after the program name
 * @returns the exit code
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'alerts') {
      return await runAlerts(argv.slice(1), io, files => readAllInputs(files, io));
    }
    const command = parseCommand(argv);
    switch (command.kind) {
      case 'help':
        return await print(io, USAGE);
      case 'version':
        return await print(io, `${packageInfo().version}\n`);
      case 'lint':
        return await lintCommand(command.args, { ...io, cwd: io.cwd ?? process.cwd() }, PROGRAM);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof InputLimitError) {
      await writeError(io.stderr, PROGRAM, e.message);
    } else {
      // a bug, not bad input: still one line, and say where to take it
      const message = e instanceof Error ? e.message : String(e);
      await writeError(io.stderr, PROGRAM, `internal error: ${message.split('\n')[0]}; `
        + 'this is a bug in cdk8s-node-local, please report it with the input that caused it');
    }
    return EXIT_BAD_INPUT;
  }
}

async function print(io: CliIo, text: string): Promise<number> {
  try {
    await writeText(io.stdout, text);
    return EXIT_OK;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EPIPE') {
      return EXIT_OK;
    }
    await writeError(io.stderr, PROGRAM, `cannot write to standard output: ${(e as Error).message}`);
    return EXIT_BAD_INPUT;
  }
}

/** The alerts command's inputs, bounded as the lint command's: an input that cannot be read stops it. */
async function readAllInputs(files: string[], io: CliIo): Promise<Array<{ readonly name: string; readonly text: string }>> {
  const budget = new ByteBudget(Math.min(DEFAULT_MAX_INPUT_BYTES, maxReadableBytes()));
  const inputs = await readInputs(files, { cwd: io.cwd ?? process.cwd(), stdin: io.stdin, budget });
  return inputs.map((input) => {
    if ('error' in input) {
      throw new InputError(input.error);
    }
    return input;
  });
}
