import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL002';

describe('NL002 service-not-cluster-ip', () => {
  test('a ClusterIP Service is compliant, with or without an explicit type', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintManifests(pair((_ds, svc) => { delete svc.spec.type; }))).toEqual([]);
    expect(lintManifests(pair((_ds, svc) => { svc.spec.clusterIP = '10.96.0.10'; }))).toEqual([]);
  });

  test('NodePort and LoadBalancer Services are compliant: in-cluster traffic to their cluster IP stays node-local', () => {
    // spegel-like: a deliberate node port for the node's own container runtime
    expect(lintBoth(pair((_ds, svc) => { svc.spec.type = 'NodePort'; svc.spec.ports[0].nodePort = 30053; }), ID)).toEqual([]);
    expect(lintBoth(pair((_ds, svc) => { svc.spec.type = 'LoadBalancer'; }), ID)).toEqual([]);
    expect(lintManifests(pair((_ds, svc) => { svc.spec.type = 'NodePort'; svc.spec.externalTrafficPolicy = 'Local'; }))).toEqual([]);
  });

  test('fails if the Service is an ExternalName Service', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'ExternalName'; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'service-not-cluster-ip',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/type',
      manifestIndex: 1,
      message: `${SVC} has type "ExternalName": an ExternalName Service is only a DNS CNAME, kube-proxy never routes it and `
        + 'it has no endpoints, so internalTrafficPolicy does nothing and clients never reach the DaemonSet',
      fix: `Remove spec.type and spec.externalName from ${SVC} (ClusterIP is the default)`,
    });
  });

  test('fails if the type is unknown', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'clusterip'; }), ID)).message)
      .toMatch(/has type "clusterip": the API server only accepts ClusterIP, NodePort, LoadBalancer or ExternalName \(case-sensitive\)/);
  });

  test('fails if the Service is headless (vectordotdev/helm-charts#399)', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.clusterIP = 'None'; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, resource: SVC_REF, path: '/spec/clusterIP', manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} has clusterIP "None": a headless Service has no cluster IP: DNS returns the IPs of `
      + 'the DaemonSet pods on every node, kube-proxy is bypassed and internalTrafficPolicy is ignored, so clients reach pods on other nodes');
    expect(finding.fix).toMatch(/^Remove spec.clusterIP from /);
  });

  test('fails if the Service is headless through clusterIPs', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.clusterIPs = ['None']; }), ID));
    expect(finding).toMatchObject({ path: '/spec/clusterIPs/0' });
    expect(finding.message).toMatch(/has clusterIPs \["None"\]: a headless Service/);
  });

  test('a headless Service of a wrong type is one finding naming both, at the type', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'ExternalName'; svc.spec.clusterIP = 'None'; }), ID));
    expect(finding.path).toBe('/spec/type');
    expect(finding.message).toMatch(/has type "ExternalName": .*; it also has clusterIP "None": a headless Service/);
    expect(finding.fix).toMatch(/remove spec.clusterIP from/);
  });
});
