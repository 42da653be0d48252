import { ids, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL000';

describe('NL000 not-a-kubernetes-object', () => {
  test('a correct pair is compliant', () => {
    expect(lintManifests(pair())).toEqual([]);
  });

  test.each([
    ['null', null, 'is null'],
    ['undefined', undefined, 'is undefined'],
    ['a number', 42, 'is a number (42)'],
    ['a string', 'kind: Service', 'is a string ("kind: Service")'],
    ['a boolean', true, 'is a boolean (true)'],
    ['an array', [{ kind: 'Service' }], 'is an array'],
  ])('fails if a manifest is %s', (_what, manifest, problem) => {
    const finding = single(lintManifests([...pair(), manifest]));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'not-a-kubernetes-object',
      severity: Severity.ERROR,
      resource: { kind: '' },
      path: '',
      manifestIndex: 2,
      message: `Manifest 2 ${problem}, not a Kubernetes object (a map with a string apiVersion and kind): kubectl apply rejects it and no rule can check it`,
      fix: 'Remove manifest 2, or make it a map with apiVersion, kind and metadata.name',
    });
  });

  test('fails if an object has no kind', () => {
    const finding = single(lintManifests([{ apiVersion: 'v1', metadata: { name: 'x', namespace: 'ns' } }]));
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, path: '/kind', manifestIndex: 0, resource: { kind: '', name: 'x', namespace: 'ns' } });
    expect(finding.message).toBe('Manifest 0 is an object without kind, not a Kubernetes object (a map with a string apiVersion and kind): '
      + 'kubectl apply rejects it and no rule can check it');
    expect(finding.fix).toBe('Set kind of manifest 0 to a non-empty string (e.g. kind: Service), or remove the manifest');
  });

  test('fails if the kind is not a string', () => {
    const finding = single(lintManifests([{ apiVersion: 'v1', kind: 7 }]));
    expect(finding).toMatchObject({ ruleId: ID, path: '/kind', resource: { kind: '' } });
    expect(finding.message).toMatch(/^Manifest 0 is an object with kind 7, not a Kubernetes object/);
  });

  test('fails if the kind is empty', () => {
    expect(single(lintManifests([{ apiVersion: 'v1', kind: '' }])).message).toMatch(/^Manifest 0 is an object with kind "", /);
  });

  test('fails if an object has no apiVersion', () => {
    const finding = single(lintManifests([{ kind: 'Service', metadata: { name: 'dns' } }]));
    expect(finding).toMatchObject({ ruleId: ID, path: '/apiVersion', manifestIndex: 0, resource: { kind: 'Service', name: 'dns' } });
    expect(finding.message).toMatch(/^Manifest 0 is a Service without apiVersion, not a Kubernetes object/);
    expect(finding.fix).toBe('Set apiVersion of manifest 0 to a non-empty string (e.g. apiVersion: v1), or remove the manifest');
  });

  test('fails if the apiVersion is not a string', () => {
    expect(single(lintManifests([{ kind: 'Service', apiVersion: ['v1'] }])).message)
      .toMatch(/^Manifest 0 is a Service with apiVersion \["v1"\], /);
  });

  test('reports every bad manifest and still checks the good ones', () => {
    const [ds, svc] = pair((_ds, s) => { s.spec.internalTrafficPolicy = 'Local'; });
    const findings = lintManifests([null, ds, 3, svc, {}]);
    expect(ids(findings)).toEqual([ID, ID, ID]);
    expect(findings.map((f) => f.manifestIndex)).toEqual([0, 2, 4]);
  });
});
