import { badCapabilities, describeBadCapability, fixBadCapability } from './capability-names';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** NL019: the agent's containers name their capabilities as Kubernetes expects. */
export const invalidCapability: Rule = {
  id: 'NL019',
  name: 'invalid-capability',
  severity: Severity.ERROR,
  summary: 'Every capabilities.add and capabilities.drop entry of the DaemonSet\'s containers is a Linux capability without the CAP_ prefix, or ALL.',
  reason: 'Kubernetes takes capability names without the kernel\'s CAP_ prefix (SYS_TIME for CAP_SYS_TIME). containerd adds '
    + 'the prefix itself, so CAP_NET_ADMIN becomes CAP_CAP_NET_ADMIN, which runc ignores with a warning since 1.0 (and '
    + 'refused before): the agent runs without the capability it needs and fails on every node, or keeps one it meant to '
    + 'drop. CRI-O refuses to create a container that names an unknown capability, and Pod Security admission compares '
    + 'names exactly, so a prefixed name breaks the baseline and restricted checks. cdk8s-plus-27 writes its Capability '
    + 'values with the prefix (fixed in later majors by cdk8s-team/cdk8s-plus#4267). '
    + 'See https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container, '
    + 'https://github.com/cdk8s-team/cdk8s-plus/pull/4267 and https://github.com/opencontainers/runc/pull/2854',
  fix: 'Write each capability without the CAP_ prefix (NET_ADMIN, SYS_TIME), or ALL; remove names that are not Linux capabilities.',
  limits: 'It checks names, not need: whether the agent needs the capabilities it asks for, and whether the '
    + 'cluster\'s runtime and Pod Security admission grant them, are not in the manifests. Names are compared without '
    + 'regard to case, as containerd and CRI-O compare them; Pod Security admission compares them exactly.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const bad = badCapabilities(daemonSet);
    if (bad.length === 0) {
      return [];
    }
    const name = daemonSet.object.display;
    return [violation(daemonSet.object, bad[0].path,
      `${name}: ${bad.map(describeBadCapability).join('; ')}; an agent that runs without its capabilities, or does not `
      + 'start, leaves the node-local Service without an endpoint on every node',
      `In ${name}, ${bad.map(fixBadCapability).join('; ')}`)];
  }),
};
