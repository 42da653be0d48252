// Strings from the input are printed inert: control characters and bidirectional overrides are
// escaped in the text report, in every stderr line and in the plugin's violations; JSON stays JSON.
import * as fs from 'fs';
import * as path from 'path';
import { SERVICE } from './fixtures';
import { cli, folder, removeFolder } from './support';
import { printable, safeJson } from '../../src/cli/escape';
import { NodeLocalValidation } from '../../src/plugin/node-local-validation';

/** Any character a terminal or an editor acts on: C0, DEL, C1, bidi controls, separators. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** A name that clears the screen, retitles the terminal, forges a report line and reverses text. */
const EVIL = 'agent\u001b[2J\u001b]0;owned\u0007\r\n0 errors, 0 warnings in 0 resources from 0 files\n\u202egnp.exe\u2066';

let dir: string;
afterEach(() => dir && removeFolder(dir));

/** A Service named EVIL with nothing behind it: a finding whose message names it. */
const EVIL_SERVICE = SERVICE.replace('  name: node-cache', `  name: ${JSON.stringify(EVIL)}`);

describe('printable', () => {
  test.each([
    ['\u001b[2J', '\\x1b[2J'],
    ['a\r\nb', 'a\\r\\nb'],
    ['\t', '\\t'],
    ['\u007f\u0085\u009b', '\\x7f\\x85\\x9b'],
    ['\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
    ['\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['\u200e\u200f\u061c\u2028\u2029\ufeff', '\\u200e\\u200f\\u061c\\u2028\\u2029\\ufeff'],
    ['plain text, ünïcödé and 日本語', 'plain text, ünïcödé and 日本語'],
  ])('%j is written %s', (text, expected) => {
    expect(printable(text)).toBe(expected);
  });

  test('JSON keeps its value and has nothing raw left', () => {
    const value = { name: EVIL, other: '\u0085\u202e' };
    const json = safeJson(value);
    expect(JSON.parse(json)).toEqual(value);
    expect(json).not.toMatch(RAW_CONTROL);
  });
});

describe('the command', () => {
  test('the text report escapes names and values: one line stays one line', async () => {
    const result = await cli(['lint'], { stdin: EVIL_SERVICE });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('agent\\x1b[2J\\x1b]0;owned\\x07\\r\\n0 errors');
    // the forged summary is inside an escaped name: the real summary is the last line, alone
    expect(result.stdout.trimEnd().split('\n').filter(l => /^\d+ errors?, /.test(l))).toEqual([
      expect.stringMatching(/^\d+ errors?, 0 warnings in 1 resource from 1 file/),
    ]);
  });

  test('the JSON report is JSON with the exact strings, and nothing raw', async () => {
    const result = await cli(['lint', '--format', 'json'], { stdin: EVIL_SERVICE });
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(result.stdout);
    expect(report.findings[0].resource.name).toBe(EVIL);
  });

  test('a kind with newlines and escapes keeps an error to one line on stderr', async () => {
    const result = await cli(['lint'], { stdin: `- ${JSON.stringify('x\n\u001b[31mred\u202e')}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cdk8s-node-local: [^\n]+\n$/);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  test('a file name with control characters is escaped in the report and on stderr', async () => {
    dir = folder();
    const evilFile = 'a\u001b[2Jb\u202e.yaml';
    fs.writeFileSync(path.join(dir, evilFile), EVIL_SERVICE);
    fs.writeFileSync(path.join(dir, 'c\rd.yaml'), 'kind: [\n');
    const result = await cli(['lint', evilFile, 'c\rd.yaml', 'missing\u001b.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('a\\x1b[2Jb\\u202e.yaml:2: Service');
    const errors = result.stderr.split('\n').filter(l => l !== '');
    expect(errors).toEqual([
      expect.stringMatching(/^cdk8s-node-local: c\\rd\.yaml:\d+:\d+: cannot parse yaml: /),
      'cdk8s-node-local: cannot read missing\\x1b.yaml: no such file or directory; check the path',
    ]);
    expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL);
  });
});

test('the plugin escapes every text of its violations', async () => {
  dir = folder({ 'evil.k8s.yaml': EVIL_SERVICE, 'broken\u001b.k8s.yaml': 'kind: "\u202e\n' });
  const violations: any[] = [];
  await new NodeLocalValidation().validate({
    manifests: [path.join(dir, 'evil.k8s.yaml'), path.join(dir, 'broken\u001b.k8s.yaml')],
    report: { addViolation: (v: any) => violations.push(v), submit: () => undefined },
  });
  expect(violations[0].ruleName).toBe('[error] unreadable-manifest');
  expect(violations.length).toBeGreaterThan(1);
  const texts = JSON.stringify(violations.map(v => [v.ruleName, v.recommendation, v.fix, v.violatingResources]));
  expect(JSON.parse(texts).flat(3).join('\n')).not.toMatch(RAW_CONTROL);
  expect(violations.slice(1).map(v => v.recommendation).join('\n')).toContain('agent\\x1b[2J');
});
