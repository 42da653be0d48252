import { Severity } from '../lint/finding';
import { DEFAULT_GRACE_PERIOD_SECONDS, gracePeriodSeconds, preStopOf } from '../lint/handover';
import { getIn } from '../lint/json';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL121: the grace period leaves the agent time to stop after its preStop delay. */
export const preStopExceedsGracePeriod: Rule = {
  id: 'NL121',
  name: 'prestop-exceeds-grace-period',
  severity: Severity.WARNING,
  summary: 'The DaemonSet\'s terminationGracePeriodSeconds is longer than the preStop delay (a sleep action, or an exec sleep) of each of its containers.',
  reason: 'The kubelet counts a container\'s preStop hook in the pod\'s grace period: when the hook takes the whole period, '
    + 'the kubelet sends SIGTERM with at most a 2 s extension left and then kills the container. A preStop sleep as long as '
    + 'the grace period therefore kills the agent mid-handover, without the shutdown it does on SIGTERM (flushing its '
    + 'buffers, closing connections). See '
    + 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination and '
    + 'https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-execution',
  fix: 'Set spec.template.spec.terminationGracePeriodSeconds to the preStop delay plus the time the agent needs to stop, or shorten the delay.',
  limits: 'It recognises a sleep action and an exec of sleep (directly or in a shell script); how long any other hook '
    + 'runs is not in the manifests. How long the agent needs after SIGTERM is its own; the fix suggests the default 30 s.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const grace = gracePeriodSeconds(daemonSet.podSpec);
    if (grace === undefined) {
      return []; // not a number: the API server rejects it
    }
    const delays = daemonSet.servingContainers.flatMap((container) => {
      const preStop = preStopOf(container.raw);
      return preStop.type === 'delay' && preStop.delay.seconds >= grace ? [{ container, delay: preStop.delay }] : [];
    });
    if (delays.length === 0) {
      return [];
    }
    const name = daemonSet.object.display;
    const longest = Math.max(...delays.map((d) => d.delay.seconds));
    const set = getIn(daemonSet.podSpec, 'terminationGracePeriodSeconds');
    const found = set === undefined || set === null
      ? `no terminationGracePeriodSeconds (the default, ${DEFAULT_GRACE_PERIOD_SECONDS})`
      : `terminationGracePeriodSeconds ${grace}`;
    return [{
      resource: daemonSet.object.ref,
      manifestIndex: daemonSet.object.index,
      path: `${daemonSet.podSpecPath}/terminationGracePeriodSeconds`,
      message: `${name} has ${found}, not longer than ${delays.map((d) => `${d.delay.display} on ${d.container.display}`).join(' and ')}: `
        + 'the kubelet counts the preStop hook in the grace period, so it kills the container when the hook ends (after at most '
        + 'a 2 s extension), and the agent stops mid-handover without the shutdown it does on SIGTERM',
      fix: `Set spec.template.spec.terminationGracePeriodSeconds on ${name} to at least ${longest + DEFAULT_GRACE_PERIOD_SECONDS} `
        + `(the ${longest} s delay and ${DEFAULT_GRACE_PERIOD_SECONDS} s to stop), or shorten the preStop delay`,
    }];
  }),
};
