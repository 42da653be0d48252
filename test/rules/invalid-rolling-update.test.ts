import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL011';
const PATH = '/spec/updateStrategy/rollingUpdate';

function withRollingUpdate(rollingUpdate: unknown, hostNetwork = false): any[] {
  return pair((ds) => {
    ds.spec.updateStrategy.rollingUpdate = rollingUpdate;
    ds.spec.template.spec.hostNetwork = hostNetwork;
  });
}

describe('NL011 invalid-rolling-update', () => {
  test('exactly one of maxSurge and maxUnavailable above zero is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(withRollingUpdate({ maxSurge: 0, maxUnavailable: '100%' }), ID)).toEqual([]);
    expect(lintBoth(withRollingUpdate({ maxSurge: '25%', maxUnavailable: '0%' }), ID)).toEqual([]);
  });

  test('the Kubernetes defaults (no updateStrategy, or maxUnavailable alone) are compliant', () => {
    expect(lintBoth(pair((ds) => { delete ds.spec.updateStrategy; }), ID)).toEqual([]);
    expect(lintBoth(withRollingUpdate({ maxUnavailable: 2 }), ID)).toEqual([]);
    expect(lintBoth(withRollingUpdate(undefined), ID)).toEqual([]);
  });

  test('an OnDelete DaemonSet is not checked', () => {
    expect(lintBoth(pair((ds) => { ds.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { maxSurge: -1 } }; }), ID)).toEqual([]);
  });

  test('fails if only maxSurge is set (maxUnavailable defaults to 1)', () => {
    const finding = single(lintBoth(withRollingUpdate({ maxSurge: 1 }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'invalid-rolling-update',
      severity: Severity.ERROR,
      resource: DS_REF,
      path: `${PATH}/maxSurge`,
      manifestIndex: 0,
      message: `${DS} has maxSurge 1 and maxUnavailable 1 (unset, Kubernetes defaults it to 1): a DaemonSet may only surge `
        + 'or only take pods down, not both, so the API server rejects it (maxSurge may not be set when maxUnavailable is non-zero)',
      fix: `Set spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}} on ${DS}`,
    });
  });

  test('fails if both are zero', () => {
    const finding = single(lintBoth(withRollingUpdate({ maxSurge: '0%', maxUnavailable: 0 }), ID));
    expect(finding.path).toBe(`${PATH}/maxUnavailable`);
    expect(finding.message).toBe(`${DS} has maxSurge "0%" and maxUnavailable 0: the rollout could never replace a pod, so `
      + 'the API server rejects it (maxUnavailable cannot be 0 when maxSurge is 0)');
  });

  test('fails if maxUnavailable is zero and maxSurge unset, recommending no surge for host ports', () => {
    const finding = single(lintBoth(withRollingUpdate({ maxUnavailable: 0 }, true), ID));
    expect(finding.message).toContain('has maxSurge 0 (unset, Kubernetes defaults it to 0) and maxUnavailable 0:');
    expect(finding.fix).toBe(`Set spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}} on ${DS}`);
  });

  test.each([
    ['maxSurge', -1, 'is negative'],
    ['maxSurge', '150%', 'is more than 100%'],
    ['maxUnavailable', 'all', 'is neither an integer nor a percentage like "10%"'],
    ['maxUnavailable', '10', 'is neither an integer nor a percentage like "10%"'],
    ['maxUnavailable', 0.5, 'is not an integer'],
    ['maxUnavailable', '-5%', 'is neither an integer nor a percentage like "10%"'],
  ])('fails if %s is %p', (field, value, why) => {
    const rollingUpdate: any = { maxSurge: 0, maxUnavailable: 1 };
    rollingUpdate[field] = value;
    const findings = lintBoth(withRollingUpdate(rollingUpdate), ID);
    const finding = findings.find((f) => f.message.includes(' which '))!;
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, path: `${PATH}/${field}`, resource: DS_REF });
    expect(finding.message).toBe(`${DS} has ${field} ${JSON.stringify(value)}, which ${why}: the API server rejects the `
      + 'DaemonSet (it takes a non-negative integer or a percentage from "0%" to "100%")');
  });

  test('fails if rollingUpdate is not an object', () => {
    const finding = single(lintBoth(withRollingUpdate(7), ID));
    expect(finding.path).toBe(PATH);
    expect(finding.message).toBe(`${DS} has spec.updateStrategy.rollingUpdate 7, not an object: the API server rejects the DaemonSet`);
  });
});
