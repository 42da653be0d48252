#!/usr/bin/env node
// The package's bin `cdk8s-node-local`: a thin shell around `run`, which the tests drive.
import { run } from './main';
import { standardOutput } from './output';

// a failed write is reported through the write's own callback (src/cli/output.ts); without a
// listener, the stream's 'error' event would also end the process with a stack trace
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

run(process.argv.slice(2), { stdin: process.stdin, stdout: standardOutput(), stderr: process.stderr })
  .then(code => {
    // exitCode, not exit(): a large report written to a pipe is flushed before the process ends
    process.exitCode = code;
  })
  .catch(() => {
    process.exitCode = 2;
  });
