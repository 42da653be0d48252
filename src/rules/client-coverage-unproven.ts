import { BLACK_HOLE_ISSUE, coverageViolations } from './coverage';
import { Severity } from '../lint/finding';
import { LOCAL_ONLY, Rule } from '../lint/rule';

/** NL107: the coverage of a client cannot be proven from the manifests. */
export const clientCoverageUnproven: Rule = {
  id: 'NL107',
  name: 'client-coverage-unproven',
  severity: Severity.WARNING,
  summary: 'Whether each client of a node-local Service is only scheduled on nodes where the DaemonSet runs (NL013) can be decided from the manifests.',
  reason: 'NL013 only reports a client when it finds a node the client can land on and the agent cannot. Some node '
    + 'constraints it does not reason about: Gt and Lt expressions (which depend on how label values parse as numbers), '
    + 'matchFields, malformed expressions, and comparisons too large to enumerate. It recognises such an expression of the '
    + 'agent only when the client has the very same one. When they decide the outcome, coverage is neither proven nor '
    + `refuted, and a client may still be black-holed on nodes without an agent. See ${BLACK_HOLE_ISSUE} and `
    + 'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-affinity',
  fix: 'Express the node constraints of the client and the agent with nodeSelector or In, NotIn, Exists and DoesNotExist '
    + '(or give the client the agent\'s own expressions); or acknowledge the warning when the cluster\'s nodes guarantee coverage.',
  limits: 'It cannot evaluate Gt and Lt expressions, matchFields or malformed expressions, nor comparisons too large '
    + 'to enumerate; whether the cluster\'s nodes make the outcome safe is invisible, so the honest answer may '
    + 'be to acknowledge the warning with the reason.',
  trafficModes: LOCAL_ONLY,
  check: (context) => coverageViolations(context).unproven,
};
