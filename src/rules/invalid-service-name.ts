import { Severity } from '../lint/finding';
import { asNonEmptyString, getIn, show } from '../lint/json';
import { dns1035LabelError } from '../lint/kube';
import { ALL_MODES, Rule } from '../lint/rule';

/** A DNS-1035 label close to the name, for the fix. */
function suggest(name: string): string {
  let label = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^[-0-9]+/, '');
  label = label.slice(0, 63).replace(/-+$/, '');
  return label === '' ? 'node-local' : label;
}

/** NL009: the Service's name is a DNS-1035 label. */
export const invalidServiceName: Rule = {
  id: 'NL009',
  name: 'invalid-service-name',
  severity: Severity.ERROR,
  summary: 'The node-local Service\'s metadata.name is a DNS-1035 label: at most 63 lower case letters, digits and \'-\', starting with a letter.',
  reason: 'A Service name becomes a DNS name (<name>.<namespace>.svc), so the API server only accepts a DNS-1035 label; '
    + 'any other name is rejected and the pair has no Service. Names that cdk8s derives from long construct paths can exceed '
    + '63 characters. See https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#rfc-1035-label-names',
  fix: 'Set metadata.name to a DNS-1035 label.',
  limits: 'It checks the name as written; a name that a later tool rewrites (a Helm post-renderer, kustomize '
    + 'namePrefix applied after linting) is invisible: lint the final output.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const raw = getIn(service.object.raw, 'metadata', 'name');
    const display = service.object.display;
    if (service.object.name === undefined) {
      if (asNonEmptyString(getIn(service.object.raw, 'metadata', 'generateName')) !== undefined) {
        return []; // the API server completes generateName into a name
      }
      return [{
        resource: service.object.ref,
        manifestIndex: service.object.index,
        path: '/metadata/name',
        message: `${display} has ${raw === undefined || raw === null ? 'no metadata.name' : `metadata.name ${show(raw)}`}: the API server rejects a Service without a name`,
        fix: `Set metadata.name of the Service in manifest ${service.object.index} to a DNS-1035 label, e.g. "node-local"`,
      }];
    }
    const error = dns1035LabelError(service.object.name);
    if (error === undefined) {
      return [];
    }
    return [{
      resource: service.object.ref,
      manifestIndex: service.object.index,
      path: '/metadata/name',
      message: `${display} has the name ${show(service.object.name)}, which is not a DNS-1035 label (${error}): `
        + 'the API server rejects the Service, so the pair has no Service',
      fix: `Rename ${display} to a DNS-1035 label, e.g. ${show(suggest(service.object.name))}, and update its clients`,
    }];
  }),
};
