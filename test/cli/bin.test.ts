// The bin as a process: shebang, exit codes and output streams of a real run.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { HEADLESS_SERVICE, DAEMONSET } from './fixtures';

const BIN = path.join(__dirname, '..', '..', 'src', 'cli', 'bin.ts');

function bin(args: string[], input: string) {
  // transpile-only: the type check is the compile step's job, this test is about the process
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', BIN, ...args], { input, encoding: 'utf-8' });
}

test('starts with a node shebang, which the compiled lib/cli/bin.js keeps', () => {
  expect(fs.readFileSync(BIN, 'utf-8').split('\n')[0]).toBe('#!/usr/bin/env node');
});

test('exits 1 with the report on stdout when there is an error', () => {
  const result = bin(['lint'], `${HEADLESS_SERVICE}---\n${DAEMONSET}`);
  expect(result.status).toBe(1);
  expect(result.stdout).toMatch(/^<stdin>:2: Service kube-system\/node-cache\n {2}NL002 error/);
  expect(result.stderr).toBe('');
});

test('exits 2 with one line on stderr on bad input', () => {
  const result = bin(['lint', '-'], 'apiVersion: v1\nkind: [\n');
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^cdk8s-node-local: <stdin>:\d+:\d+: cannot parse yaml: [^\n]+\n$/);
});
