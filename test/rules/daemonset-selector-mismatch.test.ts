import { ADDR, DS, DS_ADDR, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL012';

function withSelector(selector: unknown): any[] {
  return pair((ds) => {
    ds.spec.template.metadata.labels.tier = 'node';
    ds.spec.selector = selector;
  });
}

describe('NL012 daemonset-selector-mismatch', () => {
  test('a selector that matches the template is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(withSelector({
      matchLabels: { [ADDR]: DS_ADDR },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['node', 'edge'] },
        { key: 'tier', operator: 'NotIn', values: ['web'] },
        { key: 'tier', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
      ],
    }), ID)).toEqual([]);
    expect(lintBoth(withSelector({ matchExpressions: [{ key: ADDR, operator: 'Exists' }] }), ID)).toEqual([]);
  });

  test('fails if matchLabels do not match the template', () => {
    const finding = single(lintBoth(withSelector({ matchLabels: { [ADDR]: DS_ADDR, app: 'dns' } }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'daemonset-selector-mismatch',
      severity: Severity.ERROR,
      resource: DS_REF,
      path: '/spec/selector',
      manifestIndex: 0,
      message: `${DS} spec.selector does not match its own pod template labels {${ADDR}=${DS_ADDR}, tier=node} (matchLabels `
        + 'app=dns, but the template has no label app): the API server rejects the DaemonSet (selector does not match template labels)',
      fix: `Change spec.template.metadata.labels or spec.selector of ${DS} so that every requirement holds: matchLabels app=dns, but the template has no label app`,
    });
  });

  test.each([
    [{ key: 'tier', operator: 'In', values: ['edge'] }, 'matchExpressions[0] (tier In ["edge"]), but the template label tier is "node"'],
    [{ key: 'tier', operator: 'NotIn', values: ['node'] }, 'matchExpressions[0] (tier NotIn ["node"]), but the template label tier is "node"'],
    [{ key: 'zone', operator: 'Exists' }, 'matchExpressions[0] (zone Exists), but the template has no label zone'],
    [{ key: 'tier', operator: 'DoesNotExist' }, 'matchExpressions[0] (tier DoesNotExist), but the template has the label tier=node'],
  ])('fails if a match expression does not hold: %p', (expression, unmet) => {
    const finding = single(lintBoth(withSelector({ matchLabels: { [ADDR]: DS_ADDR }, matchExpressions: [expression] }), ID));
    expect(finding.path).toBe('/spec/selector');
    expect(finding.message).toContain(`(${unmet}): the API server rejects the DaemonSet`);
  });

  test('fails if the label value differs', () => {
    const finding = single(lintBoth(withSelector({ matchLabels: { [ADDR]: 'other' } }), ID));
    expect(finding.message).toContain(`(matchLabels ${ADDR}=other, but the template label ${ADDR} is "${DS_ADDR}")`);
  });

  test.each([
    ['no selector', undefined, `${DS} has spec.selector undefined: apps/v1 requires a label selector, so the API server rejects the DaemonSet`],
    ['an empty selector', {}, `${DS} has the empty selector {}: the API server rejects a DaemonSet whose selector would select every pod`],
    ['an empty matchLabels', { matchLabels: {} }, `${DS} has the empty selector {"matchLabels":{}}: the API server rejects a DaemonSet whose selector would select every pod`],
  ])('fails if the DaemonSet has %s', (_what, selector, message) => {
    const finding = single(lintBoth(withSelector(selector), ID));
    expect(finding).toMatchObject({ ruleId: ID, path: '/spec/selector', manifestIndex: 0 });
    expect(finding.message).toBe(message);
    expect(finding.fix).toBe(`Set spec.selector of ${DS} to {matchLabels: {${ADDR}=${DS_ADDR}, tier=node}} (its pod template labels)`);
  });

  test.each([
    [{ key: 'tier', operator: 'Equals', values: ['node'] }, '/spec/selector/matchExpressions/0/operator', 'has operator "Equals"; it must be In, NotIn, Exists or DoesNotExist'],
    [{ key: 'tier', operator: 'In', values: [] }, '/spec/selector/matchExpressions/0/values', '(tier In) needs at least one value'],
    [{ key: 'tier', operator: 'Exists', values: ['node'] }, '/spec/selector/matchExpressions/0/values', '(tier Exists) must have no values'],
    [{ operator: 'Exists' }, '/spec/selector/matchExpressions/0/key', 'matchExpressions[0] has no key'],
    [{ key: 'tier', operator: 'In', values: 'node' }, '/spec/selector/matchExpressions/0/values', 'matchExpressions[0] values is "node", not a list'],
    [{ key: 'tier', operator: 'In', values: [1] }, '/spec/selector/matchExpressions/0/values', 'matchExpressions[0] values [1] are not all strings'],
  ])('fails if a match expression is invalid: %p', (expression, path, reason) => {
    const finding = single(lintBoth(withSelector({ matchLabels: { [ADDR]: DS_ADDR }, matchExpressions: [expression] }), ID));
    expect(finding.path).toBe(path);
    expect(finding.message).toContain(reason);
    expect(finding.message).toMatch(/^DaemonSet infra\/\S+ spec.selector is invalid: .*; the API server rejects the DaemonSet$/);
  });

  test.each([
    [{ matchLabels: 'app=dns' }, '/spec/selector/matchLabels', 'matchLabels is "app=dns", not a map of labels'],
    [{ matchLabels: { [ADDR]: 7 } }, '/spec/selector/matchLabels/cdk8s.io~1metadata.addr', `matchLabels ${ADDR} is 7, not a string`],
    [{ matchLabels: { [ADDR]: DS_ADDR }, matchExpressions: { key: 'tier' } }, '/spec/selector/matchExpressions', 'matchExpressions is {"key":"tier"}, not a list'],
  ])('fails if the selector is malformed: %p', (selector, path, reason) => {
    const finding = single(lintBoth(withSelector(selector), ID));
    expect(finding.path).toBe(path);
    expect(finding.message).toBe(`${DS} spec.selector is invalid: ${reason}; the API server rejects the DaemonSet`);
  });
});
