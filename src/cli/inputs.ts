// The command's inputs: files, directories of YAML files, standard input. Reading is bounded (a
// byte budget shared by all inputs and checked while reading, so `lint < /dev/zero` stops at the
// limit instead of filling the memory), and a file that cannot be read is reported without hiding
// the others.
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { InputError } from './manifests';
import { formatSize } from './option-values';

/**
 * The default limit on the bytes read from all inputs together: 16 MiB is some 15,000 objects of
 * rendered charts, read in well under 2 GiB of memory.
 */
export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * The memory the parser takes per byte of input, at most (measured: 37 times the size of a file
 * of long quoted scalars, the worst case), so the limit is kept below what the heap can hold.
 */
const MEMORY_PER_INPUT_BYTE = 40;

/**
 * The largest limit this process can read without running out of memory: a larger input would
 * end in V8's out-of-memory abort, not in an error line. Node's `--max-old-space-size` raises it.
 */
export function maxReadableBytes(): number {
  return Math.floor(v8.getHeapStatistics().heap_size_limit / MEMORY_PER_INPUT_BYTE);
}

/** What standard input is called in the report. */
export const STDIN_NAME = '<stdin>';

// JSON files are read when named; in a directory they are more often something else
// (cdk8s writes construct-metadata.json next to its manifests)
const MANIFEST_EXTENSIONS = /\.ya?ml$/i;

/** The input is larger than the limit: the run stops, whatever else could be read. */
export class InputLimitError extends InputError {}

/** A wrong command line (an empty FILE, stdin named twice): reported as one line, exit 2. */
export class UsageError extends Error {}

/** The bytes all inputs may still take. */
export class ByteBudget {
  private left: number;

  constructor(public readonly maxBytes: number) {
    this.left = maxBytes;
  }

  /** Takes `bytes` read from `name`, or stops the run. */
  take(bytes: number, name: string): void {
    this.left -= bytes;
    if (this.left < 0) {
      throw this.exceeded(name);
    }
  }

  /** Refuses, before reading it, a file of `bytes` that cannot fit in what is left. */
  checkFits(bytes: number, name: string): void {
    if (bytes > this.left) {
      throw this.exceeded(name);
    }
  }

  private exceeded(name: string): InputLimitError {
    const larger = Math.ceil((this.maxBytes * 4) / (1024 * 1024));
    const hint = larger * 1024 * 1024 <= maxReadableBytes()
      ? `raise it with --max-input-size (e.g. --max-input-size ${larger}M) if the input is trusted`
      : 'a larger limit needs a larger heap (NODE_OPTIONS=--max-old-space-size=MiB, then --max-input-size)';
    return new InputLimitError(`${name}: the input is larger than the limit of ${formatSize(this.maxBytes)} (all inputs together); ${hint}`);
  }
}

/** An input read, or one that could not be: its name and why. */
export type Input = { readonly name: string; readonly text: string } | { readonly name: string; readonly error: string };

/** Where the inputs come from. */
export interface InputSources {
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly budget: ByteBudget;
}

/**
 * Reads the named inputs, in order: `-` is standard input, a directory stands for the YAML files
 * in it and below it (symbolic links followed, loops stopped), and a file reached twice (named
 * twice, through a link, or as a directory and a file in it) is read once, by its real path.
 *
 * @throws UsageError on a wrong name, InputLimitError when the inputs exceed the budget
 */
export async function readInputs(names: string[], sources: InputSources): Promise<Input[]> {
  const given = names.length === 0 ? ['-'] : names;
  if (given.filter(n => n === '-').length > 1) {
    throw new UsageError('standard input (-) is given more than once; give - at most once');
  }
  if (given.some(n => n === '')) {
    throw new UsageError('a FILE argument is empty (""); give a file or directory name, or - for standard input');
  }
  if (given.includes('-') && sources.stdin.isTTY) {
    throw new UsageError('standard input is a terminal, not manifests; give files (cdk8s-node-local lint FILE ...) or pipe manifests in');
  }

  const inputs: Input[] = [];
  const seen = new Set<string>();
  for (const name of given) {
    if (name === '-') {
      inputs.push({ name: STDIN_NAME, text: await readBounded(sources.stdin, STDIN_NAME, sources.budget) });
      continue;
    }
    for (const found of await expand(name, sources.cwd)) {
      if ('error' in found) {
        inputs.push(found);
        continue;
      }
      if (seen.has(found.real)) {
        continue; // the same file reached twice is checked once, or its objects would clash with themselves
      }
      seen.add(found.real);
      inputs.push(await readFile(found.name, found.real, sources.budget));
    }
  }
  return inputs;
}

