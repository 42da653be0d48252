import { BLACK_HOLE_ISSUE, coverageViolations } from './coverage';
import { Severity } from '../lint/finding';
import { LOCAL_ONLY, Rule } from '../lint/rule';

/** NL130: a client can land on nodes of another OS or architecture than the agent's image runs on. */
export const clientPlatformCoverage: Rule = {
  id: 'NL130',
  name: 'client-platform-coverage',
  severity: Severity.WARNING,
  summary: 'Each client of a node-local Service can only be scheduled on nodes of the OS and architecture the DaemonSet runs on (kubernetes.io/os, kubernetes.io/arch).',
  reason: 'An agent restricted to the platform its image runs on (kubernetes.io/os: linux is the common case) has no pod on '
    + 'nodes of another platform, such as Windows nodes; a client without the same restriction can be scheduled there, and '
    + 'its traffic to the Local Service is dropped. This is only a risk in clusters that have such nodes, so it is reported '
    + 'only for the OS and architecture values some workload of the manifests asks for (a nodeSelector or an In expression on '
    + 'kubernetes.io/os or kubernetes.io/arch, or a toleration of the usual os=windows taint): most clusters have no Windows '
    + 'or Arm nodes, and nothing says otherwise. It is a warning of its own (NL013 reports the gaps that exist on any '
    + `cluster, and acknowledging one never silences the other). See ${BLACK_HOLE_ISSUE} and https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-os`,
  fix: 'Give the client the agent\'s platform constraint (e.g. nodeSelector kubernetes.io/os: linux), or acknowledge the warning when the cluster has no nodes of another platform.',
  limits: 'It does not know which platforms the cluster\'s nodes run, only which ones the manifests mention: a cluster with '
    + 'Windows nodes whose Windows workloads are not among the linted manifests draws no warning. Nor does it know which '
    + 'platforms the client\'s own image supports: a '
    + 'Linux-only client image cannot start on a Windows node anyway, and then the warning only says that the client lacks a '
    + 'constraint it should have.',
  trafficModes: LOCAL_ONLY,
  check: (context) => coverageViolations(context).platform,
};
