import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL000: every input is a Kubernetes object. */
export const notAKubernetesObject: Rule = {
  id: 'NL000',
  name: 'not-a-kubernetes-object',
  severity: Severity.ERROR,
  summary: 'Every manifest is a Kubernetes object: a map with a string apiVersion and kind.',
  reason: 'kubectl and the API server reject a document that is not an object with apiVersion and kind, and the rule engine '
    + 'cannot see what it was meant to be, so a Service or DaemonSet written that way would go unchecked. '
    + 'See https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields',
  fix: 'Remove the document, or give it its apiVersion and kind.',
  limits: 'It sees only the documents it is given, after the YAML is read: a file that cannot be read at all is '
    + 'reported by the command (exit 2), not by this rule, and an object with apiVersion and kind that the API '
    + 'server would reject for other schema errors is not reported here.',
  trafficModes: ALL_MODES,
  check: (context) => context.notObjects.map((n) => ({
    resource: n.ref,
    manifestIndex: n.index,
    path: n.path,
    message: `Manifest ${n.index} ${n.problem}, not a Kubernetes object (a map with a string apiVersion and kind): `
      + 'kubectl apply rejects it and no rule can check it',
    fix: n.path === ''
      ? `Remove manifest ${n.index}, or make it a map with apiVersion, kind and metadata.name`
      : `Set ${n.path.slice(1)} of manifest ${n.index} to a non-empty string (e.g. ${n.path === '/kind' ? 'kind: Service' : 'apiVersion: v1'}), or remove the manifest`,
  })),
};
