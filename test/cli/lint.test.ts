// `cdk8s-node-local lint`: what it reads, what it reports and its exit codes 0 and 1.
import * as fs from 'fs';
import * as path from 'path';
import { DAEMONSET, GAPPY_DAEMONSET, HEADLESS_SERVICE, SERVICE } from './fixtures';
import { cli, folder, lineOf, lines, removeFolder } from './support';
import { buildReport, USAGE } from '../../src/cli/main';
import { parseManifests } from '../../src/cli/manifests';
import { Severity } from '../../src/lint/finding';

let dir: string;
afterEach(() => dir && removeFolder(dir));

async function lintFiles(files: { [name: string]: string }, ...args: string[]) {
  dir = folder(files);
  return cli(['lint', ...args], { cwd: dir });
}

async function json(files: { [name: string]: string }, ...args: string[]) {
  const result = await lintFiles(files, '--format', 'json', ...args);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) };
}

describe('exit codes', () => {
  test('0 and a one-line summary when a correct pair is split across two files', async () => {
    const result = await lintFiles({ 'service.yaml': SERVICE, 'daemonset.yaml': DAEMONSET }, 'service.yaml', 'daemonset.yaml');
    expect(result).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 2 resources from 2 files\n', stderr: '' });
  });

  test('1 on an error', async () => {
    const result = await lintFiles({ 'service.yaml': HEADLESS_SERVICE, 'daemonset.yaml': DAEMONSET }, 'service.yaml', 'daemonset.yaml');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NL002 error service-not-cluster-ip');
    expect(result.stderr).toBe('');
  });

  test('0 on warnings only', async () => {
    const result = await lintFiles({ 'service.yaml': SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET }, 'service.yaml', 'daemonset.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('NL102 warning rollout-gap');
    expect(result.stdout).toMatch(/\n0 errors, 1 warning in 2 resources from 2 files\n$/);
  });

  test('1 on warnings with --strict', async () => {
    const result = await lintFiles({ 'service.yaml': SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET }, '--strict', 'service.yaml', 'daemonset.yaml');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NL102 warning rollout-gap');
  });

  test('--strict still passes a clean input', async () => {
    const result = await lintFiles({ 'all.yaml': `${SERVICE}---\n${DAEMONSET}` }, 'all.yaml', '--strict');
    expect(result.code).toBe(0);
  });

  test('1 on an object that is not a valid kubernetes object (NL000), with its line', async () => {
    const result = await json({ 'a.yaml': `${SERVICE}---\n${DAEMONSET}---\n# no apiVersion\nkind: ConfigMap\nmetadata:\n  name: c\n` }, 'a.yaml');
    expect(result.code).toBe(1);
    expect(result.report.findings).toEqual([expect.objectContaining({ ruleId: 'NL000', file: 'a.yaml', line: 54 })]);
  });
});

describe('objects in several files are checked together', () => {
  test('a Service alone has no DaemonSet to route to (NL004)', async () => {
    const { code, report } = await json({ 'service.yaml': SERVICE }, 'service.yaml');
    expect(code).toBe(1);
    expect(report.findings.map((f: any) => f.ruleId)).toEqual(['NL004']);
  });

  test('its DaemonSet in another file pairs with it', async () => {
    const { code, report } = await json({ 'service.yaml': SERVICE, 'ds/daemonset.yaml': DAEMONSET }, 'service.yaml', 'ds/daemonset.yaml');
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  test('the rules see the pair across files: a finding on one file can be caused by the other', async () => {
    // the DaemonSet's template labels no longer match the Service's selector
    const other = DAEMONSET.replace(/app.kubernetes.io\/name: node-cache/g, 'app.kubernetes.io/name: other');
    const { report } = await json({ 'service.yaml': SERVICE, 'daemonset.yaml': other }, 'service.yaml', 'daemonset.yaml');
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'NL004', file: 'service.yaml', line: 2, fieldLine: 9 })]);
  });

  test('a directory stands for its YAML files, sorted, and skips other files', async () => {
    const { code, report } = await json({
      'chart/templates/service.yaml': HEADLESS_SERVICE,
      'chart/templates/daemonset.yml': DAEMONSET,
      'chart/construct-metadata.json': '{"version": "1.0.0", "resources": {}}',
      'chart/README.md': '# not a manifest',
    }, 'chart');
    expect(code).toBe(1);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, resources: 2, files: 2, namespace: 'default', unreadable: 0 });
    expect(report.findings[0]).toMatchObject({ ruleId: 'NL002', file: path.join('chart', 'templates', 'service.yaml'), line: 2 });
  });

  test('a file named twice is read once', async () => {
    const { report } = await json({ 'all.yaml': `${SERVICE}---\n${DAEMONSET}` }, 'all.yaml', './all.yaml');
    expect(report.summary).toEqual({ errors: 0, warnings: 0, resources: 2, files: 1, namespace: 'default', unreadable: 0 });
  });
});

