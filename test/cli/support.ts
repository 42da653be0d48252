// Helpers for the command's tests: run it in-process, on files in a temporary folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { run } from '../../src/cli/main';

/** What a run of the command wrote and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of a run. */
export interface CliOptions {
  /** What standard input holds (bytes as given, text as UTF-8). @default - empty */
  readonly stdin?: string | Buffer;
  /** Whether standard input is a terminal. @default false */
  readonly tty?: boolean;
  /** The working directory. @default - the current one */
  readonly cwd?: string;
}

/** Runs `cdk8s-node-local ...args` in-process. */
export async function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]), { isTTY: options.tty });
  const code = await run(args, {
    stdin,
    stdout: { write: (text: string) => { stdout += text; } },
    stderr: { write: (text: string) => { stderr += text; } },
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

/** A fresh temporary folder holding the given files (name to content). */
export function folder(files: { [name: string]: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-node-local-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Removes a folder made by `folder`. */
export function removeFolder(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Joins lines into a file's text, so a test can count lines at a glance. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

/** The 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string, after = 0): number {
  const index = text.split('\n').findIndex((l, i) => i >= after && l.includes(needle));
  if (index < 0) {
    throw new Error(`no line contains ${needle}`);
  }
  return index + 1;
}

/** Asserts the shape every input error shares: exit 2, one line on stderr, nothing on stdout. */
export function expectInputError(result: CliResult, pattern: RegExp): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
  expect(result.stderr).toMatch(/^cdk8s-node-local: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/\n\s+at |TypeError|ReferenceError|Error:/);
  expect(result.stderr).toMatch(pattern);
}
