import { Severity } from '../lint/finding';
import { asArray, getIn, pointer, show } from '../lint/json';
import { Rule, Violation, violation } from '../lint/rule';

const WHY_BY_TYPE = new Map<string, string>([
  ['NodePort', 'traffic that arrives on a node port follows externalTrafficPolicy, not internalTrafficPolicy, so it is '
    + 'not node-local, and the node-local agent becomes reachable from outside the cluster'],
  ['LoadBalancer', 'traffic from the load balancer follows externalTrafficPolicy, not internalTrafficPolicy, so it is '
    + 'not node-local, and the node-local agent becomes reachable from outside the cluster'],
  ['ExternalName', 'an ExternalName Service is only a DNS CNAME: kube-proxy never routes it and it has no endpoints, so '
    + 'internalTrafficPolicy does nothing and clients never reach the DaemonSet'],
]);

/** NL002: the Service of a node-local pair is a plain ClusterIP Service. */
export const serviceNotClusterIp: Rule = {
  id: 'NL002',
  name: 'service-not-cluster-ip',
  severity: Severity.ERROR,
  summary: 'The Service of a node-local pair is of type ClusterIP (or no type) and not headless.',
  reason: 'internalTrafficPolicy only governs traffic kube-proxy routes to a cluster IP. A headless Service (clusterIP: None) '
    + 'has no cluster IP: DNS hands out the pod IPs of every node and the policy is ignored '
    + '(https://github.com/vectordotdev/helm-charts/issues/399); NodePort and LoadBalancer traffic follows externalTrafficPolicy; '
    + 'an ExternalName Service is never proxied. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/',
  fix: 'Remove spec.type (or set it to ClusterIP) and remove clusterIP: None.',
  check: (context) => context.checkedServices.flatMap((service) => {
    const found: Violation[] = [];
    const name = service.object.display;
    const type = getIn(service.spec, 'type');
    if (type !== undefined && type !== null && type !== '' && type !== 'ClusterIP') {
      const why = (typeof type === 'string' ? WHY_BY_TYPE.get(type) : undefined)
        ?? 'the API server only accepts ClusterIP, NodePort, LoadBalancer or ExternalName';
      found.push(violation(service.object, '/spec/type',
        `${name} has type ${show(type)}, not "ClusterIP": ${why}`,
        `Remove spec.type from ${name} (ClusterIP is the default); if clients outside the cluster need the DaemonSet, `
        + 'give them a separate Service'));
    }
    const headless = 'a headless Service has no cluster IP: DNS returns the IPs of the DaemonSet pods on every node, '
      + 'kube-proxy is bypassed and internalTrafficPolicy is ignored, so clients reach pods on other nodes';
    if (getIn(service.spec, 'clusterIP') === 'None') {
      found.push(violation(service.object, '/spec/clusterIP', `${name} has clusterIP "None": ${headless}`,
        `Remove spec.clusterIP from ${name} so Kubernetes allocates a cluster IP, and have clients use the Service name`));
    } else {
      const index = asArray(getIn(service.spec, 'clusterIPs')).indexOf('None');
      if (index >= 0) {
        found.push(violation(service.object, pointer('/spec/clusterIPs', index), `${name} has clusterIPs ${show(getIn(service.spec, 'clusterIPs'))}: ${headless}`,
          `Remove spec.clusterIPs from ${name} so Kubernetes allocates a cluster IP, and have clients use the Service name`));
      }
    }
    return found;
  }),
};