describe('line numbers', () => {
  test('point at the object and at the field of each finding', async () => {
    const text = `${HEADLESS_SERVICE}---\n${GAPPY_DAEMONSET}`;
    const { report } = await json({ 'all.yaml': text }, 'all.yaml');
    expect(report.findings.map((f: any) => [f.ruleId, f.line, f.fieldLine])).toEqual([
      ['NL002', 2, 8],
      ['NL102', 19, 31],
    ]);
    // the same lines, computed from the text
    expect(lineOf(text, 'clusterIP: None')).toBe(8);
    expect(lineOf(text, 'apiVersion: apps/v1')).toBe(19);
    expect(lineOf(text, 'maxUnavailable: 1')).toBe(31);
  });

  test('a field that is missing points at its closest written ancestor', async () => {
    // no updateStrategy at all: NL102 names /spec/updateStrategy..., the line is that of spec
    const noStrategy = DAEMONSET.replace(/  updateStrategy:\n(    .*\n)+/, '');
    const { report } = await json({ 'service.yaml': SERVICE, 'daemonset.yaml': noStrategy }, 'service.yaml', 'daemonset.yaml');
    const finding = report.findings.find((f: any) => f.ruleId === 'NL102');
    expect(finding.path).toMatch(/^\/spec\/updateStrategy/);
    expect(finding.fieldLine).toBe(lineOf(noStrategy, 'spec:'));
  });

  test('are right with CRLF line endings', async () => {
    const crlf = `${HEADLESS_SERVICE}---\n${DAEMONSET}`.replace(/\n/g, '\r\n');
    const { report } = await json({ 'all.yaml': crlf }, 'all.yaml');
    expect(report.findings.map((f: any) => [f.ruleId, f.line, f.fieldLine])).toEqual([['NL002', 2, 8]]);
  });
});

