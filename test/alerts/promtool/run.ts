// `npx projen test:alerts`: promtool checks the rule groups and runs the unit tests of cases.ts
// against them. Writes the files to a temporary folder (or to the folder given as the first
// argument, to read them), and exits non-zero when promtool is missing or a check fails.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { suites } from './cases';
import { findPromtool, promtool, ruleFile } from './promtool';

function main(): number {
  const binary = findPromtool();
  if (binary === undefined) {
    process.stderr.write('test:alerts: promtool not found: install it (apt-get install prometheus on Debian and Ubuntu) or set PROMTOOL to its path\n');
    return 1;
  }
  const keep = process.argv[2];
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'node-local-promtool-'));
  fs.mkdirSync(dir, { recursive: true });
  try {
    const all = suites();
    for (const suite of all) {
      fs.writeFileSync(path.join(dir, suite.ruleFile), ruleFile(suite.groups));
      const test = { rule_files: [suite.ruleFile], evaluation_interval: '1m', tests: suite.tests };
      fs.writeFileSync(path.join(dir, suite.file), stringify(test, { lineWidth: 0 }));
    }
    const check = promtool(binary, ['check', 'rules', ...all.map(s => s.ruleFile)], dir);
    process.stdout.write(check.output);
    const unit = promtool(binary, ['test', 'rules', ...all.map(s => s.file)], dir);
    process.stdout.write(unit.output);
    const tests = all.reduce((n, s) => n + s.tests.length, 0);
    const checks = all.reduce((n, s) => n + s.tests.reduce((m, t) => m + t.alert_rule_test.length, 0), 0);
    if (!check.ok || !unit.ok) {
      process.stderr.write(`test:alerts: promtool failed (files in ${dir})\n`);
      return 1;
    }
    process.stdout.write(`test:alerts: ${all.length} rule files checked, ${tests} unit tests (${checks} alert checks) passed\n`);
    return 0;
  } finally {
    if (!keep) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

process.exitCode = main();
