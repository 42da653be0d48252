// `--format github`: one GitHub Actions workflow command per finding, which the runner turns into
// an annotation on the file and line in the pull request. A pure function of the located findings.
import { Located } from './locate';
import { fieldLine } from './manifests';
import { Finding, Severity } from '../lint/finding';

/**
 * The workflow commands, one line each, e.g.
 * `::error file=svc.yaml,line=8,title=NL002 service-not-cluster-ip::Service ... Fix: ...`.
 * A finding read from standard input, or about no object of the input, has no file or line: its
 * annotation is on the job.
 *
 * @param stdinName the name the report gives standard input, which is no file of the repository
 */
export function githubCommands(findings: Located<{ readonly finding: Finding }>[], stdinName: string): string {
  return findings.map(({ finding, manifest }) => {
    const properties: string[] = [];
    if (manifest && manifest.file !== stdinName) {
      properties.push(`file=${escapeProperty(manifest.file)}`, `line=${fieldLine(manifest, finding.path)}`);
    }
    properties.push(`title=${escapeProperty(`${finding.ruleId} ${finding.ruleName}`)}`);
    const command = finding.severity === Severity.ERROR ? 'error' : 'warning';
    return `::${command} ${properties.join(',')}::${escapeData(`${finding.message}; fix: ${finding.fix}`)}\n`;
  }).join('');
}

/**
 * The runner reads a command from one line and decodes `%25`, `%0D` and `%0A` in its message: with
 * CR and LF encoded, nothing from the input can end the line and start a command of its own.
 */
export function escapeData(text: string): string {
  return neutralizeControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** In a property, `,` would start another property and `:` end the properties: encoded too. */
export function escapeProperty(text: string): string {
  return neutralizeControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
    .replace(/:/g, '%3A').replace(/,/g, '%2C'));
}

/**
 * The other control characters (escape sequences a log viewer would interpret, other line
 * separators) are shown, not sent: `\u001b` for ESC. The runner decodes nothing else, so this
 * text reaches the annotation as written.
 */
function neutralizeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