describe('documents', () => {
  test('comments, empty documents and document end markers are skipped, lines stay exact', async () => {
    const text = lines(
      '# rendered by helm template', //  1
      '---', //                          2
      '---', //                          3
      '# Source: only-a-comment.yaml', // 4
      '---', //                          5
      '', //                             6
      '--- # a comment after the marker', // 7
      HEADLESS_SERVICE.trimEnd(), //     8-23
      '...', //                         24
      '---', //                         25
      DAEMONSET.trimEnd(), //           26-58
      '---', //                         59
    );
    const { report } = await json({ 'all.yaml': text }, 'all.yaml');
    expect(report.summary.resources).toBe(2);
    expect(report.findings.map((f: any) => [f.ruleId, f.line, f.fieldLine])).toEqual([['NL002', 9, 15]]);
    expect(lineOf(text, 'apiVersion: v1')).toBe(9);
    expect(lineOf(text, 'clusterIP: None')).toBe(15);
  });

  test('anchors, aliases and merge keys are resolved as kubectl resolves them', async () => {
    const text = lines(
      SERVICE.trimEnd(),
      '---',
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '  name: node-cache',
      '  namespace: kube-system',
      '  labels: &labels',
      '    app.kubernetes.io/name: node-cache',
      'spec:',
      '  selector:',
      '    matchLabels: *labels',
      '  updateStrategy:',
      '    type: RollingUpdate',
      '    rollingUpdate: {maxUnavailable: 1}',
      '  template:',
      '    metadata:',
      '      labels: *labels',
      '    spec:',
      '      tolerations: [{operator: Exists}]',
      '      containers:',
      '        - name: node-cache',
      '          image: registry.k8s.io/dns/k8s-dns-node-cache:1.23.1',
      '          ports: [{name: dns, containerPort: 53, protocol: UDP}]',
      '          readinessProbe: {tcpSocket: {port: 8080}}',
      '      priorityClassName: system-node-critical',
    );
    // the aliases carry the labels: the Service selects the DaemonSet; only the anchored rollout gap is reported
    const { report } = await json({ 'all.yaml': text }, 'all.yaml');
    expect(report.findings.map((f: any) => [f.ruleId, f.line, f.fieldLine])).toEqual([
      ['NL102', 17, lineOf(text, 'rollingUpdate: {maxUnavailable: 1}')],
    ]);

    // a merge key (`<<`) brings fields of another map, and yes/on are booleans, as in YAML 1.1
    const merged = parseManifests('m.yaml', lines(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: &meta',
      '  name: a',
      'data:',
      '  <<: {x: "1"}',
      '  enabled: on',
    ));
    expect(merged[0].object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1', enabled: true } });
  });

  test('a List (kubectl get -o yaml) is checked item by item, each with its line', async () => {
    const indent = (text: string) => text.trimEnd().split('\n').filter(l => !l.startsWith('#'))
      .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
    const text = lines(
      'apiVersion: v1',
      'kind: List',
      'metadata:',
      '  resourceVersion: ""',
      'items:',
      indent(HEADLESS_SERVICE),
      indent(DAEMONSET),
    );
    const { report } = await json({ 'list.yaml': text }, 'list.yaml');
    expect(report.summary.resources).toBe(2);
    expect(report.findings.map((f: any) => [f.ruleId, f.resource.kind, f.line, f.fieldLine])).toEqual([
      ['NL002', 'Service', 6, lineOf(text, 'clusterIP: None')],
    ]);
    expect(lineOf(text, '- apiVersion: v1')).toBe(6);
  });

  test('a typed List (ServiceList, from the API) gives its items their kind', async () => {
    const text = lines(
      'apiVersion: v1',
      'kind: ServiceList',
      'items:',
      '  - metadata: {name: node-cache, namespace: kube-system}',
      '    spec:',
      '      clusterIP: None',
      '      internalTrafficPolicy: Local',
      '      selector: {app.kubernetes.io/name: node-cache}',
      '      ports: [{name: dns, port: 53, protocol: UDP, targetPort: dns}]',
      '---',
      DAEMONSET.trimEnd(),
    );
    const { report } = await json({ 'list.yaml': text }, 'list.yaml');
    expect(report.findings.map((f: any) => [f.ruleId, f.resource, f.line, f.fieldLine])).toEqual([
      ['NL002', { kind: 'Service', name: 'node-cache', namespace: 'kube-system' }, 4, 6],
    ]);
  });

  test('a List nested in a List, and an empty List, are flattened', async () => {
    const nested = parseManifests('n.yaml', lines(
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: List',
      '    items:',
      '      - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}',
      '  - {apiVersion: v1, kind: List, items: []}',
      '  - {apiVersion: v1, kind: List, items: null}',
      '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}',
    ));
    expect(nested.map(m => [m.object.metadata.name, m.line, m.column])).toEqual([['a', 7, 9], ['b', 10, 5]]);
  });

  test('a top-level sequence of objects is read like a List', async () => {
    const text = lines(
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: a}',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: b}',
    );
    expect(parseManifests('s.yaml', text).map(m => [m.object.metadata.name, m.line])).toEqual([['a', 1], ['b', 4]]);
  });

  test('JSON files are read, with lines (kubectl get -o json)', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: parseManifests('x', `${HEADLESS_SERVICE}---\n${DAEMONSET}`).map(m => m.object),
    };
    const text = JSON.stringify(list, undefined, 2);
    const { report } = await json({ 'list.json': text }, 'list.json');
    expect(report.findings.map((f: any) => [f.ruleId, f.line, f.fieldLine])).toEqual([
      ['NL002', lineOf(text, '"items"') + 1, lineOf(text, '"clusterIP": "None"')],
    ]);
  });
});

describe('standard input', () => {
  test('is read when no file is given', async () => {
    const result = await cli(['lint', '--format', 'json'], { stdin: `${HEADLESS_SERVICE}---\n${DAEMONSET}` });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toEqual([expect.objectContaining({ ruleId: 'NL002', file: '<stdin>', line: 2, fieldLine: 8 })]);
  });

  test('is read for -, together with files', async () => {
    dir = folder({ 'service.yaml': HEADLESS_SERVICE });
    const result = await cli(['lint', 'service.yaml', '-'], { cwd: dir, stdin: DAEMONSET });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^service.yaml:2: Service kube-system\/node-cache\n/);
    expect(result.stdout).toMatch(/1 error, 0 warnings in 2 resources from 2 files\n$/);
  });
});

describe('the text report', () => {
  test('groups findings by object: file:line and object, then rule, severity, field, message and fix', async () => {
    const files = { 'service.yaml': HEADLESS_SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET };
    const { report } = await json(files, 'service.yaml', 'daemonset.yaml');
    const [nl002, nl102] = report.findings;
    const result = await cli(['lint', 'service.yaml', 'daemonset.yaml'], { cwd: dir });
    expect(result.stdout).toBe(lines(
      'service.yaml:2: Service kube-system/node-cache',
      '  NL002 error service-not-cluster-ip (/spec/clusterIP, line 8)',
      `    ${nl002.message}`,
      `    fix: ${nl002.fix}`,
      '',
      'daemonset.yaml:2: DaemonSet kube-system/node-cache',
      '  NL102 warning rollout-gap (/spec/updateStrategy/rollingUpdate/maxUnavailable, line 14)',
      `    ${nl102.message}`,
      `    fix: ${nl102.fix}`,
      '',
      '1 error, 1 warning in 2 resources from 2 files',
    ));
  });

  test('lists several findings of one object under one header', async () => {
    const noProbe = GAPPY_DAEMONSET.replace(/          readinessProbe:\n(            .*\n)+/, '');
    const result = await lintFiles({ 'all.yaml': `${SERVICE}---\n${noProbe}` }, 'all.yaml');
    expect(result.stdout.match(/^all.yaml:\d+: /gm)).toEqual(['all.yaml:18: ']);
    expect(result.stdout).toContain('  NL101 warning missing-readiness-probe');
    expect(result.stdout).toContain('  NL102 warning rollout-gap');
  });
});

