import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL108';

describe('NL108 publish-not-ready-addresses', () => {
  test('a Service that publishes only ready pods is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(pair((_ds, svc) => { svc.spec.publishNotReadyAddresses = false; }), ID)).toEqual([]);
  });

  test('fails if the Service publishes not-ready addresses', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.publishNotReadyAddresses = true; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'publish-not-ready-addresses',
      severity: Severity.WARNING,
      resource: SVC_REF,
      path: '/spec/publishNotReadyAddresses',
      manifestIndex: 1,
      message: `${SVC} has publishNotReadyAddresses: true: the node's traffic goes to the local pod even when it is not ready `
        + '(starting, failing its readiness probe, being replaced), and under internalTrafficPolicy Local there is no other endpoint to take it',
      fix: `Remove spec.publishNotReadyAddresses from ${SVC}`,
    });
  });
  test('fails if a PreferSameNode Service publishes not-ready addresses: the fallback to another node never happens', () => {
    const finding = single(lintBoth(pair((_ds, svc) => {
      delete svc.spec.internalTrafficPolicy;
      svc.spec.trafficDistribution = 'PreferSameNode';
      svc.spec.publishNotReadyAddresses = true;
    }), ID));
    expect(finding.message).toBe(`${SVC} has publishNotReadyAddresses: true: the node's traffic goes to the local pod even when it is `
      + 'not ready (starting, failing its readiness probe, being replaced), and since that pod always counts as an endpoint, '
      + 'trafficDistribution PreferSameNode never falls back to another node\'s agent');
  });
});
