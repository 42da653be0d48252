import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL104';
const IGNORED = 'kube-proxy ignores topology-aware routing under internalTrafficPolicy Local, so it does nothing and there is no fallback to another node or zone';

describe('NL104 topology-routing-ignored', () => {
  test('a Service without topology routing is compliant', () => {
    expect(lintBoth(pair((_ds, svc) => { svc.metadata.annotations = { 'example.com/owner': 'dns' }; }), ID)).toEqual([]);
  });

  test('fails if the Service has the topology-mode annotation', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Auto' }; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'topology-routing-ignored',
      severity: Severity.WARNING,
      resource: SVC_REF,
      path: '/metadata/annotations/service.kubernetes.io~1topology-mode',
      manifestIndex: 1,
      message: `${SVC} has the annotation service.kubernetes.io/topology-mode: "Auto": ${IGNORED}`,
      fix: `Remove the annotation service.kubernetes.io/topology-mode from ${SVC}`,
    });
  });

  test('fails if the Service has the topology-aware-hints annotation', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'auto' }; }), ID));
    expect(finding.path).toBe('/metadata/annotations/service.kubernetes.io~1topology-aware-hints');
  });

  test('fails if the Service has a trafficDistribution', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.trafficDistribution = 'PreferClose'; }), ID));
    expect(finding.path).toBe('/spec/trafficDistribution');
    expect(finding.message).toBe(`${SVC} has trafficDistribution "PreferClose": ${IGNORED}`);
  });

  test('a PreferSameNode Service without Local is compliant: the distribution is what makes it node-local', () => {
    expect(lintBoth(pair((_ds, svc) => {
      svc.spec.internalTrafficPolicy = 'Cluster';
      svc.spec.trafficDistribution = 'PreferSameNode';
    }), ID)).toEqual([]);
  });

  test('fails if PreferSameNode is set under Local, which takes precedence', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.trafficDistribution = 'PreferSameNode'; }), ID));
    expect(finding.message).toBe(`${SVC} has trafficDistribution "PreferSameNode": ${IGNORED}`);
  });
});
