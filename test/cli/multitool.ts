// Microsoft's SARIF Multitool, the reference SARIF validator, run offline from its npm package.
//
// What the harness works around, found by running it:
// - a log the Multitool cannot deserialize (a `level` outside the enum, say) is skipped without a
//   word, and so are the results of the other files of that process: every log is first checked
//   against the SARIF 2.1.0 JSON schema the package ships, and each batch carries a canary run
//   with known defects whose errors must come back, or the batch counts as not analyzed;
// - each file costs the Multitool about half a second of CPU: the runs of up to 19 logs (all
//   logs here have one run) go into one file with the canary, under GitHub's limit of 20 runs.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';

/** One problem found in a log. */
export interface ValidationIssue {
  /** The log's name, as recorded. */
  readonly log: string;
  /** `error`, `warning` or `note`. */
  readonly level: string;
  /** e.g. `SARIF1002` (SARIF rules), `GH1005` (GitHub's ingestion rules), `schema` (the JSON schema). */
  readonly ruleId: string;
  readonly message: string;
}

const RUNS_PER_BATCH = 19;

/** A run that breaks three of GitHub's ingestion rules: its rule has no descriptions and no help. */
const CANARY_RUN = {
  tool: { driver: { name: 'canary', version: '1.0.0', informationUri: 'https://example.com/canary', rules: [{ id: 'C1', name: 'canary-rule' }] } },
  results: [],
};

/**
 * The platform's Multitool binary. `@microsoft/sarif-multitool` exports the path of the binary in
 * its platform package (`@microsoft/sarif-multitool-linux`, ...); its own bin wraps that in a shell
 * without quoting, so `--rule-kind "Sarif;Gh"` would be cut at the `;`: the tests run the binary.
 */
export function multitoolBinary(): string {
  // the package is `export = path`, which only require() reads without esModuleInterop
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const binary: string = require('@microsoft/sarif-multitool');
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    // what the platform package's postinstall does, when the install ran without scripts
    fs.chmodSync(binary, 0o755);
  }
  return binary;
}

/** Logs recorded by the tests of one file, validated together. */
export class SarifLogs {
  private readonly logs: { readonly name: string; readonly log: any }[] = [];

  /** Keeps a log (the text the command wrote) to validate later. */
  public record(name: string, text: string): void {
    this.logs.push({ name, log: JSON.parse(text) });
  }

  /** How many logs are recorded. */
  public get count(): number {
    return this.logs.length;
  }

  /**
   * Checks every recorded log against the SARIF 2.1.0 schema, then runs the Multitool once over
   * all of them with the SARIF rules and GitHub's ingestion rules (`--rule-kind "Sarif;Gh"`).
   */
  public async validate(): Promise<ValidationIssue[]> {
    const schemaIssues = this.checkSchema();
    if (schemaIssues.length > 0) {
      return schemaIssues; // the Multitool would skip those logs without a word
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-node-local-multitool-'));
    try {
      const batches = this.writeBatches(dir);
      const output = path.join(dir, 'validation.sarif');
      await new Promise<void>((resolve, reject) => {
        execFile(multitoolBinary(), ['validate', '--rule-kind', 'Sarif;Gh', '--output', output, ...batches.map(b => b.file)],
          { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve()));
      });
      return this.readIssues(output, batches);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private checkSchema(): ValidationIssue[] {
    const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(multitoolBinary()), 'sarif-2.1.0.json'), 'utf-8'));
    const validate = new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
    return this.logs.flatMap(({ name, log }) => (validate(log) ? [] : (validate.errors ?? []).map(e => ({
      log: name, level: 'error', ruleId: 'schema', message: `${e.instancePath} ${e.message}`,
    }))));
  }

  /** Files of up to 20 runs: the canary, then the runs of the logs, each run named after its log. */
  private writeBatches(dir: string): { file: string; runNames: string[] }[] {
    const batches: { file: string; runNames: string[] }[] = [];
    for (let start = 0; start < this.logs.length; start += RUNS_PER_BATCH) {
      const logs = this.logs.slice(start, start + RUNS_PER_BATCH);
      const runNames = ['canary', ...logs.flatMap(({ name, log }) => log.runs.map(() => name))];
      const file = path.join(dir, `batch-${batches.length}.sarif`);
      const first = logs[0].log;
      const runs = [CANARY_RUN, ...logs.flatMap(l => l.log.runs)];
      fs.writeFileSync(file, JSON.stringify({ $schema: first.$schema, version: first.version, runs }, undefined, 2));
      batches.push({ file, runNames });
    }
    return batches;
  }

  private readIssues(output: string, batches: { file: string; runNames: string[] }[]): ValidationIssue[] {
    const log = JSON.parse(fs.readFileSync(output, 'utf-8').replace(/^\uFEFF/, ''));
    const run = log.runs[0];
    const rules: any[] = run.tool.driver.rules ?? [];
    const issues: ValidationIssue[] = [];
    const canaryHeard = new Set<string>();
    for (const result of run.results ?? []) {
      const rule = rules[result.ruleIndex] ?? rules.find(r => r.id === result.ruleId);
      const template: string = rule?.messageStrings?.[result.message.id]?.text ?? result.message.text ?? result.message.id;
      const args: string[] = result.message.arguments ?? [];
      const uri: string = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const file = uri.startsWith('file:') ? path.resolve(decodeURIComponent(new URL(uri).pathname)) : uri;
      const batch = batches.find(b => b.file === file);
      const runIndex = /^runs\[(\d+)\]/.exec(args[0] ?? '')?.[1];
      const name = batch && runIndex !== undefined ? batch.runNames[Number(runIndex)] ?? file : file;
      if (name === 'canary') {
        canaryHeard.add(file);
        continue;
      }
      issues.push({
        log: name,
        level: result.level ?? rule?.defaultConfiguration?.level ?? 'warning',
        ruleId: result.ruleId,
        message: template.replace(/\{(\d+)\}/g, (_, i) => args[Number(i)] ?? ''),
      });
    }
    for (const batch of batches.filter(b => !canaryHeard.has(b.file))) {
      issues.push({
        log: batch.runNames.slice(1).join(', '),
        level: 'error',
        ruleId: 'canary',
        message: `the Multitool reported nothing on the canary run of ${batch.file}: it did not analyze these logs`,
      });
    }
    return issues;
  }
}
