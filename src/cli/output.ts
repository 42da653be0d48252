// Writing the report and the error lines, so that a failed write is known: a report cut short by a
// full disk must not look like a complete one.
import * as fs from 'fs';

/**
 * Where the command writes: a Node stream (process.stdout), or anything with a `write`; a
 * `callback`, when the sink calls it, says whether the text was written.
 */
export interface OutputSink {
  write(text: string, callback?: (error?: Error | null) => void): unknown;
}

/** The write failed; `code` is the system's (EPIPE, ENOSPC, EIO...). */
export class WriteError extends Error {
  constructor(public readonly code: string | undefined, message: string) {
    super(message);
  }
}

/**
 * Writes `text` and resolves once it is written. A Node stream is waited for (its callback says
 * whether the write reached the file); a sink without events (a test's collector) is done when
 * `write` returns.
 *
 * @throws WriteError when the write fails
 */
export function writeText(sink: OutputSink, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (error?: Error | null) => {
      if (settled) {
        return;
      }
      settled = true;
      if (error) {
        reject(toWriteError(error));
      } else {
        resolve();
      }
    };
    try {
      sink.write(text, done);
    } catch (e) {
      done(e as Error);
      return;
    }
    const waits = typeof (sink as { on?: unknown }).on === 'function';
    if (!waits) {
      done();
    }
  });
}

function toWriteError(error: Error): WriteError {
  const code = (error as NodeJS.ErrnoException).code;
  return new WriteError(code, describeWriteError(code, error.message));
}

function describeWriteError(code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOSPC': return 'no space left on device (ENOSPC)';
    case 'EIO': return 'input/output error (EIO)';
    case 'EDQUOT': return 'disk quota exceeded (EDQUOT)';
    case 'EFBIG': return 'file too large (EFBIG)';
    case 'EBADF': return 'standard output is closed (EBADF)';
    default: return `${(message.split('\n')[0] || 'unknown error').toLowerCase()}${code && !message.includes(code) ? ` (${code})` : ''}`;
  }
}

/**
 * A sink that writes to a file descriptor and waits for every byte: Node's own stream for a file
 * (`> report.txt`) accepts a short write (a nearly full disk) as a complete one.
 */
export function fileDescriptorSink(fd: number): OutputSink {
  return {
    write(text: string, callback?: (error?: Error | null) => void) {
      const bytes = Buffer.from(text, 'utf-8');
      try {
        for (let written = 0; written < bytes.length;) {
          written += fs.writeSync(fd, bytes, written, bytes.length - written);
        }
      } catch (e) {
        callback?.(e as Error);
        return false;
      }
      callback?.();
      return true;
    },
  };
}

/**
 * Standard output for the bin: a file or a device (`> report.txt`, `> /dev/full`) is written
 * directly, checking every byte; a pipe or a terminal through process.stdout.
 */
export function standardOutput(): OutputSink {
  try {
    const stat = fs.fstatSync(1);
    if (stat.isFile() || (stat.isCharacterDevice() && !process.stdout.isTTY)) {
      return fileDescriptorSink(1);
    }
  } catch {
    // fd 1 cannot be examined: let process.stdout report what fails
  }
  return process.stdout;
}
