import { hostPortUses, NO_SURGE_STRATEGY, SURGE_STRATEGY } from './shared';
import { Severity } from '../lint/finding';
import { asObject, getIn, show } from '../lint/json';
import { ALL_MODES, Rule } from '../lint/rule';

const TYPES = ['RollingUpdate', 'OnDelete'];

/** NL015: the DaemonSet's update strategy is RollingUpdate or OnDelete. */
export const invalidUpdateStrategyType: Rule = {
  id: 'NL015',
  name: 'invalid-update-strategy-type',
  severity: Severity.ERROR,
  summary: 'The DaemonSet\'s spec.updateStrategy is an object whose type is RollingUpdate, OnDelete or unset.',
  reason: 'The API server only accepts the update strategy types RollingUpdate and OnDelete (case-sensitive); any other '
    + 'value, such as Recreate copied from a Deployment, is rejected and the DaemonSet is not deployed, so every node '
    + 'drops the Service\'s traffic. See https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/#daemonset-update-strategy',
  fix: 'Set spec.updateStrategy.type to RollingUpdate (with maxSurge 1 and maxUnavailable 0).',
  limits: 'It checks the update strategy as written; a strategy changed in the cluster is invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const name = daemonSet.object.display;
    const recommended = hostPortUses(daemonSet).length > 0 ? NO_SURGE_STRATEGY : SURGE_STRATEGY;
    const strategy = getIn(daemonSet.object.raw, 'spec', 'updateStrategy');
    if (strategy !== undefined && strategy !== null && asObject(strategy) === undefined) {
      return [{
        resource: daemonSet.object.ref,
        manifestIndex: daemonSet.object.index,
        path: '/spec/updateStrategy',
        message: `${name} has spec.updateStrategy ${show(strategy)}, not an object: the API server rejects the DaemonSet`,
        fix: `Set ${recommended} on ${name}`,
      }];
    }
    const type = getIn(strategy, 'type');
    if (type === undefined || type === null || type === '' || TYPES.includes(type as string)) {
      return [];
    }
    return [{
      resource: daemonSet.object.ref,
      manifestIndex: daemonSet.object.index,
      path: '/spec/updateStrategy/type',
      message: `${name} has updateStrategy type ${show(type)}: the API server accepts only "RollingUpdate" and "OnDelete" `
        + 'and rejects the DaemonSet',
      fix: `Set ${recommended} on ${name}`,
    }];
  }),
};
