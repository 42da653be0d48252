import { NAMESPACE, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL009';

function withName(name: unknown): any[] {
  return pair((_ds, svc) => { svc.metadata.name = name; });
}

describe('NL009 invalid-service-name', () => {
  test('a DNS-1035 label is compliant', () => {
    expect(lintManifests(withName('a'))).toEqual([]);
    expect(lintManifests(withName('x'.repeat(63)))).toEqual([]);
  });

  test('a generateName without name is compliant', () => {
    expect(lintManifests(pair((_ds, svc) => { delete svc.metadata.name; svc.metadata.generateName = 'node-dns-'; }))).toEqual([]);
  });

  test('fails if the name starts with a digit', () => {
    const finding = single(lintManifests(withName('1-node-dns')));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'invalid-service-name',
      severity: Severity.ERROR,
      resource: { kind: 'Service', name: '1-node-dns', namespace: NAMESPACE },
      path: '/metadata/name',
      manifestIndex: 1,
      message: `Service ${NAMESPACE}/1-node-dns has the name "1-node-dns", which is not a DNS-1035 label (it must consist of `
        + 'lower case letters, digits and \'-\', start with a letter and end with a letter or digit): the API server rejects '
        + 'the Service, so the pair has no Service',
      fix: `Rename Service ${NAMESPACE}/1-node-dns to a DNS-1035 label, e.g. "node-dns", and update its clients`,
    });
  });

  test.each([
    ['NodeDNS', 'nodedns'],
    ['node.dns', 'node-dns'],
    ['node-dns-', 'node-dns'],
  ])('fails if the name is %p', (name, suggestion) => {
    const finding = single(lintManifests(withName(name)));
    expect(finding.path).toBe('/metadata/name');
    expect(finding.message).toContain(`has the name "${name}", which is not a DNS-1035 label`);
    expect(finding.fix).toContain(`e.g. "${suggestion}"`);
  });

  test('fails if the name is longer than 63 characters', () => {
    const name = 'node-dns-' + 'x'.repeat(60);
    const finding = single(lintManifests(withName(name)));
    expect(finding.message).toContain('(it is 69 characters long, at most 63 are allowed)');
    expect(finding.fix).toContain(`e.g. "${name.slice(0, 63)}"`);
  });

  test('fails if the Service has no name', () => {
    const finding = single(lintManifests(withName(undefined)));
    expect(finding).toMatchObject({ ruleId: ID, path: '/metadata/name', manifestIndex: 1, resource: { kind: 'Service', namespace: NAMESPACE } });
    expect(finding.resource.name).toBeUndefined();
    expect(finding.message).toBe('Service without name (manifest 1) has no metadata.name: the API server rejects a Service without a name');
  });

  test('fails if the name is not a string', () => {
    const finding = single(lintManifests(withName(42)));
    expect(finding).toMatchObject({ ruleId: ID, path: '/metadata/name', manifestIndex: 1 });
    expect(finding.message).toBe('Service without name (manifest 1) has metadata.name 42: the API server rejects a Service without a name');
  });
});
