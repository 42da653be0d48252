// The engine knows both node-local modes: the rules that prevent a broken Service apply to both,
// the rules whose harm is a drop say nothing of PreferSameNode, which falls back to another node.
import { lintManifests } from '../../src/lint/lint';
import { ALL_RULES } from '../../src/rules';
import { client } from '../rules/client-fixtures';
import { DECLARED, pair } from '../rules/fixtures';

function preferSameNode(svc: any): void {
  delete svc.spec.internalTrafficPolicy;
  svc.spec.trafficDistribution = 'PreferSameNode';
}

/** A pair that drops traffic in every way the drop rules see: a maxUnavailable rollout, a nodeSelector, a tainted client. */
function droppy(ds: any): void {
  ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
  ds.spec.template.spec.nodeSelector = { pool: 'agents' };
  delete ds.spec.template.spec.tolerations;
}

const GPU_CLIENT = client({ tolerations: [{ key: 'gpu', operator: 'Exists' }] });

describe('traffic modes', () => {
  test('a Local pair that drops traffic draws the drop rules', () => {
    const ids = lintManifests([...pair(droppy), GPU_CLIENT]).map((f) => f.ruleId);
    expect(ids).toEqual(['NL102', 'NL103', 'NL013']);
  });

  test('a PreferSameNode pair with a maxUnavailable rollout, partial coverage and an uncovered client draws none of them', () => {
    const manifests = [...pair((ds, svc) => { droppy(ds); preferSameNode(svc); }), GPU_CLIENT];
    expect(lintManifests(manifests)).toEqual([]);
    expect(lintManifests(manifests, DECLARED)).toEqual([]);
  });

  test('the rules that prevent a broken Service still apply to a PreferSameNode pair', () => {
    const manifests = pair((ds, svc) => {
      preferSameNode(svc);
      svc.spec.clusterIP = 'None';
      svc.spec.ports[0].targetPort = 'nope';
      delete ds.spec.template.spec.containers[0].readinessProbe;
    });
    expect(lintManifests(manifests).map((f) => f.ruleId)).toEqual(['NL101', 'NL002', 'NL006']);
  });

  test('a DaemonSet behind both a Local and a PreferSameNode Service is checked for drops', () => {
    const [ds, svc] = pair(droppy);
    const psn = { ...svc, metadata: { ...svc.metadata, name: 'psn' }, spec: { ...svc.spec } };
    preferSameNode(psn);
    expect(lintManifests([ds, svc, psn]).map((f) => f.ruleId)).toEqual(['NL102', 'NL103']);
  });

  test('each rule says which modes it checks, and the drop rules check Local only', () => {
    const localOnly = ALL_RULES.filter((r) => !r.trafficModes.includes('PreferSameNode')).map((r) => r.id);
    expect(localOnly).toEqual(['NL013', 'NL102', 'NL103', 'NL107', 'NL111', 'NL120', 'NL130']);
  });
});
