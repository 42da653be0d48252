import { Severity } from '../lint/finding';
import { asObject, getIn, pointer, show } from '../lint/json';
import { ALL_MODES, Rule, violation } from '../lint/rule';

const ANNOTATIONS = ['service.kubernetes.io/topology-mode', 'service.kubernetes.io/topology-aware-hints'];

/** NL104: the node-local Service asks for no routing that its mode ignores or that overrides its mode. */
export const topologyRoutingIgnored: Rule = {
  id: 'NL104',
  name: 'topology-routing-ignored',
  severity: Severity.WARNING,
  summary: 'The node-local Service asks for no routing its mode ignores or that overrides it: no trafficDistribution or '
    + 'topology annotation with internalTrafficPolicy Local, no topology-aware routing with PreferSameNode.',
  reason: 'internalTrafficPolicy: Local takes precedence over topology-aware routing (the service.kubernetes.io/topology-mode '
    + 'and topology-aware-hints annotations) and over spec.trafficDistribution: the setting does nothing, and suggests a '
    + 'fallback to another node or zone that does not exist; traffic on a node without a ready local pod is dropped. Helm '
    + 'values make it easy to set both. The other way round, topology-mode: Auto takes precedence over trafficDistribution, '
    + 'so a PreferSameNode Service with it is routed by zone hints, not to the client\'s node. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/topology-aware-routing/#safeguards and '
    + 'https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-distribution',
  fix: 'Remove what is ignored or overrides the mode; to fall back to another node instead of dropping, use '
    + 'trafficDistribution: PreferSameNode without internalTrafficPolicy: Local (Kubernetes 1.34 and later).',
  limits: 'It reads the annotations and fields as written; the topology hints the EndpointSlice controller computes in the '
    + 'cluster are invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const name = service.object.display;
    const annotations = asObject(getIn(service.object.raw, 'metadata', 'annotations'));
    const present = ANNOTATIONS.filter((a) => annotations !== undefined && Object.prototype.hasOwnProperty.call(annotations, a));
    const distribution = getIn(service.spec, 'trafficDistribution');
    if (service.mode === 'PreferSameNode') {
      // only Auto turns the hints on, and then they take precedence over trafficDistribution
      const overriding = present.filter((a) => String(annotations![a]).toLowerCase() === 'auto');
      if (overriding.length === 0) {
        return [];
      }
      const a = overriding[0];
      return [violation(service.object, pointer('/metadata/annotations', a),
        `${name} has trafficDistribution "PreferSameNode" and the annotation ${a}: ${show(annotations![a])}, which takes `
        + 'precedence: kube-proxy routes by zone hints, not to the agent on the client\'s node',
        `Remove the annotation ${a} from ${name}`)];
    }
    if (service.mode !== 'Local') {
      return []; // a declared Service that is not node-local at all is NL001's
    }
    const parts: string[] = [];
    const paths: string[] = [];
    const removals: string[] = [];
    for (const a of present) {
      paths.push(pointer('/metadata/annotations', a));
      parts.push(`the annotation ${a}: ${show(annotations![a])}`);
      removals.push(`the annotation ${a}`);
    }
    if (distribution !== undefined && distribution !== null) {
      paths.push('/spec/trafficDistribution');
      const alias = distribution === 'PreferClose' ? ' (the deprecated name of PreferSameZone)' : '';
      parts.push(`trafficDistribution ${show(distribution)}${alias}`);
      removals.push('spec.trafficDistribution');
    }
    if (parts.length === 0) {
      return [];
    }
    const fallback = distribution === 'PreferSameNode'
      ? '; to fall back to another node\'s agent instead of dropping, remove spec.internalTrafficPolicy and keep '
        + 'trafficDistribution: PreferSameNode (Kubernetes 1.34 and later)'
      : '';
    return [violation(service.object, paths[0],
      `${name} has ${parts.join(' and ')}: internalTrafficPolicy Local takes precedence, so ${parts.length === 1 ? 'it does' : 'they do'} `
      + 'nothing and there is no fallback to another node or zone',
      `Remove ${removals.join(' and ')} from ${name}${fallback}`)];
  }),
};
