import { Severity } from '../lint/finding';
import { getIn, show } from '../lint/json';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** The zone-level distributions, which do not keep traffic on the node. */
const ZONE_LEVEL = new Map<string, string>([
  ['PreferClose', 'the deprecated name of PreferSameZone: it prefers endpoints in the client\'s zone, not on its node'],
  ['PreferSameZone', 'it prefers endpoints in the client\'s zone, not on its node'],
]);

/** NL001: the Service of a node-local pair keeps traffic on the client's node. */
export const serviceTrafficPolicyNotLocal: Rule = {
  id: 'NL001',
  name: 'service-traffic-policy-not-local',
  severity: Severity.ERROR,
  summary: 'The Service of a node-local pair keeps traffic on the client\'s node: spec.internalTrafficPolicy: Local, or spec.trafficDistribution: PreferSameNode.',
  reason: 'Without internalTrafficPolicy: Local (the default is Cluster) or trafficDistribution: PreferSameNode, kube-proxy '
    + 'spreads in-cluster traffic over the DaemonSet pods of every node (or, with PreferClose and PreferSameZone, of the '
    + 'client\'s zone), so clients talk to an agent on another node: the hop the pair exists to avoid, and node-specific '
    + 'data (logs, metrics, DNS cache) ends up on the wrong node. Local drops the traffic of a node without a ready agent; '
    + 'PreferSameNode (Kubernetes 1.34 and later) falls back to another node\'s. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/ and '
    + 'https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-distribution',
  fix: 'Set spec.internalTrafficPolicy to Local, or spec.trafficDistribution to PreferSameNode (Kubernetes 1.34 and later).',
  limits: 'It reads the Service as written: a mutating admission webhook or a later change in the cluster is invisible, and '
    + 'so is whether the network plugin implements internalTrafficPolicy and trafficDistribution: kube-proxy implements both; '
    + 'Cilium\'s kube-proxy replacement implements internalTrafficPolicy, and PreferSameNode only in recent versions (check '
    + 'your plugin\'s documentation, cilium/cilium#44060).',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    if (service.mode !== undefined) {
      return [];
    }
    const policy = getIn(service.spec, 'internalTrafficPolicy');
    const distribution = getIn(service.spec, 'trafficDistribution');
    const found = policy === undefined || policy === null
      ? 'no internalTrafficPolicy (Kubernetes defaults it to "Cluster")'
      : `internalTrafficPolicy ${show(policy)}`;
    const zone = typeof distribution === 'string' ? ZONE_LEVEL.get(distribution) : undefined;
    const also = zone !== undefined ? ` and trafficDistribution ${show(distribution)} (${zone})`
      : distribution !== undefined && distribution !== null ? ` and trafficDistribution ${show(distribution)}` : '';
    return [violation(service.object, '/spec/internalTrafficPolicy',
      `${service.object.display} has ${found}${also}, not "Local": kube-proxy sends its in-cluster traffic to the DaemonSet pod `
      + 'of any node instead of the one on the client\'s node, so the pair is not node-local',
      `Set spec.internalTrafficPolicy: Local on ${service.object.display}, or spec.trafficDistribution: PreferSameNode `
      + '(Kubernetes 1.34 and later) to fall back to another node\'s agent instead of dropping')];
  }),
};
