import { DECLARED, lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL001';

describe('NL001 service-traffic-policy-not-local', () => {
  test('a Local Service in a declared pair is compliant', () => {
    expect(lintManifests(pair(), DECLARED)).toEqual([]);
  });

  test('a PreferSameNode Service is node-local too, declared or found', () => {
    const manifests = pair((_ds, svc) => { delete svc.spec.internalTrafficPolicy; svc.spec.trafficDistribution = 'PreferSameNode'; });
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(lintManifests(manifests, DECLARED)).toEqual([]);
    expect(lintManifests(manifests)).toEqual([]);
  });

  test('fails if a declared Service has internalTrafficPolicy Cluster', () => {
    const findings = lintManifests(pair((_ds, svc) => { svc.spec.internalTrafficPolicy = 'Cluster'; }), DECLARED);
    expect(single(findings)).toEqual({
      ruleId: ID,
      ruleName: 'service-traffic-policy-not-local',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/internalTrafficPolicy',
      manifestIndex: 1,
      message: `${SVC} has internalTrafficPolicy "Cluster", not "Local": kube-proxy sends its in-cluster traffic to the `
        + 'DaemonSet pod of any node instead of the one on the client\'s node, so the pair is not node-local',
      fix: `Set spec.internalTrafficPolicy: Local on ${SVC}, or spec.trafficDistribution: PreferSameNode (Kubernetes 1.34 and `
        + 'later) to fall back to another node\'s agent instead of dropping',
    });
  });

  test('fails if a declared Service has no internalTrafficPolicy', () => {
    const finding = single(lintManifests(pair((_ds, svc) => { delete svc.spec.internalTrafficPolicy; }), DECLARED));
    expect(finding).toMatchObject({ ruleId: ID, path: '/spec/internalTrafficPolicy' });
    expect(finding.message).toMatch(/has no internalTrafficPolicy \(Kubernetes defaults it to "Cluster"\), not "Local"/);
  });

  test('fails if a declared Service prefers its zone, not its node, and says PreferClose is the old name of PreferSameZone', () => {
    const finding = single(lintManifests(pair((_ds, svc) => { delete svc.spec.internalTrafficPolicy; svc.spec.trafficDistribution = 'PreferClose'; }), DECLARED));
    expect(finding.message).toContain('and trafficDistribution "PreferClose" (the deprecated name of PreferSameZone: it prefers '
      + 'endpoints in the client\'s zone, not on its node), not "Local"');
  });

  test('fails if a declared Service has a misspelt policy', () => {
    const finding = single(lintManifests(pair((_ds, svc) => { svc.spec.internalTrafficPolicy = 'local'; }), DECLARED));
    expect(finding.message).toMatch(/has internalTrafficPolicy "local", not "Local"/);
  });

  test('without declared pairs, a Cluster Service is not a node-local Service and is not checked', () => {
    expect(lintManifests(pair((_ds, svc) => { svc.spec.internalTrafficPolicy = 'Cluster'; }))).toEqual([]);
    expect(lintManifests(pair((_ds, svc) => { delete svc.spec.internalTrafficPolicy; svc.spec.trafficDistribution = 'PreferSameZone'; }))).toEqual([]);
  });
});
