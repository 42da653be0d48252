import { Severity } from '../lint/finding';
import { Rule } from '../lint/rule';

/** NL014: every declared pair resolves to a Service and a DaemonSet of the manifests. */
export const unresolvedPair: Rule = {
  id: 'NL014',
  name: 'unresolved-pair',
  severity: Severity.ERROR,
  summary: 'Each pair given in options.pairs names a Service and a DaemonSet that are among the manifests.',
  reason: 'A node-local Service only works with the DaemonSet it routes to: if the named Service or DaemonSet is not '
    + 'deployed with it (misspelt name, wrong namespace, object left out of the chart), every node drops the Service\'s '
    + 'traffic, and none of the pair rules can check it. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/',
  fix: 'Name the Service and DaemonSet of each pair exactly as their metadata (kind, name, namespace), and lint them together.',
  check: (context) => context.unresolved.map((u) => ({
    resource: u.ref,
    path: '',
    message: u.problem,
    fix: u.fix,
  })),
};
