// The formats a report is written in (`--format`): a new format is one entry here.
import { safeJson } from './escape';
import { Report } from './report';

/** Renders a report as the text written to standard output. */
export type ReportRenderer = (report: Report) => string;

/** Each format by its `--format` name; the first is the default. */
export const REPORT_FORMATS: { readonly [name: string]: ReportRenderer } = {
  text: (report) => report.text,
  json: (report) => `${safeJson(report.json)}\n`,
};

/** The `--format` names, the default first. */
export const FORMAT_NAMES: string[] = Object.keys(REPORT_FORMATS);
