// Which report `--format` writes: text and JSON from `buildReport`, SARIF and GitHub workflow
// commands from the same located findings.
import { githubCommands } from './github';
import { locate } from './locate';
import { LoadedManifest } from './manifests';
import { packageInfo } from './package-info';
import { sarifLog } from './sarif';
import { NodeLocalLinter, ReportedFinding } from '../lint/lint';

/** The values of `--format`, the default first. */
export const FORMATS = ['text', 'json', 'sarif', 'github'];

/** What every format is rendered from. */
export interface ReportInput {
  readonly format: string;
  /** Every finding, acknowledged ones included (only SARIF shows those, as suppressed). */
  readonly findings: ReportedFinding[];
  readonly manifests: LoadedManifest[];
  /** The text and JSON reports of the findings that are not acknowledged. */
  readonly report: { readonly text: string; readonly json: unknown };
  readonly cwd: string;
  readonly stdinName: string;
}

/** The report to write to stdout. */
export function renderReport(input: ReportInput): string {
  switch (input.format) {
    case 'json':
      return `${JSON.stringify(input.report.json, undefined, 2)}\n`;
    case 'sarif': {
      const log = sarifLog({
        findings: locate(input.findings, input.manifests),
        manifests: input.manifests,
        rules: NodeLocalLinter.rules(),
        cwd: input.cwd,
        stdinName: input.stdinName,
        tool: packageInfo(),
      });
      return `${JSON.stringify(log, undefined, 2)}\n`;
    }
    case 'github':
      return githubCommands(locate(input.findings.filter(f => !f.acknowledgement), input.manifests), input.stdinName);
    default:
      return input.report.text;
  }
}
