import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL103';
const POD = '/spec/template/spec';

describe('NL103 partial-node-coverage', () => {
  test('a DaemonSet that tolerates everything and selects no nodes is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('keyless Exists tolerations for NoSchedule and NoExecute together tolerate every taint', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.tolerations = [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }];
    }), ID)).toEqual([]);
  });

  test('a preferred node affinity is compliant', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }] } };
    }), ID)).toEqual([]);
  });

  test('fails if the DaemonSet has a nodeSelector', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'partial-node-coverage',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: `${POD}/nodeSelector`,
      manifestIndex: 0,
      message: `${DS} has nodeSelector {"kubernetes.io/os":"linux"}: its pods run only on matching nodes, and client pods on `
        + 'the other nodes have their traffic to the Local Service dropped',
      fix: `Remove spec.template.spec.nodeSelector from ${DS}, or give every client of the Service the same nodeSelector and acknowledge NL103`,
    });
  });

  test('fails if the DaemonSet has a required node affinity', () => {
    const required = { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['edge'] }] }] };
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } };
    }), ID));
    expect(finding.path).toBe(`${POD}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution`);
    expect(finding.message).toMatch(/has a required node affinity \{"nodeSelectorTerms":.*: its pods run only on matching nodes/);
  });

  test('fails if the pod template names a node', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.nodeName = 'node-1'; }), ID));
    expect(finding.path).toBe(`${POD}/nodeName`);
    expect(finding.message).toContain('has nodeName "node-1": its pod runs on that node only');
  });

  test.each([
    ['no tolerations', undefined, 'tolerates no taint'],
    ['an empty list', [], 'tolerates no taint'],
    ['NoSchedule only', [{ operator: 'Exists', effect: 'NoSchedule' }], 'only tolerates [{"operator":"Exists","effect":"NoSchedule"}]'],
    ['a keyed Exists', [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }], 'only tolerates [{"key":"node-role.kubernetes.io/control-plane","operator":"Exists"}]'],
    ['a timed NoExecute', [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], 'only tolerates'],
    ['an Equal toleration', [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }], 'only tolerates'],
  ])('fails if the DaemonSet tolerates %s', (_what, tolerations, found) => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.tolerations = tolerations; }), ID));
    expect(finding.path).toBe(`${POD}/tolerations`);
    expect(finding.message).toContain(`${DS} ${found}`);
    expect(finding.message).toContain(': nodes with another NoSchedule or NoExecute taint (control-plane nodes, dedicated node pools) run no pod of it');
    expect(finding.fix).toBe(`Add {operator: Exists} to spec.template.spec.tolerations of ${DS} (it tolerates every taint), or acknowledge NL103 if no client runs on tainted nodes`);
  });

  test('reports each restriction', () => {
    const findings = lintBoth(pair((ds) => {
      ds.spec.template.spec.nodeSelector = { a: 'b' };
      ds.spec.template.spec.tolerations = [];
    }), ID);
    expect(findings.map((f) => f.path)).toEqual([`${POD}/nodeSelector`, `${POD}/tolerations`]);
  });
});
