// A report that cannot be written: a closed pipe ends quietly, any other failure is exit 2 with
// one line that says the report is incomplete. In-process with failing streams, and the real bin.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable, Writable } from 'stream';
import { DAEMONSET, HEADLESS_SERVICE, SERVICE } from './fixtures';
import { run } from '../../src/cli/main';
import { fileDescriptorSink, writeText } from '../../src/cli/output';

const BIN = path.join(__dirname, '..', '..', 'src', 'cli', 'bin.ts');

/** A stream like process.stdout whose writes fail with `code` once `okBytes` were written. */
function failingStream(code: string, okBytes = 0): Writable & { written(): string } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      const text = chunk.toString();
      if (written.length + text.length > okBytes) {
        written += text.slice(0, Math.max(0, okBytes - written.length));
        callback(Object.assign(new Error(`${code}: write failed`), { code }));
      } else {
        written += text;
        callback();
      }
    },
  });
  stream.on('error', () => undefined); // as bin.ts does
  return Object.assign(stream, { written: () => written });
}

async function lintTo(stdout: Writable, input: string, ...args: string[]) {
  let stderr = '';
  const code = await run(['lint', ...args], {
    stdin: Object.assign(Readable.from([Buffer.from(input)]), { isTTY: false }),
    stdout,
    stderr: { write: (t: string) => { stderr += t; } },
  });
  return { code, stderr };
}

describe('in-process', () => {
  test('a closed pipe (EPIPE) ends quietly with the exit code of the findings', async () => {
    const result = await lintTo(failingStream('EPIPE', 10), `${HEADLESS_SERVICE}---\n${DAEMONSET}`);
    expect(result).toEqual({ code: 1, stderr: '' });
  });

  test.each([
    ['ENOSPC', 'no space left on device \\(ENOSPC\\)'],
    ['EIO', 'input/output error \\(EIO\\)'],
  ])('fails if the report cannot be written (%s): exit 2, one line, the report is incomplete', async (code, why) => {
    const stream = failingStream(code, 30);
    const result = await lintTo(stream, `${HEADLESS_SERVICE}---\n${DAEMONSET}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^cdk8s-node-local: cannot write the report to standard output: ${why}; the report is incomplete\\n$`));
    expect(stream.written()).toHaveLength(30);
  });

  test('a write that throws is a write error too', async () => {
    const result = await lintTo({ write: () => { throw Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' }); } } as any, SERVICE);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cdk8s-node-local: cannot write the report to standard output: standard output is closed \(EBADF\); the report is incomplete\n$/);
  });

  test('fails if the report cannot be written with --format json as well', async () => {
    const result = await lintTo(failingStream('ENOSPC'), SERVICE, '--format', 'json');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ENOSPC/);
  });

  test('the file sink writes every byte, and reports what the system refuses', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sink-')), 'out.txt');
    const fd = fs.openSync(file, 'w');
    await writeText(fileDescriptorSink(fd), 'x'.repeat(200_000));
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBe(200_000);
    await expect(writeText(fileDescriptorSink(fd), 'y')).rejects.toThrow(/bad file descriptor|ebadf/i);
  });
});

describe('the bin', () => {
  const bin = (args: string[], stdio: any[], input?: string) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', BIN, ...args],
    { input, encoding: 'utf-8', stdio, timeout: 60_000 });

  test('> /dev/full: exit 2 and one line on stderr, no stack', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const result = bin(['lint', '-'], ['pipe', full, 'pipe'], `${HEADLESS_SERVICE}---\n${DAEMONSET}`);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('cdk8s-node-local: cannot write the report to standard output: no space left on device (ENOSPC); the report is incomplete\n');
    } finally {
      fs.closeSync(full);
    }
  }, 60_000);

  test('| head: a reader that stops early ends the command quietly', () => {
    const big = Array.from({ length: 300 }, (_, i) => HEADLESS_SERVICE.replace('  name: node-cache', `  name: node-cache-${i}`)).join('---\n');
    const result = spawnSync('bash', ['-c', `set -o pipefail; ${JSON.stringify(process.execPath)} -r ts-node/register/transpile-only ${JSON.stringify(BIN)} lint | head -c 100 > /dev/null`],
      { input: big, encoding: 'utf-8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect([0, 1]).toContain(result.status);
  }, 60_000);

  test('< /dev/zero stops at the limit: exit 2 and one line, quickly', () => {
    const zero = fs.openSync('/dev/zero', 'r');
    try {
      const start = Date.now();
      const result = bin(['lint', '--max-input-size', '4M'], [zero, 'pipe', 'pipe']);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^cdk8s-node-local: <stdin>: the input is larger than the limit of 4 MiB[^\n]*\n$/);
      expect(Date.now() - start).toBeLessThan(30_000);
    } finally {
      fs.closeSync(zero);
    }
  }, 60_000);
});
