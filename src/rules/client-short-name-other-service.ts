import { otherServiceViolation, SHORT_NAME_DOCS } from './short-names';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL131: a client's short name for a node-local Service of another namespace reaches a Service of its own namespace. */
export const clientShortNameOtherService: Rule = {
  id: 'NL131',
  name: 'client-short-name-other-service',
  severity: Severity.WARNING,
  summary: 'No client names a node-local Service of another namespace by its short name where that name reaches another Service of the client\'s namespace.',
  reason: 'A short Service name resolves in the pod\'s own namespace first: when that namespace has a Service of the same name '
    + 'as a node-local Service elsewhere, the client reaches it, not the agent on its node. That may be intended (a gateway '
    + `of the same name), or a copy of the agent\'s short name that sends the traffic to the wrong place. See ${SHORT_NAME_DOCS}`,
  fix: 'Use the node-local Service\'s fully qualified name if the agent is meant; otherwise keep the short name and acknowledge the warning.',
  limits: 'It cannot know which of the two Services the application means; the Services of the cluster that are not in the '
    + 'manifests are invisible. Clients are found from environment values only (see NL013).',
  trafficModes: ALL_MODES,
  check: (context) => context.shortNameMisses().filter((m) => m.local !== undefined).map(otherServiceViolation),
};