describe('the JSON report (--format json)', () => {
  test('has a stable shape: version, findings with file and lines, summary', async () => {
    const { code, report } = await json({ 'service.yaml': HEADLESS_SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET }, 'service.yaml', 'daemonset.yaml');
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      findings: [
        {
          ruleId: 'NL002',
          ruleName: 'service-not-cluster-ip',
          severity: 'error',
          message: expect.stringContaining('Service kube-system/node-cache has clusterIP "None"'),
          fix: expect.stringContaining('Remove spec.clusterIP'),
          resource: { kind: 'Service', name: 'node-cache', namespace: 'kube-system' },
          path: '/spec/clusterIP',
          file: 'service.yaml',
          line: 2,
          fieldLine: 8,
        },
        {
          ruleId: 'NL102',
          ruleName: 'rollout-gap',
          severity: 'warning',
          message: expect.any(String),
          fix: expect.any(String),
          resource: { kind: 'DaemonSet', name: 'node-cache', namespace: 'kube-system' },
          path: '/spec/updateStrategy/rollingUpdate/maxUnavailable',
          file: 'daemonset.yaml',
          line: 2,
          fieldLine: 14,
        },
      ],
      summary: { errors: 1, warnings: 1, resources: 2, files: 2, namespace: 'default', unreadable: 0 },
      unreadable: [],
    });
    // key order is part of the shape (diffs of saved reports stay readable)
    expect(Object.keys(report)).toEqual(['version', 'findings', 'summary', 'unreadable']);
    expect(Object.keys(report.findings[0])).toEqual(['ruleId', 'ruleName', 'severity', 'message', 'fix', 'resource', 'path', 'file', 'line', 'fieldLine']);
  });

  test('writes null for what is unknown: no name, no namespace, no position', () => {
    const manifests = parseManifests('a.yaml', lines('apiVersion: v1', 'kind: ConfigMap'));
    const { json: report, text } = buildReport([
      { ruleId: 'NL000', ruleName: 'x', severity: Severity.ERROR, message: 'm', fix: 'f', resource: { kind: 'ConfigMap' }, path: '', manifestIndex: 0 },
      { ruleId: 'NL014', ruleName: 'y', severity: Severity.ERROR, message: 'm', fix: 'f', resource: { kind: 'Service', name: 'gone' }, path: '' },
    ], manifests, 1);
    expect(report.findings.map(f => [f.resource, f.file, f.line, f.fieldLine])).toEqual([
      [{ kind: 'ConfigMap', name: null, namespace: null }, 'a.yaml', 1, 1],
      [{ kind: 'Service', name: 'gone', namespace: null }, null, null, null],
    ]);
    expect(text).toContain('a.yaml:1: ConfigMap (unnamed)\n');
    expect(text).toContain('(not in the input): Service gone\n');
  });

  test('a finding without a position is placed by kind, namespace and name', () => {
    const manifests = parseManifests('a.yaml', `${SERVICE}---\n${DAEMONSET}`);
    const { json: report } = buildReport([
      { ruleId: 'NL014', ruleName: 'y', severity: Severity.WARNING, message: 'm', fix: 'f', resource: { kind: 'DaemonSet', name: 'node-cache', namespace: 'kube-system' }, path: '/spec' },
    ], manifests, 1);
    expect(report.findings[0]).toMatchObject({ file: 'a.yaml', line: 18, fieldLine: 23 });
  });
});

describe('help and version', () => {
  test.each([['--help'], ['-h'], ['help'], ['lint', '--help']])('%s prints the usage and exits 0', async (...args) => {
    const result = await cli(args);
    expect(result).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect(USAGE).toMatch(/^Usage: cdk8s-node-local lint \[--strict\] \[--format text\|json\|sarif\|github\] \[-n NAMESPACE\] \[--kube-version X\.Y\] \[--max-input-size SIZE\] \[FILE \.\.\.\]\n/);
  });

  test('--version prints the package version', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
