import { badCapabilities, describeBadCapability, fixBadCapability } from './capability-names';
import { WorkloadInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL110: the containers of a client of the agent name their capabilities as Kubernetes expects. */
export const clientInvalidCapability: Rule = {
  id: 'NL110',
  name: 'client-invalid-capability',
  severity: Severity.WARNING,
  summary: 'Every capabilities.add and capabilities.drop entry of a client\'s containers is a Linux capability without the CAP_ prefix, or ALL.',
  reason: 'The same names as NL019, on a workload that sends to the node-local Service: containerd turns CAP_NET_ADMIN into '
    + 'CAP_CAP_NET_ADMIN, which runc ignores, and CRI-O refuses to create a container with an unknown capability, so the '
    + 'client runs without what it asked for, or not at all, and may never send. A warning, because the client is not the '
    + 'pair: it fails on its own. '
    + 'See https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container and '
    + 'https://github.com/cdk8s-team/cdk8s-plus/pull/4267',
  fix: 'Write each capability without the CAP_ prefix (NET_ADMIN, SYS_TIME), or ALL; remove names that are not Linux capabilities.',
  limits: 'Only workloads detected as clients are checked (see the client rules), by name only, as NL019 '
    + 'checks the agent; names are compared without regard to case, as containerd and CRI-O compare them.',
  trafficModes: ALL_MODES,
  check: (context) => {
    const agents = new Set<WorkloadInfo>(context.checkedDaemonSets);
    const seen = new Set<WorkloadInfo>();
    const found: Violation[] = [];
    for (const link of context.clients()) {
      // an agent's own containers are NL019's; each client is reported once, for its first pair
      if (agents.has(link.workload) || seen.has(link.workload)) {
        continue;
      }
      seen.add(link.workload);
      const bad = badCapabilities(link.workload);
      if (bad.length === 0) {
        continue;
      }
      const name = link.workload.object.display;
      found.push({
        ...violation(link.workload.object, bad[0].path,
          `${name} sends to ${link.pair.service.object.display} (${link.evidence}): ${bad.map(describeBadCapability).join('; ')}`,
          `In ${name}, ${bad.map(fixBadCapability).join('; ')}`),
        pair: link.pair,
      });
    }
    return found;
  },
};
