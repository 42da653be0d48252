// `cdk8s-node-local lint --format github`: workflow commands that the GitHub Actions runner turns
// into annotations. The commands are read back here the way the runner reads them.
import * as fc from 'fast-check';
import { DAEMONSET, GAPPY_DAEMONSET, HEADLESS_SERVICE, SERVICE } from './fixtures';
import { cli, folder, lines, removeFolder } from './support';
import { escapeData, escapeProperty } from '../../src/cli/github';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeFolder);
  dirs = [];
});

async function lintIn(files: { [name: string]: string }, format: string, args: string[], stdin?: string) {
  const dir = folder(files);
  dirs.push(dir);
  return cli(['lint', '--format', format, ...args], { cwd: dir, stdin });
}

/** A workflow command as the runner reads it. */
interface Command {
  readonly command: string;
  readonly properties: { [key: string]: string };
  readonly data: string;
}

/**
 * The runner's reading of one log line (actions/runner, ActionCommand.TryParseV2): `::`, the
 * command, properties split at `,` and at the first `=`, `::`, the data; then its unescaping.
 */
function parseCommand(line: string): Command | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) {
    return undefined;
  }
  const end = message.indexOf('::', 2);
  if (end < 0) {
    return undefined;
  }
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const properties: { [key: string]: string } = {};
  if (space > 0) {
    for (const property of info.slice(space + 1).trim().split(',').filter(p => p !== '')) {
      const at = property.indexOf('=');
      if (at > 0 && at < property.length - 1) {
        properties[property.slice(0, at)] = unescape(property.slice(at + 1), ['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']);
      }
    }
  }
  return {
    command: space < 0 ? info : info.slice(0, space),
    properties,
    data: unescape(message.slice(end + 2), ['%0D', '\r'], ['%0A', '\n'], ['%25', '%']),
  };
}

function unescape(text: string, ...mappings: [string, string][]): string {
  return mappings.reduce((t, [from, to]) => t.split(from).join(to), text);
}

/** The runner reads its log line by line: LF, CR and CRLF all end a line. */
function logLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).filter(l => l !== '');
}

async function commandsAndReport(files: { [name: string]: string }, args: string[], stdin?: string) {
  const github = await lintIn(files, 'github', args, stdin);
  const json = await lintIn(files, 'json', args, stdin);
  expect(github.stderr).toBe('');
  expect(github.code).toBe(json.code);
  return { stdout: github.stdout, commands: logLines(github.stdout).map(parseCommand), report: JSON.parse(json.stdout) };
}

const FILES = { 'manifests/service.yaml': HEADLESS_SERVICE, 'manifests/daemonset.yaml': GAPPY_DAEMONSET };
const ARGS = ['manifests/service.yaml', 'manifests/daemonset.yaml'];

