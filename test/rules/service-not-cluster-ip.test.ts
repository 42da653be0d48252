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

  test('fails if the Service is a NodePort Service', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'NodePort'; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'service-not-cluster-ip',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/type',
      manifestIndex: 1,
      message: `${SVC} has type "NodePort", not "ClusterIP": traffic that arrives on a node port follows `
        + 'externalTrafficPolicy, not internalTrafficPolicy, so it is not node-local, and the node-local agent becomes '
        + 'reachable from outside the cluster',
      fix: `Remove spec.type from ${SVC} (ClusterIP is the default); if clients outside the cluster need the DaemonSet, give them a separate Service`,
    });
  });

  test('fails if the Service is a LoadBalancer Service', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'LoadBalancer'; }), ID)).message)
      .toMatch(/has type "LoadBalancer", not "ClusterIP": traffic from the load balancer follows externalTrafficPolicy/);
  });

  test('fails if the Service is an ExternalName Service', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'ExternalName'; }), ID)).message)
      .toMatch(/has type "ExternalName", not "ClusterIP": an ExternalName Service is only a DNS CNAME/);
  });

  test('fails if the type is unknown', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.spec.type = 'clusterip'; }), ID)).message)
      .toMatch(/has type "clusterip", not "ClusterIP": the API server only accepts ClusterIP, NodePort, LoadBalancer or ExternalName/);
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

  test('reports both a wrong type and headless', () => {
    const findings = lintBoth(pair((_ds, svc) => { svc.spec.type = 'NodePort'; svc.spec.clusterIP = 'None'; }), ID);
    expect(findings.map((f) => f.path)).toEqual(['/spec/clusterIP', '/spec/type']);
  });
});
