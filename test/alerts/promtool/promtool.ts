// Runs Prometheus' promtool (Debian's `prometheus` package ships it; no server is needed).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { RuleGroup } from '../../../src/alerts/rule';

/** The promtool to run: $PROMTOOL, or `promtool` on the PATH; undefined when there is none. */
export function findPromtool(): string | undefined {
  const candidate = process.env.PROMTOOL ?? 'promtool';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf-8', timeout: 20_000 });
  return probe.status === 0 ? candidate : undefined;
}

/** What a promtool run printed, and whether it passed. */
export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs promtool with the arguments in a folder. */
export function promtool(binary: string, args: string[], cwd: string): PromtoolResult {
  const run = spawnSync(binary, args, { cwd, encoding: 'utf-8', timeout: 120_000 });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** A rule file (`groups:`) as promtool reads it. */
export function ruleFile(groups: RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}

/** `promtool check rules` on rule groups, in a temporary folder. */
export function checkRules(binary: string, groups: RuleGroup[]): PromtoolResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-local-rules-'));
  try {
    fs.writeFileSync(path.join(dir, 'rules.yaml'), ruleFile(groups));
    return promtool(binary, ['check', 'rules', 'rules.yaml'], dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