describe('--format github', () => {
  test('writes one command per finding: ::error or ::warning with the file, the line of the field and the rule', async () => {
    const { stdout, commands, report } = await commandsAndReport(FILES, ARGS);
    expect(stdout).toMatch(/^::error file=manifests\/service.yaml,line=8,title=NL002 service-not-cluster-ip::Service kube-system\/node-cache has clusterIP "None": /);
    expect(stdout.split('\n')[1]).toMatch(/^::warning file=manifests\/daemonset.yaml,line=14,title=NL102 rollout-gap::DaemonSet kube-system\/node-cache /);
    expect(commands).toEqual(report.findings.map((f: any) => ({
      command: f.severity,
      properties: { file: f.file, line: String(f.fieldLine), title: `${f.ruleId} ${f.ruleName}` },
      data: `${f.message}; fix: ${f.fix}`,
    })));
    expect(commands).toHaveLength(2);
  });

  test('keeps the exit codes: 1 on an error, 0 on warnings, 1 on warnings with --strict', async () => {
    expect((await lintIn(FILES, 'github', ARGS)).code).toBe(1);
    const warnings = { 'service.yaml': SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET };
    expect((await lintIn(warnings, 'github', ['service.yaml', 'daemonset.yaml'])).code).toBe(0);
    expect((await lintIn(warnings, 'github', ['--strict', 'service.yaml', 'daemonset.yaml'])).code).toBe(1);
  });

  test('writes nothing when there is no finding, and leaves acknowledged findings out', async () => {
    const acknowledged = GAPPY_DAEMONSET.replace('  namespace: kube-system\n',
      '  namespace: kube-system\n  annotations:\n    cdk8s-node-local/acknowledge-NL102: "holds a host port"\n');
    expect(await lintIn({ 'a.yaml': `${SERVICE}---\n${DAEMONSET}` }, 'github', ['a.yaml'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await lintIn({ 'a.yaml': `${SERVICE}---\n${acknowledged}` }, 'github', ['a.yaml'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('annotates a finding read from standard input on the job: no file, no line', async () => {
    const { commands } = await commandsAndReport({}, [], `${HEADLESS_SERVICE}---\n${DAEMONSET}`);
    expect(commands).toEqual([expect.objectContaining({ command: 'error', properties: { title: 'NL002 service-not-cluster-ip' } })]);
  });

  test('fails if a hostile name could forge a command: CR, LF, %, : and , arrive as written', async () => {
    const evil = lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "evil\\r\\n::error file=forged.yaml,line=1::forged %0A \\u001b[2K \\u2028 ##[error]x"',
      '  namespace: kube-system',
      'spec:',
      '  internalTrafficPolicy: Local',
      '  selector: {app.kubernetes.io/name: node-cache}',
      '  ports: [{name: dns, port: 53, protocol: UDP, targetPort: "bad\\nport"}]',
    );
    const file = 'odd,name: 100%.yaml';
    const { stdout, commands, report } = await commandsAndReport({ [file]: evil, 'daemonset.yaml': DAEMONSET }, [file, 'daemonset.yaml']);
    expect(report.findings.length).toBeGreaterThanOrEqual(2);
    // one line per finding, each a command of ours: nothing from the input started a line
    expect(stdout.split('\n').filter(l => l !== '')).toHaveLength(report.findings.length);
    expect(logLines(stdout)).toHaveLength(report.findings.length);
    // no control character reaches the log, where a viewer could interpret it
    // eslint-disable-next-line no-control-regex
    expect(stdout.replace(/\n/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    report.findings.forEach((f: any, i: number) => {
      const command = commands[i]!;
      expect(command.command).toBe(f.severity);
      expect(command.properties).toEqual({ file, line: String(f.fieldLine), title: `${f.ruleId} ${f.ruleName}` });
      // the message as the JSON report has it, its control characters shown as \u escapes
      const shown = `${f.message}; fix: ${f.fix}`.replace(/\u001b/g, '\\u001b').replace(/\u2028/g, '\\u2028');
      expect(command.data).toBe(shown);
    });
  });
});

describe('escaping', () => {
  test('data: %, CR and LF, as the runner decodes them', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  test('properties: also : and ,', () => {
    expect(escapeProperty('dir/a,b: 50%.yaml\n')).toBe('dir/a%2Cb%3A 50%25.yaml%0A');
  });

  test('other control characters are shown, not sent', () => {
    expect(escapeData('a\u001b[31mred\u0000\u2028')).toBe('a\\u001b[31mred\\u0000\\u2028');
    expect(escapeData('tab\there')).toBe('tab\there');
  });

  const TRICKY = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '%', '0', '2', '5', 'A', 'D', '3', 'C', '\r', '\n', ':', ',', '=') });

  test('the runner reads back exactly what was escaped, whatever the mix of %, digits, CR, LF, : and ,', () => {
    // the title comes last, as in the command's output: it is the rule's id and name, which end in a letter
    fc.assert(fc.property(TRICKY, TRICKY, TRICKY, (file, title, message) => {
      const line = `::error file=${escapeProperty(file)},title=${escapeProperty(`${title}NL`)}::${escapeData(message)}`;
      expect(logLines(line)).toEqual([line]);
      const parsed = parseCommand(line)!;
      expect(parsed.data).toBe(message);
      // the runner drops a property with an empty value
      expect(parsed.properties).toEqual({ ...(file ? { file } : {}), title: `${title}NL` });
    }));
  });

  test('no input makes an escaped text span two lines or carry a control character', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), text => {
      for (const escaped of [escapeData(text), escapeProperty(text)]) {
        // eslint-disable-next-line no-control-regex
        expect(escaped).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/);
      }
      expect(escapeProperty(text)).not.toMatch(/[:,]/);
    }));
  });
});
