import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL105';

describe('NL105 host-network', () => {
  test('a pod on the pod network is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => { delete ds.spec.template.spec.hostNetwork; }), ID)).toEqual([]);
  });

  test('fails if the pods use hostNetwork', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.hostNetwork = true; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'host-network',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: '/spec/template/spec/hostNetwork',
      manifestIndex: 0,
      message: `${DS} pods use hostNetwork: true: they share the node's network, so their ports collide with the node's, they `
        + 'cannot roll out by surging, and the namespace cannot enforce the Pod Security baseline or restricted standard',
      fix: `Remove spec.template.spec.hostNetwork from ${DS} and have clients use the node-local Service; acknowledge NL105 if the agent must see the node's network`,
    });
  });
});
