import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL121';
const KILLED = 'the kubelet counts the preStop hook in the grace period, so it kills the container when the hook ends (after at '
  + 'most a 2 s extension), and the agent stops mid-handover without the shutdown it does on SIGTERM';

/** The fixture pair with a preStop hook on the serving container and the given grace period (undefined: unset). */
function graceful(preStop: unknown, grace: unknown): any[] {
  return pair((ds) => {
    ds.spec.template.spec.containers[0].lifecycle = { preStop };
    if (grace === undefined) {
      delete ds.spec.template.spec.terminationGracePeriodSeconds;
    } else {
      ds.spec.template.spec.terminationGracePeriodSeconds = grace;
    }
  });
}

describe('NL121 prestop-exceeds-grace-period', () => {
  test('a grace period longer than the preStop delay is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
    expect(lintBoth(graceful({ sleep: { seconds: 5 } }, 35), ID)).toEqual([]);
    expect(lintBoth(graceful({ sleep: { seconds: 5 } }, undefined), ID)).toEqual([]);
    expect(lintBoth(graceful({ exec: { command: ['sleep', '20'] } }, 30), ID)).toEqual([]);
  });

  test('a preStop the rule cannot time is not reported', () => {
    expect(lintBoth(graceful({ httpGet: { path: '/quit', port: 8080 } }, 1), ID)).toEqual([]);
    expect(lintBoth(graceful({ exec: { command: ['/agent', 'drain'] } }, 1), ID)).toEqual([]);
  });

  test('fails if the grace period is shorter than a preStop sleep', () => {
    expect(single(lintBoth(graceful({ sleep: { seconds: 15 } }, 10), ID))).toEqual({
      ruleId: ID,
      ruleName: 'prestop-exceeds-grace-period',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: '/spec/template/spec/terminationGracePeriodSeconds',
      manifestIndex: 0,
      message: `${DS} has terminationGracePeriodSeconds 10, not longer than a preStop sleep of 15 s on container "main": ${KILLED}`,
      fix: `Set spec.template.spec.terminationGracePeriodSeconds on ${DS} to at least 45 (the 15 s delay and 30 s to stop), or shorten the preStop delay`,
    });
  });

  test('fails if the grace period equals the delay: no time is left after SIGTERM', () => {
    expect(lintBoth(graceful({ sleep: { seconds: 10 } }, 10), ID)).toHaveLength(1);
  });

  test('fails if the default grace period (30) is not longer than an exec sleep', () => {
    expect(single(lintBoth(graceful({ exec: { command: ['/bin/sh', '-c', 'sleep 60'] } }, undefined), ID)).message)
      .toBe(`${DS} has no terminationGracePeriodSeconds (the default, 30), not longer than a preStop exec "/bin/sh -c sleep 60" on container "main": ${KILLED}`);
  });

  test('fails once for several containers, naming each', () => {
    const manifests = graceful({ sleep: { seconds: 20 } }, 5);
    manifests[0].spec.template.spec.containers.push({ name: 'b', image: 'x', lifecycle: { preStop: { exec: { command: ['sleep', '8s'] } } } });
    const finding = single(lintBoth(manifests, ID));
    expect(finding.message).toMatch(/not longer than a preStop sleep of 20 s on container "main" and a preStop exec "sleep 8s" on container "b": /);
    expect(finding.fix).toMatch(/to at least 50 /);
  });

  test('a grace period that is not a number is left to the API server', () => {
    expect(lintBoth(graceful({ sleep: { seconds: 5 } }, 'soon'), ID)).toEqual([]);
  });
});
