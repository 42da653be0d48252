// A file that cannot be read does not hide the others: they are checked and reported, the file is
// named on stderr with file:line:column, and the exit code is 2 (issue 9.7).
import * as fs from 'fs';
import * as path from 'path';
import { DAEMONSET, HEADLESS_SERVICE, SERVICE } from './fixtures';
import { cli, folder, lines, removeFolder } from './support';
import { parseManifests } from '../../src/cli/manifests';

let dir: string;
afterEach(() => dir && removeFolder(dir));

/**
 * A collector's ConfigMap as a chart with journald logs renders it: a multi-line single-quoted
 * scalar whose continuation lines sit at the parent key's indentation. YAML 1.2 refuses it,
 * kubectl reads it.
 */
const LESS_INDENTED = lines(
  'apiVersion: v1', //                                 1
  'kind: ConfigMap', //                                2
  'metadata:', //                                      3
  '  name: otel-agent', //                             4
  'data:', //                                          5
  '  relay: |', //                                     6
  '    receivers:', //                                 7
  '      journald: {}', //                             8
  '  journald.filter: \'_SYSTEMD_UNIT=kubelet.service', // 9
  '  _SYSTEMD_UNIT=containerd.service', //            10
  '  PRIORITY=6\'', //                                11
  '  units: ["kubelet",', //                          12
  '  "containerd"]', //                               13
);

test('a less-indented multi-line scalar and flow sequence are read, with kubectl\'s values', async () => {
  dir = folder({ 'agent.yaml': LESS_INDENTED });
  const result = await cli(['lint', '--format', 'json', 'agent.yaml'], { cwd: dir });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(parseManifests('agent.yaml', LESS_INDENTED)[0].object.data).toEqual({
    'relay': 'receivers:\n  journald: {}\n',
    'journald.filter': '_SYSTEMD_UNIT=kubelet.service _SYSTEMD_UNIT=containerd.service PRIORITY=6',
    'units': ['kubelet', 'containerd'],
  });
});

test('an unreadable file is named with file:line:column; the others are linted and reported; exit 2', async () => {
  dir = folder({
    'chart/templates/service.yaml': HEADLESS_SERVICE,
    'chart/templates/daemonset.yaml': DAEMONSET,
    'chart/templates/broken.yaml': lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: "unterminated'),
  });
  const text = await cli(['lint', 'chart'], { cwd: dir });
  expect(text.code).toBe(2);
  expect(text.stderr).toMatch(new RegExp(`^cdk8s-node-local: ${path.join('chart', 'templates', 'broken.yaml')}:\\d+:\\d+: cannot parse yaml: missing closing "quote; fix the yaml at that position\\n$`));
  expect(text.stdout).toContain('NL002 error service-not-cluster-ip');
  expect(text.stdout).toMatch(/\n1 error, 0 warnings in 2 resources from 2 files; 1 input could not be read \(see standard error\)\n$/);

  const json = await cli(['lint', '--format', 'json', 'chart'], { cwd: dir });
  expect(json.code).toBe(2);
  const report = JSON.parse(json.stdout);
  expect(report.findings.map((f: any) => f.ruleId)).toEqual(['NL002']);
  expect(report.summary).toMatchObject({ errors: 1, resources: 2, files: 2, unreadable: 1 });
  expect(report.unreadable).toEqual([{ file: path.join('chart', 'templates', 'broken.yaml'), error: expect.stringMatching(/broken\.yaml:\d+:\d+: cannot parse yaml/) }]);
});

test('every unreadable input has its own line; a missing file too', async () => {
  dir = folder({ 'service.yaml': SERVICE, 'daemonset.yaml': DAEMONSET, 'list.yaml': 'apiVersion: v1\nkind: List\nitems: 3\n' });
  const result = await cli(['lint', 'service.yaml', 'missing.yaml', 'daemonset.yaml', 'list.yaml'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')).toEqual([
    'cdk8s-node-local: cannot read missing.yaml: no such file or directory; check the path',
    expect.stringMatching(/^cdk8s-node-local: list.yaml:3:8: the items of List \(document 1\) are a number \(3\), not a list;/),
    '',
  ]);
  expect(result.stdout).toBe('0 errors, 0 warnings in 2 resources from 2 files; 2 inputs could not be read (see standard error)\n');
});

test('with nothing readable, only the errors are written', async () => {
  dir = folder({ 'bad.yaml': 'kind: [\n' });
  fs.writeFileSync(path.join(dir, 'also-bad.yaml'), 'a: *b\n');
  const result = await cli(['lint', 'bad.yaml', 'also-bad.yaml'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(2);
});