/** A file to read: its name as the user sees it, and its real path. */
type Found = { readonly name: string; readonly real: string } | { readonly name: string; readonly error: string };

/** A file stands for itself, a directory for the YAML files in it and below it, sorted by name. */
async function expand(name: string, cwd: string): Promise<Found[]> {
  const absolute = path.resolve(cwd, name);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(absolute);
  } catch (e) {
    return [{ name, error: `cannot read ${name}: ${describeFsError(e)}` }];
  }
  if (!stat.isDirectory()) {
    return [{ name, real: await realPath(absolute) }];
  }

  const found: Found[] = [];
  const visited = new Set<string>();
  // depth first, in name order, without recursion: pop a directory, push its entries in reverse
  const pending: Array<{ name: string; directory: boolean }> = [{ name, directory: true }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    const nextAbsolute = path.resolve(cwd, next.name);
    if (!next.directory) {
      found.push({ name: next.name, real: await realPath(nextAbsolute) });
      continue;
    }
    const real = await realPath(nextAbsolute);
    if (visited.has(real)) {
      continue; // a link back to a directory already walked: a loop, or the same tree twice
    }
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(nextAbsolute, { withFileTypes: true });
    } catch (e) {
      found.push({ name: next.name, error: `cannot read directory ${next.name}: ${describeFsError(e)}` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const children: Array<{ name: string; directory: boolean }> = [];
    for (const entry of entries) {
      const child = path.join(next.name, entry.name);
      const kind = await entryKind(entry, path.resolve(cwd, child));
      if (kind === 'directory' && !entry.name.startsWith('.')) {
        children.push({ name: child, directory: true });
      } else if (kind === 'file' && MANIFEST_EXTENSIONS.test(entry.name)) {
        children.push({ name: child, directory: false });
      } else if (typeof kind === 'object' && MANIFEST_EXTENSIONS.test(entry.name)) {
        found.push({ name: child, error: `cannot read ${child}: ${kind.error}` });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) {
      pending.push(children[i]);
    }
  }
  if (found.length === 0) {
    return [{ name, error: `directory ${name} has no .yaml or .yml files; give the manifest files (JSON files by name) or the directory that holds them` }];
  }
  return found;
}

/** What a directory entry is, following a symbolic link to what it points to. */
async function entryKind(entry: fs.Dirent, absolute: string): Promise<'file' | 'directory' | 'other' | { error: string }> {
  if (!entry.isSymbolicLink()) {
    return entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other';
  }
  try {
    const target = await fs.promises.stat(absolute);
    return target.isDirectory() ? 'directory' : target.isFile() ? 'file' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'a symbolic link to a file that does not exist; fix or remove the link' : describeFsError(e) };
  }
}

async function realPath(absolute: string): Promise<string> {
  try {
    return await fs.promises.realpath(absolute);
  } catch {
    return absolute;
  }
}

async function readFile(name: string, real: string, budget: ByteBudget): Promise<Input> {
  let handle: fs.promises.FileHandle | undefined;
  let stream: fs.ReadStream | undefined;
  try {
    handle = await fs.promises.open(real, 'r');
    const stat = await handle.stat();
    if (stat.isFile()) {
      budget.checkFits(stat.size, name);
    }
    // not only regular files: a FIFO (`lint <(helm template ...)`) or a device is read as a stream
    stream = handle.createReadStream({ autoClose: false });
    return { name, text: await readBounded(stream, name, budget) };
  } catch (e) {
    if (e instanceof InputLimitError) {
      throw e;
    }
    return { name, error: `cannot read ${name}: ${describeFsError(e)}` };
  } finally {
    stream?.destroy();
    await handle?.close().catch(() => undefined);
  }
}

/** Reads a stream to its end as UTF-8, taking every chunk from the budget as it arrives. */
async function readBounded(stream: NodeJS.ReadableStream, name: string, budget: ByteBudget): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    budget.take(bytes.length, name);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf-8');
}

/** What a file system error means for the user, in one line. */
export function describeFsError(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  switch (error?.code) {
    case 'ENOENT': return 'no such file or directory; check the path';
    case 'EACCES': case 'EPERM': return 'permission denied; make it readable';
    case 'EISDIR': return 'it is a directory';
    case 'ELOOP': return 'too many levels of symbolic links (a link loop); fix the links';
    case 'ENOTDIR': return 'a part of the path is not a directory; check the path';
    case 'EIO': return 'input/output error (EIO)';
    default: return String(error?.message ?? error).split('\n')[0].toLowerCase();
  }
}
