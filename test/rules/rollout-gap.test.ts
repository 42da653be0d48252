import { client, CLIENT } from './client-fixtures';
import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL102';
const SURGE = 'spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}';
const GAP = 'the old pod on each node stops before the new one is ready, and for that gap the Local Service drops the traffic of every client on the node';

describe('NL102 rollout-gap', () => {
  test('a surge rollout is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => { ds.spec.updateStrategy.rollingUpdate = { maxSurge: '10%', maxUnavailable: '0%' }; }), ID)).toEqual([]);
  });

  test('fails if there is no updateStrategy (Kubernetes defaults to maxUnavailable 1)', () => {
    const finding = single(lintBoth(pair((ds) => { delete ds.spec.updateStrategy; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'rollout-gap',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: '/spec/updateStrategy/rollingUpdate/maxUnavailable',
      manifestIndex: 0,
      message: `${DS} has no updateStrategy, so Kubernetes rolls it out with RollingUpdate and maxUnavailable 1: ${GAP}`,
      fix: `Set ${SURGE} on ${DS}: each node's new pod is then ready before the old one stops`,
    });
  });

  test('fails if maxUnavailable is unset in a RollingUpdate', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.updateStrategy = { type: 'RollingUpdate' }; }), ID));
    expect(finding.message).toBe(`${DS} has no maxUnavailable, so Kubernetes rolls it out with maxUnavailable 1: ${GAP}`);
  });

  test('fails if maxUnavailable is above zero', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '25%' }; }), ID));
    expect(finding.path).toBe('/spec/updateStrategy/rollingUpdate/maxUnavailable');
    expect(finding.message).toBe(`${DS} has maxUnavailable "25%": ${GAP}`);
  });

  test('fails if the DaemonSet updates OnDelete', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.updateStrategy = { type: 'OnDelete' }; }), ID));
    expect(finding.path).toBe('/spec/updateStrategy/type');
    expect(finding.message).toBe(`${DS} has updateStrategy type "OnDelete": a node gets the new version only when its pod is deleted, and ${GAP}`);
  });

  test('the fix for an agent on the host network keeps it there: the gap is inherent', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
      ds.spec.template.spec.hostNetwork = true;
    }), ID));
    expect(finding.fix).toBe(`${DS} runs on the host network, so it cannot surge (see NL010): if it needs the host network (a CNI, `
      + 'a node exporter, a DNS cache on the node\'s IP), the gap is inherent: keep it and acknowledge NL102, or, on Kubernetes 1.34 '
      + 'and later, replace internalTrafficPolicy: Local with trafficDistribution: PreferSameNode so that clients fall back to '
      + 'another node\'s agent during the gap');
    expect(finding.fix).not.toMatch(/remove hostNetwork/i);
  });

  test('the fix for an agent with host ports offers to drop them, or to keep the gap', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
      ds.spec.template.spec.containers[0].ports[0].hostPort = 8053;
    }), ID));
    expect(finding.fix).toBe(`${DS} holds ports on the node (container "main" hostPort 8053/UDP), so it cannot surge (see NL010): `
      + `if clients reach it through the Service, remove the host ports and set ${SURGE}; if they need the host ports, keep the `
      + 'gap and acknowledge NL102, or, on Kubernetes 1.34 and later, replace internalTrafficPolicy: Local with '
      + 'trafficDistribution: PreferSameNode so that clients fall back to another node\'s agent during the gap');
  });

  test('with a client that sends to the node\'s IP, the fix does not offer PreferSameNode as its remedy', () => {
    const manifests = [...pair((ds) => {
      ds.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
      ds.spec.template.spec.containers[0].ports[0].hostPort = 8053;
    }), client({}, '')];
    manifests[2].spec.template.spec.containers[0].env = [
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'DNS', value: '$(HOST_IP):8053' },
    ];
    const finding = single(lintBoth(manifests, ID));
    expect(finding.fix).toBe(`${DS} holds ports on the node (container "main" hostPort 8053/UDP), so it cannot surge (see NL010): `
      + `if clients reach it through the Service, remove the host ports and set ${SURGE}; if they need the host ports, keep the `
      + 'gap and acknowledge NL102, and, for the clients that use the Service, on Kubernetes 1.34 and later, replace '
      + 'internalTrafficPolicy: Local with trafficDistribution: PreferSameNode so that they fall back to another node\'s agent '
      + `during the gap (clients that send to the node's IP, as ${CLIENT} does, have no fallback)`);
  });

  test('a rolling update the API server rejects is NL011\'s alone: it never rolls out', () => {
    const manifests = pair((ds) => { ds.spec.updateStrategy.rollingUpdate = { maxSurge: 1 }; });
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(lintManifests(manifests).map((f) => f.ruleId)).toEqual(['NL011']);
  });
});
