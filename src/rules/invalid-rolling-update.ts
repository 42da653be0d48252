import { hostPortUses, NO_SURGE_STRATEGY, SURGE_STRATEGY } from './shared';
import { Severity } from '../lint/finding';
import { asObject, getIn, show } from '../lint/json';
import { effectiveUpdateStrategy, intOrPercentError, intOrPercentValue, ROLLING_UPDATE_PATH } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL011: a DaemonSet's rolling update is one the API server accepts. */
export const invalidRollingUpdate: Rule = {
  id: 'NL011',
  name: 'invalid-rolling-update',
  severity: Severity.ERROR,
  summary: 'The DaemonSet\'s rollingUpdate has exactly one of maxSurge and maxUnavailable above zero (after defaults), each a non-negative integer or a percentage up to 100%.',
  reason: 'The API server rejects a DaemonSet rolling update whose maxSurge and maxUnavailable are both zero or both non-zero, '
    + 'or that has a negative value, a malformed percentage or one above 100% (ValidateRollingUpdateDaemonSet). The defaults '
    + 'take part: an absent maxUnavailable is 1, so setting only maxSurge: 1 is rejected. '
    + 'See https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/apps/validation/validation.go and '
    + 'https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/',
  fix: 'Set maxSurge: 1 with maxUnavailable: 0 (or maxSurge: 0 with maxUnavailable: 1 for pods that hold host ports).',
  limits: 'It checks the rollingUpdate fields the API server validates, with Kubernetes\' defaults applied; defaults '
    + 'changed by an admission webhook are invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const strategy = effectiveUpdateStrategy(daemonSet.object.raw);
    if (strategy.type !== 'RollingUpdate') {
      return [];
    }
    const name = daemonSet.object.display;
    const found: Violation[] = [];
    const rollingUpdate = getIn(daemonSet.object.raw, 'spec', 'updateStrategy', 'rollingUpdate');
    if (rollingUpdate !== undefined && rollingUpdate !== null && asObject(rollingUpdate) === undefined) {
      found.push(violation(daemonSet.object, ROLLING_UPDATE_PATH,
        `${name} has spec.updateStrategy.rollingUpdate ${show(rollingUpdate)}, not an object: the API server rejects the DaemonSet`,
        `Set ${SURGE_STRATEGY} on ${name}`));
      return found;
    }
    const fields: Array<['maxSurge' | 'maxUnavailable', unknown, boolean]> = [
      ['maxSurge', strategy.maxSurge, strategy.maxSurgeSet],
      ['maxUnavailable', strategy.maxUnavailable, strategy.maxUnavailableSet],
    ];
    for (const [field, value, set] of fields) {
      const error = set ? intOrPercentError(value) : undefined;
      if (error !== undefined) {
        found.push(violation(daemonSet.object, `${ROLLING_UPDATE_PATH}/${field}`,
          `${name} has ${field} ${show(value)}, which ${error}: the API server rejects the DaemonSet (it takes a non-negative integer or a percentage from "0%" to "100%")`,
          `Set ${field} of ${name} to a non-negative integer or a percentage such as "10%"`));
      }
    }
    if (found.length > 0) {
      return found; // one root cause: a malformed value says nothing of the combination
    }
    const surge = intOrPercentValue(strategy.maxSurge) !== 0;
    const unavailable = intOrPercentValue(strategy.maxUnavailable) !== 0;
    const shown = (value: unknown, set: boolean, fallback: number): string =>
      set ? show(value) : `${fallback} (unset, Kubernetes defaults it to ${fallback})`;
    const values = `maxSurge ${shown(strategy.maxSurge, strategy.maxSurgeSet, 0)} and maxUnavailable `
      + shown(strategy.maxUnavailable, strategy.maxUnavailableSet, 1);
    const recommended = hostPortUses(daemonSet).length > 0 ? NO_SURGE_STRATEGY : SURGE_STRATEGY;
    if (surge && unavailable) {
      found.push(violation(daemonSet.object, `${ROLLING_UPDATE_PATH}/maxSurge`,
        `${name} has ${values}: a DaemonSet may only surge or only take pods down, not both, so the API server rejects it `
        + '(maxSurge may not be set when maxUnavailable is non-zero)',
        `Set ${recommended} on ${name}`));
    } else if (!surge && !unavailable) {
      found.push(violation(daemonSet.object, `${ROLLING_UPDATE_PATH}/maxUnavailable`,
        `${name} has ${values}: the rollout could never replace a pod, so the API server rejects it `
        + '(maxUnavailable cannot be 0 when maxSurge is 0)',
        `Set ${recommended} on ${name}`));
    }
    return found;
  }),
};
