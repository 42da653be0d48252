#!/usr/bin/env node
// The package's bin `cdk8s-node-local`: a thin shell around `run`, which the tests drive.
import { run } from './main';

// `cdk8s-node-local lint big.yaml | head` closes the pipe early: that is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
  }
  throw e;
});

run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
  .then(code => {
    // exitCode, not exit(): a large report written to a pipe is flushed before the process ends
    process.exitCode = code;
  })
  .catch(() => {
    process.exitCode = 2;
  });
