import { DECLARED, DS_REF, pair, single, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL014';

describe('NL014 unresolved-pair', () => {
  test('a declared pair of objects in the manifests is compliant', () => {
    expect(lintManifests(pair(), DECLARED)).toEqual([]);
  });

  test('fails if the declared DaemonSet is not in the manifests', () => {
    const [, svc] = pair();
    const finding = single(lintManifests([svc], DECLARED));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'unresolved-pair',
      severity: Severity.ERROR,
      resource: DS_REF,
      path: '',
      message: `DaemonSet infra/${DS_REF.name} of options.pairs[0].daemonSet is not among the 1 given manifests, so the pair `
        + 'cannot be checked and Kubernetes would have nothing to route it to',
      fix: `Add DaemonSet infra/${DS_REF.name} to the manifests, or correct the name and namespace in options.pairs[0].daemonSet `
        + '(a reference or an object without a namespace is in namespace \"default\")',
    });
    expect(finding.manifestIndex).toBeUndefined();
  });

  test('fails if the declared Service is in another namespace, and still checks the DaemonSet', () => {
    const options = { pairs: [{ service: { ...SVC_REF, namespace: undefined }, daemonSet: DS_REF }] };
    const findings = lintManifests(pair((ds) => { ds.spec.updateStrategy = { type: 'OnDelete' }; }), options);
    expect(findings.map((f) => f.ruleId)).toEqual(['NL102', 'NL014']);
    expect(findings[1].resource).toEqual({ kind: 'Service', name: SVC_REF.name });
    expect(findings[1].message).toMatch(/^Service node-dns-service-c8d9e0a7 of options.pairs\[0\].service is not among the 2 given manifests/);
  });

  test('a declared Service whose DaemonSet is missing is still checked', () => {
    const [, svc] = pair((_ds, s) => { s.spec.clusterIP = 'None'; });
    expect(lintManifests([svc], DECLARED).map((f) => f.ruleId)).toEqual(['NL002', 'NL014']);
  });

  test('fails if a reference names another kind', () => {
    const options = { pairs: [{ service: SVC_REF, daemonSet: { ...DS_REF, kind: 'Deployment' } }] };
    const finding = single(lintManifests(pair(), options));
    expect(finding).toMatchObject({ ruleId: ID, path: '', resource: { kind: 'Deployment', name: DS_REF.name } });
    expect(finding.message).toBe('options.pairs[0].daemonSet names a Deployment, but the pair needs a DaemonSet');
    expect(finding.fix).toBe('Set options.pairs[0].daemonSet.kind to \'DaemonSet\' and name a DaemonSet of the manifests');
  });

  test('fails if a reference has no name or is not a reference', () => {
    const options: any = { pairs: [{ service: { kind: 'Service' }, daemonSet: 7 }] };
    const findings = lintManifests(pair(), options);
    expect(findings.map((f) => f.message)).toEqual([
      'options.pairs[0].daemonSet is 7, not a reference to a DaemonSet',
      'options.pairs[0].service names no Service: its name is undefined',
    ]);
  });

  test('an empty list of pairs checks nothing', () => {
    expect(lintManifests(pair((_ds, svc) => { svc.spec.type = 'NodePort'; }), { pairs: [] })).toEqual([]);
  });
});
