import { BLACK_HOLE_ISSUE, coverageViolations } from './coverage';
import { Severity } from '../lint/finding';
import { LOCAL_ONLY, Rule } from '../lint/rule';

/** NL013: every client of a node-local Service can only be scheduled where the agent runs. */
export const clientCoverage: Rule = {
  id: 'NL013',
  name: 'client-coverage',
  severity: Severity.ERROR,
  summary: 'Each client of a node-local Service (a workload whose environment names the Service, or the node\'s IP with the agent\'s host port) can only be scheduled on nodes where the DaemonSet runs.',
  reason: 'A Local Service only routes to the agent on the client\'s own node. A client that tolerates a taint the DaemonSet '
    + 'does not tolerate, or that may land on nodes the DaemonSet\'s nodeSelector, required node affinity or nodeName '
    + 'excludes, runs on nodes without an agent, and its traffic is dropped there with no error anywhere. The rule compares '
    + 'the two pod specs: taints (NoSchedule and NoExecute; a NoExecute toleration of the agent limited by tolerationSeconds '
    + 'does not count; the tolerations the DaemonSet controller adds do; a client with nodeName bypasses the scheduler and '
    + 'ignores NoSchedule taints), and labels (nodeSelector, nodeName, and the In, NotIn, '
    + 'Exists and DoesNotExist expressions of required node affinity). It reports a node that the client can land on and '
    + `the agent cannot. See ${BLACK_HOLE_ISSUE} and `
    + 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/',
  fix: 'Keep the client on the agent\'s nodes (give it the agent\'s nodeSelector, or remove the toleration), or let the agent '
    + 'run there (tolerate the taint, e.g. {operator: Exists}; relax its nodeSelector or affinity).',
  limits: 'It sees the pod specs, not the cluster: which nodes exist, their labels and their taints are unknown, so '
    + 'a gap is a node that could exist (a taint the client tolerates, a label the agent requires). Clients are '
    + 'found only from environment values that name the Service as a host (or the node\'s IP with a host port of '
    + 'the agent); a client configured by a file, a command-line flag or a value computed at run time is not '
    + 'seen. Nodes that never run DaemonSet pods (EKS Fargate, virtual-kubelet) and the labels every kubelet '
    + 'sets (operating system, architecture, host name) are taken into account.',
  trafficModes: LOCAL_ONLY,
  check: (context) => coverageViolations(context).gaps,
};
