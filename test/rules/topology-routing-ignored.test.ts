import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL104';
const IGNORED = 'internalTrafficPolicy Local takes precedence, so it does nothing and there is no fallback to another node or zone';

function preferSameNode(svc: any): void {
  delete svc.spec.internalTrafficPolicy;
  svc.spec.trafficDistribution = 'PreferSameNode';
}

describe('NL104 topology-routing-ignored', () => {
  test('a Service without topology routing is compliant', () => {
    expect(lintBoth(pair((_ds, svc) => { svc.metadata.annotations = { 'example.com/owner': 'dns' }; }), ID)).toEqual([]);
  });

  test('a PreferSameNode Service is compliant, with or without a topology annotation that is not Auto', () => {
    expect(lintBoth(pair((_ds, svc) => { preferSameNode(svc); }), ID)).toEqual([]);
    expect(lintBoth(pair((_ds, svc) => { preferSameNode(svc); svc.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Disabled' }; }), ID)).toEqual([]);
  });

  test('fails if a Local Service has the topology-mode annotation', () => {
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

  test('fails if a Local Service has the topology-aware-hints annotation', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'auto' }; }), ID));
    expect(finding.path).toBe('/metadata/annotations/service.kubernetes.io~1topology-aware-hints');
  });

  test('fails if a Local Service has a trafficDistribution, naming PreferClose as the old name of PreferSameZone', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.trafficDistribution = 'PreferClose'; }), ID));
    expect(finding.path).toBe('/spec/trafficDistribution');
    expect(finding.message).toBe(`${SVC} has trafficDistribution "PreferClose" (the deprecated name of PreferSameZone): ${IGNORED}`);
  });

  test('fails if a Local Service also has PreferSameNode, saying how to get its fallback', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.trafficDistribution = 'PreferSameNode'; }), ID));
    expect(finding.message).toBe(`${SVC} has trafficDistribution "PreferSameNode": ${IGNORED}`);
    expect(finding.fix).toBe(`Remove spec.trafficDistribution from ${SVC}; to fall back to another node's agent instead of dropping, `
      + 'remove spec.internalTrafficPolicy and keep trafficDistribution: PreferSameNode (Kubernetes 1.34 and later)');
  });

  test('an annotation and a trafficDistribution are one finding, at the first', () => {
    const finding = single(lintBoth(pair((_ds, svc) => {
      svc.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Auto' };
      svc.spec.trafficDistribution = 'PreferClose';
    }), ID));
    expect(finding.path).toBe('/metadata/annotations/service.kubernetes.io~1topology-mode');
    expect(finding.message).toContain('and trafficDistribution "PreferClose"');
    expect(finding.message).toContain('so they do nothing');
  });

  test('fails if a PreferSameNode Service has topology-mode Auto, which takes precedence over it', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { preferSameNode(svc); svc.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Auto' }; }), ID));
    expect(finding.message).toBe(`${SVC} has trafficDistribution "PreferSameNode" and the annotation service.kubernetes.io/topology-mode: `
      + '"Auto", which takes precedence: kube-proxy routes by zone hints, not to the agent on the client\'s node');
  });
});
