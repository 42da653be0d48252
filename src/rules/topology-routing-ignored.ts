import { Severity } from '../lint/finding';
import { asObject, getIn, pointer, show } from '../lint/json';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

const ANNOTATIONS = ['service.kubernetes.io/topology-aware-hints', 'service.kubernetes.io/topology-mode'];

/** NL104: the Service asks for no topology-aware routing, which Local ignores. */
export const topologyRoutingIgnored: Rule = {
  id: 'NL104',
  name: 'topology-routing-ignored',
  severity: Severity.WARNING,
  summary: 'The node-local Service has no topology-aware routing annotation and no spec.trafficDistribution.',
  reason: 'kube-proxy ignores topology-aware routing (the service.kubernetes.io/topology-mode and topology-aware-hints '
    + 'annotations) and spec.trafficDistribution when internalTrafficPolicy is Local: the setting does nothing, and '
    + 'suggests a fallback to endpoints in the same zone that does not exist; traffic on a node without a ready local pod is dropped. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/topology-aware-routing/#safeguards and '
    + 'https://kubernetes.io/docs/concepts/services-networking/service/#traffic-distribution',
  fix: 'Remove the annotation or spec.trafficDistribution.',
  limits: 'It reads the annotations and fields as written; the topology hints the EndpointSlice controller computes '
    + 'in the cluster are invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const name = service.object.display;
    const found: Violation[] = [];
    const ignored = 'kube-proxy ignores topology-aware routing under internalTrafficPolicy Local, so it does nothing and '
      + 'there is no fallback to another node or zone';
    const annotations = asObject(getIn(service.object.raw, 'metadata', 'annotations'));
    for (const annotation of ANNOTATIONS) {
      if (annotations !== undefined && Object.prototype.hasOwnProperty.call(annotations, annotation)) {
        found.push(violation(service.object, pointer('/metadata/annotations', annotation),
          `${name} has the annotation ${annotation}: ${show(annotations[annotation])}: ${ignored}`,
          `Remove the annotation ${annotation} from ${name}`));
      }
    }
    const distribution = getIn(service.spec, 'trafficDistribution');
    if (distribution !== undefined && distribution !== null) {
      found.push(violation(service.object, '/spec/trafficDistribution',
        `${name} has trafficDistribution ${show(distribution)}: ${ignored}`,
        `Remove spec.trafficDistribution from ${name}`));
    }
    return found;
  }),
};
