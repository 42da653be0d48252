import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL015';

describe('NL015 invalid-update-strategy-type', () => {
  test('RollingUpdate, OnDelete and no type are compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => { ds.spec.updateStrategy = { type: 'OnDelete' }; }), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => { delete ds.spec.updateStrategy.type; }), ID)).toEqual([]);
  });

  test('fails if the type is Recreate', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.updateStrategy = { type: 'Recreate' }; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'invalid-update-strategy-type',
      severity: Severity.ERROR,
      resource: DS_REF,
      path: '/spec/updateStrategy/type',
      manifestIndex: 0,
      message: `${DS} has updateStrategy type "Recreate": the API server accepts only "RollingUpdate" and "OnDelete" and rejects the DaemonSet`,
      fix: `Set spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}} on ${DS}`,
    });
  });

  test('fails if the type has the wrong case, recommending no surge for host ports', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.updateStrategy.type = 'rollingUpdate';
      ds.spec.template.spec.hostNetwork = true;
    }), ID));
    expect(finding.message).toContain('has updateStrategy type "rollingUpdate"');
    expect(finding.fix).toBe(`Set spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}} on ${DS}`);
  });

  test('fails if updateStrategy is not an object', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.updateStrategy = 'RollingUpdate'; }), ID));
    expect(finding.path).toBe('/spec/updateStrategy');
    expect(finding.message).toBe(`${DS} has spec.updateStrategy "RollingUpdate", not an object: the API server rejects the DaemonSet`);
  });
});
