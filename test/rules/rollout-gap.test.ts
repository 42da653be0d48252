import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

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

  test('the fix says a DaemonSet with host ports cannot surge', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
      ds.spec.template.spec.hostNetwork = true;
    }), ID));
    expect(finding.fix).toBe(`${DS} holds ports on the node (hostNetwork: true), so it cannot surge (see NL010): remove them `
      + `and set ${SURGE}, or acknowledge NL102 if the gap on each rollout is acceptable`);
  });
});
