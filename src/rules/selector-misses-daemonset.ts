import { Severity } from '../lint/finding';
import { asObject, getIn, hasNonStringValue, show } from '../lint/json';
import { showLabels } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL004: the Service's selector selects the pods of its DaemonSet. */
export const selectorMissesDaemonSet: Rule = {
  id: 'NL004',
  name: 'selector-misses-daemonset',
  severity: Severity.ERROR,
  summary: 'The node-local Service has a selector, and it selects the pod template of its DaemonSet.',
  reason: 'A Service with internalTrafficPolicy: Local only routes to a ready endpoint on the client\'s own node and drops '
    + 'the traffic when there is none. If its selector misses the DaemonSet\'s pods (a typo in a label, another namespace, '
    + 'a Deployment instead of a DaemonSet), nodes have no local endpoint and drop all traffic; a Service without a '
    + 'selector gets no endpoints from Kubernetes at all. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/ and '
    + 'https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors',
  fix: 'Set the Service\'s spec.selector to labels of the DaemonSet\'s pod template (cdk8s-plus: selector: daemonSet), '
    + 'in the DaemonSet\'s namespace.',
  limits: 'Only the manifests given are searched: a DaemonSet deployed from elsewhere (another chart, another '
    + 'pipeline) is reported missing unless it is linted together with the Service, and pods created in the '
    + 'cluster outside any workload are invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const name = service.object.display;
    const rawSelector = getIn(service.spec, 'selector');
    if (hasNonStringValue(rawSelector) || (rawSelector !== undefined && rawSelector !== null && asObject(rawSelector) === undefined)) {
      return []; // NL022 reports the selector the API server rejects
    }
    if (service.selector.size === 0) {
      const raw = getIn(service.spec, 'selector');
      const found = raw === undefined || raw === null ? 'no selector' : `the selector ${show(raw)}, which selects no pod`;
      return [violation(service.object, '/spec/selector',
        `${name} has ${found}: Kubernetes manages no endpoints for a Service without a selector, so every node `
        + 'drops its traffic',
        `Set spec.selector of ${name} to the pod template labels of its DaemonSet`)];
    }
    const selector = showLabels(service.selector);
    const pairs = context.pairsOf(service);
    if (!context.declared) {
      if (pairs.length > 0) {
        return [];
      }
      const selected = context.selectWorkloads(service.object.namespaceKey, service.selector);
      const besides = selected.length > 0 ? ` (it selects ${selected.map((w) => w.object.display).join(', ')})` : '';
      return [violation(service.object, '/spec/selector',
        `${name} has internalTrafficPolicy "Local", but no DaemonSet in the given manifests has pod template labels its `
        + `selector ${selector} selects${besides}: a Local Service drops the traffic of every node without a ready `
        + 'endpoint of its own, and only a DaemonSet puts one on every node',
        `Lint ${name} together with its DaemonSet (they may be in different files), give the DaemonSet's pod template `
        + `the labels ${selector} in the Service's namespace, or change spec.selector to the DaemonSet's template labels`)];
    }
    const found: Violation[] = [];
    for (const { daemonSet } of pairs) {
      const ds = daemonSet.object.display;
      if (hasNonStringValue(getIn(daemonSet.object.raw, ...daemonSet.labelsPath.slice(1).split('/')))) {
        continue; // NL022 reports the template labels the API server rejects
      }
      if (daemonSet.object.namespaceKey !== service.object.namespaceKey) {
        found.push(violation(service.object, '/metadata/namespace',
          `${name} is in ${service.object.namespace === undefined ? 'no namespace' : `namespace ${service.object.namespace}`}, `
          + `but ${ds} is in ${daemonSet.object.namespace === undefined ? 'no namespace' : `namespace ${daemonSet.object.namespace}`}: `
          + 'a Service only selects pods of its own namespace, so it has no endpoints and every node drops its traffic',
          `Put ${name} and ${ds} in the same namespace (metadata.namespace)`));
        continue;
      }
      const missing = [...service.selector]
        .filter(([key, value]) => daemonSet.labels.get(key) !== value)
        .map(([key, value]) => {
          const actual = daemonSet.labels.get(key);
          return actual === undefined ? `it has no label ${key} (selector wants ${value})` : `its label ${key} is ${show(actual)}, the selector wants ${show(value)}`;
        });
      if (missing.length > 0) {
        found.push(violation(service.object, '/spec/selector',
          `${name} selector ${selector} does not select the pods of ${ds} (template labels ${showLabels(daemonSet.labels)}: `
          + `${missing.join('; ')}): the Service has no endpoint from that DaemonSet, so every node drops its traffic`,
          `Set spec.selector of ${name} to labels of the pod template of ${ds}, e.g. ${showLabels(daemonSet.labels)}`));
      }
    }
    return found;
  }),
};
