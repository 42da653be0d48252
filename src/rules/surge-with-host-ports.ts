import { hostPortUses, NO_SURGE_STRATEGY } from './shared';
import { Severity } from '../lint/finding';
import { show } from '../lint/json';
import { effectiveUpdateStrategy, intOrPercentValue, ROLLING_UPDATE_PATH } from '../lint/kube';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL010: a DaemonSet that holds host ports does not surge. */
export const surgeWithHostPorts: Rule = {
  id: 'NL010',
  name: 'surge-with-host-ports',
  severity: Severity.ERROR,
  summary: 'A DaemonSet whose pods use hostNetwork or a hostPort does not roll out with maxSurge above zero.',
  reason: 'With maxSurge the new pod starts on a node while the old one still runs and holds the node\'s port: the scheduler '
    + 'cannot place the new pod (the host port is taken) or the agent cannot bind, the old pod is never replaced and the '
    + 'rollout is stuck on every node. See https://github.com/kubernetes/kubernetes/issues/106417 and '
    + 'https://github.com/kubernetes/dns/issues/667',
  fix: 'Roll out with maxSurge 0 and maxUnavailable 1, or stop using host ports (then surge is the better choice).',
  limits: 'It sees host ports and hostNetwork in the pod template; an agent that binds its port with SO_REUSEPORT '
    + 'and could in fact surge on the host network is not recognised (acknowledge the finding then).',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const strategy = effectiveUpdateStrategy(daemonSet.object.raw);
    if (strategy.type !== 'RollingUpdate' || intOrPercentValue(strategy.maxSurge) <= 0) {
      return [];
    }
    const uses = hostPortUses(daemonSet);
    if (uses.length === 0) {
      return [];
    }
    const name = daemonSet.object.display;
    return [{
      resource: daemonSet.object.ref,
      manifestIndex: daemonSet.object.index,
      path: `${ROLLING_UPDATE_PATH}/maxSurge`,
      message: `${name} rolls out with maxSurge ${show(strategy.maxSurge)} while its pods hold ports on the node `
        + `(${uses.join(', ')}): the surge pod cannot bind the port the old pod still holds, so it never becomes ready, `
        + 'the old pod is never replaced and the rollout is stuck',
      fix: `Set ${NO_SURGE_STRATEGY} on ${name}, or remove ${uses.join(' and ')} so the pods can surge`,
    }];
  }),
};
