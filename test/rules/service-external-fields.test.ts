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

  test('fields the API server accepts for the type are compliant', () => {
    // externalIPs route outside traffic with externalTrafficPolicy; in-cluster traffic stays node-local
    expect(lintBoth(pair((_ds, svc) => { svc.spec.externalIPs = ['203.0.113.7']; svc.spec.externalTrafficPolicy = 'Local'; }), ID)).toEqual([]);
    // a deliberate NodePort Service (spegel) with its node port
    expect(lintBoth(pair((_ds, svc) => {
      svc.spec.type = 'NodePort';
      svc.spec.externalTrafficPolicy = 'Local';
      svc.spec.ports[1].nodePort = 30021;
    }), ID)).toEqual([]);
    expect(lintBoth(pair((_ds, svc) => {
      svc.spec.type = 'LoadBalancer';
      svc.spec.externalTrafficPolicy = 'Local';
      svc.spec.healthCheckNodePort = 30999;
      svc.spec.loadBalancerSourceRanges = ['10.0.0.0/8'];
      svc.spec.allocateLoadBalancerNodePorts = false;
    }), ID)).toEqual([]);
    // accepted and ignored on a ClusterIP Service: no traffic changes
    expect(lintBoth(pair((_ds, svc) => { svc.spec.loadBalancerIP = '203.0.113.8'; }), ID)).toEqual([]);
  });

  test('fails if a ClusterIP Service sets externalTrafficPolicy', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.spec.externalTrafficPolicy = 'Local'; }), ID))).toEqual({
      ruleId: ID,
      ruleName: 'service-external-fields',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/externalTrafficPolicy',
      manifestIndex: 1,
      message: `${SVC} is a ClusterIP Service with externalTrafficPolicy "Local" (may only be set for externally accessible `
        + 'Services (NodePort, LoadBalancer, or ClusterIP with externalIPs)): the API server rejects the Service, so it is '
        + 'never created or updated and the node-local pair is not deployed as written',
      fix: `Remove spec.externalTrafficPolicy from ${SVC}, or give it the type that takes them if clients outside the cluster need them`,
    });
  });

  test.each([
    ['loadBalancerSourceRanges', ['10.0.0.0/8'], 'may only be used when type is LoadBalancer'],
    ['loadBalancerClass', 'example.com/lb', 'may only be used when type is LoadBalancer'],
    ['allocateLoadBalancerNodePorts', false, 'may only be used when type is LoadBalancer'],
    ['healthCheckNodePort', 30999, 'may only be set when type is LoadBalancer and externalTrafficPolicy is Local'],
  ])('fails if a ClusterIP Service sets %s', (field, value, why) => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec[field] = value; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, resource: SVC_REF, path: `/spec/${field}`, manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} is a ClusterIP Service with ${field} ${JSON.stringify(value)} (${why}): the API server `
      + 'rejects the Service, so it is never created or updated and the node-local pair is not deployed as written');
  });

  test('fails if a NodePort Service sets a load balancer field, naming its type', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'NodePort'; svc.spec.loadBalancerClass = 'x/lb'; }), ID));
    expect(finding.message).toMatch(/^Service infra\/\S+ is a NodePort Service with loadBalancerClass "x\/lb" \(may only be used when type is LoadBalancer\)/);
  });

  test('fails if a port of a ClusterIP Service has a nodePort', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].nodePort = 30053; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, path: '/spec/ports/1/nodePort' });
    expect(finding.message).toMatch(/is a ClusterIP Service with nodePort of port "dns-tcp" \(53\/TCP\) 30053 \(may not be used when type is ClusterIP\)/);
    expect(finding.fix).toBe(`Remove spec.ports[1].nodePort from ${SVC}, or give it the type that takes them if clients outside the cluster need them`);
  });

  test('several rejected fields are one finding, at the first', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.externalTrafficPolicy = 'Cluster'; svc.spec.ports[0].nodePort = 30053; }), ID));
    expect(finding.path).toBe('/spec/externalTrafficPolicy');
    expect(finding.fix).toBe(`Remove spec.externalTrafficPolicy, spec.ports[0].nodePort from ${SVC}, or give it the type that takes them if clients outside the cluster need them`);
  });

  test('an ExternalName or unknown type is left to NL002', () => {
    expect(lintBoth(pair((_ds, svc) => { svc.spec.type = 'ExternalName'; svc.spec.externalTrafficPolicy = 'Local'; }), ID)).toEqual([]);
  });
});
