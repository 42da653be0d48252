// Black holes through the command: duplicate objects, reported with the file:line of the other
// copies, a file read twice counted once, and NetworkPolicies given as YAML.
import * as fs from 'fs';
import * as path from 'path';
import { DAEMONSET, SERVICE } from './fixtures';
import { cli, folder, lines, removeFolder } from './support';

let dir: string;
afterEach(() => dir && removeFolder(dir));

async function lint(files: { [name: string]: string }, ...args: string[]) {
  dir = folder(files);
  return cli(['lint', ...args], { cwd: dir });
}

const CONFIG_MAP = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: agent-config', '  namespace: kube-system', 'data:', '  a: "1"');

describe('duplicates', () => {
  test('a DaemonSet in two files: each copy is an error that names the other file and line', async () => {
    const other = DAEMONSET.replace('      maxSurge: 1\n', '      maxSurge: 2\n');
    const result = await lint({ 'a.yaml': `${SERVICE}---\n${DAEMONSET}`, 'b.yaml': other }, '--format', 'json', 'a.yaml', 'b.yaml');
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings.filter((f: any) => f.ruleId === 'NL018');
    expect(findings.map((f: any) => [f.file, f.line, f.fieldLine, f.related])).toEqual([
      ['a.yaml', 18, 21, [{ resource: { kind: 'DaemonSet', name: 'node-cache', namespace: 'kube-system' }, path: '/metadata/name', file: 'b.yaml', line: 2, fieldLine: 5 }]],
      ['b.yaml', 2, 5, [{ resource: { kind: 'DaemonSet', name: 'node-cache', namespace: 'kube-system' }, path: '/metadata/name', file: 'a.yaml', line: 18, fieldLine: 21 }]],
    ]);
  });

  test('the text report shows the related copy as file:line', async () => {
    const result = await lint({ 'a.yaml': `${CONFIG_MAP}---\n${CONFIG_MAP}` }, 'a.yaml');
    expect(result.stdout).toContain('a.yaml:1: ConfigMap kube-system/agent-config\n  NL018 error duplicate-object (/metadata/name, line 4)\n');
    expect(result.stdout).toContain('    related: a.yaml:9: ConfigMap kube-system/agent-config (/metadata/name, line 12)\n');
  });

  test('a List with a duplicate item', async () => {
    const list = lines(
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: agent-config, namespace: kube-system}',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: agent-config, namespace: kube-system}',
      '    data: {a: "2"}',
    );
    const result = await lint({ 'list.yaml': list }, '--format', 'json', 'list.yaml');
    const findings = JSON.parse(result.stdout).findings;
    expect(findings.map((f: any) => [f.ruleId, f.line, f.related?.[0]?.line])).toEqual([['NL018', 4, 7], ['NL018', 7, 4]]);
  });

  test('a file named through a symlink, or in a directory given too, is read once', async () => {
    dir = folder({ 'm/all.yaml': `${SERVICE}---\n${DAEMONSET}` });
    fs.symlinkSync(path.join(dir, 'm', 'all.yaml'), path.join(dir, 'link.yaml'));
    const result = await cli(['lint', '--format', 'json', 'm', 'm/all.yaml', 'link.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary).toEqual({ errors: 0, warnings: 0, resources: 2, files: 1, namespace: 'default', unreadable: 0 });
  });
});

describe('NetworkPolicies given as YAML', () => {
  const DEFAULT_DENY = lines(
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: default-deny',
    '  namespace: kube-system',
    'spec:',
    '  podSelector: {}',
    '  policyTypes: [Ingress]',
  );

  test('a namespace default deny is an error at the policy, exit 1', async () => {
    const result = await lint({ 'all.yaml': `${SERVICE}---\n${DAEMONSET}---\n${DEFAULT_DENY}` }, '--format', 'json', 'all.yaml');
    expect(result.code).toBe(1);
    const [finding] = JSON.parse(result.stdout).findings;
    expect(finding).toMatchObject({ ruleId: 'NL016', file: 'all.yaml', line: 53, path: '/spec/ingress', resource: { kind: 'NetworkPolicy', name: 'default-deny' } });
    expect(finding.message).toContain('no ingress rule admits Service kube-system/node-cache port "dns" (53/UDP, container port 53) from any source');
  });

  test('a policy that admits the port from every namespace passes', async () => {
    const allow = DEFAULT_DENY.replace('  policyTypes: [Ingress]', '  ingress: [{from: [{namespaceSelector: {}}], ports: [{protocol: UDP, port: dns}]}]');
    const result = await lint({ 'all.yaml': `${SERVICE}---\n${DAEMONSET}---\n${allow}` }, 'all.yaml');
    expect(result).toMatchObject({ code: 0, stdout: '0 errors, 0 warnings in 3 resources from 1 file\n' });
  });
});
