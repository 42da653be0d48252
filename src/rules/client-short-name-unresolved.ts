import { SHORT_NAME_DOCS, unresolvedViolation } from './short-names';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL020: a client's short name for a node-local Service of another namespace resolves to nothing. */
export const clientShortNameUnresolved: Rule = {
  id: 'NL020',
  name: 'client-short-name-unresolved',
  severity: Severity.ERROR,
  summary: 'No client names a node-local Service of another namespace by its short name where that name resolves to no Service.',
  reason: 'A short Service name (otel-agent, otel-agent:4317, http://otel-agent:4317) resolves through the pod\'s DNS search '
    + 'path, which begins with the pod\'s own namespace: from another namespace it looks up otel-agent.<that namespace>.svc, '
    + 'and when no Service of that name is there the lookup fails, so the client sends nothing to the agent, in either '
    + 'traffic mode. Helm charts make this easy: a subchart\'s agent in one namespace, an application that copied its short '
    + `name in another. See ${SHORT_NAME_DOCS}`,
  fix: 'Use the fully qualified name, <service>.<namespace>.svc.<cluster domain> (connect() writes it), or run the client in the Service\'s namespace.',
  limits: 'It sees the Services of the manifests only: a Service of that name created in the client\'s namespace by other '
    + 'means (an ExternalName alias applied separately) is invisible, and then the finding is wrong: acknowledge it. Objects '
    + 'without metadata.namespace are taken to be in the namespace given with --namespace (default "default"). Clients are '
    + 'found from environment values only (see NL013).',
  trafficModes: ALL_MODES,
  check: (context) => context.shortNameMisses().filter((m) => m.local === undefined).map(unresolvedViolation),
};
