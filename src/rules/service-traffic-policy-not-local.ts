import { Severity } from '../lint/finding';
import { getIn, show } from '../lint/json';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** NL001: the Service of a node-local pair has `internalTrafficPolicy: Local`. */
export const serviceTrafficPolicyNotLocal: Rule = {
  id: 'NL001',
  name: 'service-traffic-policy-not-local',
  severity: Severity.ERROR,
  summary: 'The Service of a node-local pair has spec.internalTrafficPolicy: Local.',
  reason: 'Without internalTrafficPolicy: Local (the default is Cluster), kube-proxy spreads in-cluster traffic over the '
    + 'DaemonSet pods of every node, so clients talk to an agent on another node: the hop the pair exists to avoid, and '
    + 'node-specific data (logs, metrics, DNS cache) ends up on the wrong node. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/',
  fix: 'Set spec.internalTrafficPolicy to Local.',
  limits: 'It reads the Service as written: a mutating admission webhook or a later change in the cluster is '
    + 'invisible, and so is whether the network plugin implements internalTrafficPolicy and trafficDistribution '
    + '(kube-proxy and Cilium do).',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const policy = getIn(service.spec, 'internalTrafficPolicy');
    if (policy === 'Local') {
      return [];
    }
    const found = policy === undefined || policy === null
      ? 'no internalTrafficPolicy (Kubernetes defaults it to "Cluster")'
      : `internalTrafficPolicy ${show(policy)}`;
    return [violation(service.object, '/spec/internalTrafficPolicy',
      `${service.object.display} has ${found}, not "Local": kube-proxy sends its in-cluster traffic to the DaemonSet pod `
      + 'of any node instead of the one on the client\'s node, so the pair is not node-local',
      `Set spec.internalTrafficPolicy: Local on ${service.object.display}`)];
  }),
};
