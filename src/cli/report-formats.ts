// The formats a report is written in (`--format`): a new format is one entry here. Text and JSON
// render the report; SARIF and GitHub workflow commands the same located findings, with what else
// they need (acknowledged findings, the working directory, the tool).
import { safeJson } from './escape';
import { githubCommands } from './github';
import { STDIN_NAME } from './inputs';
import { locate } from './locate';
import { LoadedManifest } from './manifests';
import { packageInfo } from './package-info';
import { Report } from './report';
import { sarifLog } from './sarif';
import { NodeLocalLinter, ReportedFinding } from '../lint/lint';

/** What a run gives the formats besides the report. */
export interface RunDetails {
  /** Every finding, acknowledged ones too (only SARIF shows those, as suppressed). */
  readonly findings: ReportedFinding[];
  /** The objects the findings are about, in the order given to the engine. */
  readonly manifests: LoadedManifest[];
  /** The directory file names are relative to. */
  readonly cwd: string;
}

/** Renders a report as the text written to standard output. */
export type ReportRenderer = (report: Report, run: RunDetails) => string;

/** Each format by its `--format` name; the first is the default. */
export const REPORT_FORMATS: { readonly [name: string]: ReportRenderer } = {
  text: (report) => report.text,
  json: (report) => `${safeJson(report.json)}\n`,
  sarif: (_report, run) => `${JSON.stringify(sarifLog({
    findings: locate(run.findings, run.manifests),
    manifests: run.manifests,
    rules: NodeLocalLinter.rules(),
    cwd: run.cwd,
    stdinName: STDIN_NAME,
    tool: packageInfo(),
  }), undefined, 2)}\n`,
  github: (_report, run) => githubCommands(locate(run.findings.filter((f) => !f.acknowledgement), run.manifests), STDIN_NAME),
};

/** The `--format` names, the default first. */
export const FORMAT_NAMES: string[] = Object.keys(REPORT_FORMATS);
