import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL003';

describe('NL003 service-external-fields', () => {
  test('a Service with the empty externalIPs list cdk8s-plus writes is compliant', () => {
    expect(lintManifests(pair((_ds, svc) => { expect(svc.spec.externalIPs).toEqual([]); }))).toEqual([]);
  });

  test('empty or zero external fields are compliant', () => {
    expect(lintBoth(pair((_ds, svc) => {
      svc.spec.loadBalancerSourceRanges = [];
      svc.spec.externalTrafficPolicy = '';
      svc.spec.ports[0].nodePort = 0;
      svc.spec.loadBalancerIP = null;
    }), ID)).toEqual([]);
  });

  test('fails if the Service has externalIPs', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.spec.externalIPs = ['203.0.113.7']; }), ID))).toEqual({
      ruleId: ID,
      ruleName: 'service-external-fields',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/externalIPs',
      manifestIndex: 1,
      message: `${SVC} has externalIPs ["203.0.113.7"]: traffic to those addresses comes from outside the cluster and is `
        + 'routed by externalTrafficPolicy, not internalTrafficPolicy, so it is not node-local and exposes the node agent',
      fix: `Remove spec.externalIPs from ${SVC} (or set it to [])`,
    });
  });

  test.each([
    ['externalTrafficPolicy', 'Local'],
    ['loadBalancerIP', '203.0.113.8'],
    ['loadBalancerSourceRanges', ['10.0.0.0/8']],
    ['loadBalancerClass', 'example.com/lb'],
    ['allocateLoadBalancerNodePorts', false],
    ['healthCheckNodePort', 30999],
  ])('fails if the Service sets %s', (field, value) => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec[field] = value; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, resource: SVC_REF, path: `/spec/${field}`, manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} has ${field} ${JSON.stringify(value)}: the field only applies to traffic from outside `
      + 'the cluster (NodePort and LoadBalancer Services), which internalTrafficPolicy does not govern; on a ClusterIP Service '
      + 'the API server rejects or ignores it');
    expect(finding.fix).toBe(`Remove spec.${field} from ${SVC}`);
  });

  test('fails if a port has a nodePort', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].nodePort = 30053; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, path: '/spec/ports/1/nodePort' });
    expect(finding.message).toBe(`${SVC} port "dns-tcp" (53/TCP) has nodePort 30053: a node port receives traffic from `
      + 'outside the cluster, routed by externalTrafficPolicy rather than internalTrafficPolicy, and the API server rejects it on a ClusterIP Service');
    expect(finding.fix).toBe(`Remove nodePort from spec.ports[1] of ${SVC}`);
  });
});
