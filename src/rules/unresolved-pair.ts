import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL014: every declared pair resolves to a Service and a DaemonSet of the manifests. */
export const unresolvedPair: Rule = {
  id: 'NL014',
  name: 'unresolved-pair',
  severity: Severity.ERROR,
  summary: 'The engine\'s options are valid: each pair given in options.pairs names a Service and a DaemonSet that are '
    + 'among the manifests, and options.namespace and options.kubernetesVersion are well-formed.',
  reason: 'A node-local Service only works with the DaemonSet it routes to: if the named Service or DaemonSet is not '
    + 'deployed with it (misspelt name, wrong namespace, object left out of the chart), every node drops the Service\'s '
    + 'traffic, and none of the pair rules can check it. A namespace or version the engine cannot read would make it check '
    + 'the manifests against a cluster they are not for. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/',
  fix: 'Name the Service and DaemonSet of each pair exactly as their metadata (kind, name, namespace), and lint them together.',
  limits: 'It only checks the options it is given; whether the manifests are the complete set applied to the cluster '
    + 'is invisible.',
  trafficModes: ALL_MODES,
  check: (context) => [
    ...context.badOptions.map((o) => ({ resource: { kind: 'LintOptions' }, path: '', message: o.problem, fix: o.fix })),
    ...context.unresolved.map((u) => ({ resource: u.ref, path: '', message: u.problem, fix: u.fix })),
  ],
};
