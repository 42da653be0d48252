import { lintBoth, pair, single, SVC } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL021';

function distributed(value: unknown, local = false): any[] {
  return pair((_ds, svc) => {
    if (!local) {
      delete svc.spec.internalTrafficPolicy;
    }
    svc.spec.trafficDistribution = value;
  });
}

function at(manifests: any[], kubernetesVersion?: string) {
  return lintManifests(manifests, { kubernetesVersion }).filter((f) => f.ruleId === ID);
}

describe('NL021 traffic-distribution-unsupported', () => {
  test('PreferSameNode from 1.34, and any value when the version is unknown, are compliant', () => {
    expect(at(distributed('PreferSameNode'), '1.34')).toEqual([]);
    expect(at(distributed('PreferSameNode'), '1.35')).toEqual([]);
    expect(at(distributed('PreferSameNode'), '2.0')).toEqual([]);
    expect(lintBoth(distributed('PreferSameNode'), ID)).toEqual([]);
  });

  test('fails if a PreferSameNode Service is linted for Kubernetes 1.33', () => {
    const finding = single(at(distributed('PreferSameNode'), '1.33'));
    expect(finding).toMatchObject({ severity: Severity.ERROR, path: '/spec/trafficDistribution' });
    expect(finding.message).toBe(`${SVC} has trafficDistribution "PreferSameNode", which Kubernetes 1.33 does not have: it is on by `
      + 'default from 1.34 (in 1.33 only behind the alpha feature gate PreferSameTrafficDistribution, off by default); the API '
      + 'server rejects the Service (or, with validation off, drops the field and the Service routes cluster-wide), so the pair '
      + 'is not node-local');
    expect(finding.fix).toMatch(/^On Kubernetes 1\.33, replace spec\.trafficDistribution with internalTrafficPolicy: Local on /);
  });

  test('fails before the field existed, without the alpha note; helm-style versions are read', () => {
    expect(single(at(distributed('PreferSameNode'), 'v1.29.4')).message).toContain('which Kubernetes 1.29 does not have: it is on by default from 1.34;');
  });

  test('a Local Service whose ignored distribution the version rejects says to remove it', () => {
    const finding = single(at(distributed('PreferSameNode', true), '1.31'));
    expect(finding.message).toContain('the API server rejects the Service, although internalTrafficPolicy Local would ignore the field anyway');
    expect(finding.fix).toBe(`Remove spec.trafficDistribution from ${SVC}: internalTrafficPolicy Local already keeps traffic on the node`);
    expect(at(distributed('PreferClose', true), '1.31')).toEqual([]);
  });

  test('fails for a value no version accepts, whatever the version', () => {
    expect(single(lintBoth(distributed('PreferNode', true), ID)).message).toBe(`${SVC} has trafficDistribution "PreferNode", which `
      + 'no Kubernetes version accepts (PreferClose, PreferSameZone and PreferSameNode are the values, case-sensitive): the API '
      + 'server rejects the Service');
  });

  test('a version that cannot be read is an NL014 finding, and no version finding', () => {
    const findings = lintManifests(distributed('PreferSameNode'), { kubernetesVersion: 'latest' });
    expect(findings.map((f) => f.ruleId)).toEqual(['NL014']);
    expect(findings[0].message).toBe('options.kubernetesVersion "latest" is not a Kubernetes version, so no finding depends on the version');
  });
});
