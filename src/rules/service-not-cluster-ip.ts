import { Severity } from '../lint/finding';
import { asArray, getIn, pointer, show } from '../lint/json';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** The Service types the API server accepts. */
export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** A Service's type after defaulting (`ClusterIP` when unset), or its raw value when it is not a string. */
export function serviceType(spec: unknown): unknown {
  const type = getIn(spec, 'type');
  return type === undefined || type === null || type === '' ? 'ClusterIP' : type;
}

/** NL002: the Service of a node-local pair has a cluster IP that kube-proxy routes. */
export const serviceNotClusterIp: Rule = {
  id: 'NL002',
  name: 'service-not-cluster-ip',
  severity: Severity.ERROR,
  summary: 'The Service of a node-local pair has a cluster IP: it is not headless, not an ExternalName Service, and its type is one the API server accepts.',
  reason: 'internalTrafficPolicy and trafficDistribution govern the traffic kube-proxy routes to a Service\'s cluster IP. '
    + 'A headless Service (clusterIP: None) has none: DNS hands out the pod IPs of every node and the policy is ignored '
    + '(https://github.com/vectordotdev/helm-charts/issues/399); an ExternalName Service is only a DNS CNAME that kube-proxy '
    + 'never routes; a type the API server does not know is rejected. NodePort and LoadBalancer Services have a cluster IP '
    + 'too, and in-cluster traffic to it stays node-local (only what arrives on the node port or the load balancer follows '
    + 'externalTrafficPolicy instead), so their type is not reported. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/',
  fix: 'Remove clusterIP: None, and set spec.type to ClusterIP (or remove it), NodePort or LoadBalancer.',
  limits: 'It reads spec.type, clusterIP and clusterIPs as written; a cluster IP allocated or changed in the cluster is '
    + 'invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const name = service.object.display;
    const problems: string[] = [];
    const fixes: string[] = [];
    let path: string | undefined;
    const type = serviceType(service.spec);
    if (type === 'ExternalName') {
      path = '/spec/type';
      problems.push('has type "ExternalName": an ExternalName Service is only a DNS CNAME, kube-proxy never routes it and '
        + 'it has no endpoints, so internalTrafficPolicy does nothing and clients never reach the DaemonSet');
      fixes.push(`remove spec.type and spec.externalName from ${name} (ClusterIP is the default)`);
    } else if (typeof type !== 'string' || !SERVICE_TYPES.includes(type)) {
      path = '/spec/type';
      problems.push(`has type ${show(type)}: the API server only accepts ClusterIP, NodePort, LoadBalancer or ExternalName `
        + '(case-sensitive), so the Service is never created');
      fixes.push(`remove spec.type from ${name} (ClusterIP is the default)`);
    }
    const headless = 'a headless Service has no cluster IP: DNS returns the IPs of the DaemonSet pods on every node, '
      + 'kube-proxy is bypassed and internalTrafficPolicy is ignored, so clients reach pods on other nodes';
    const clusterIPs = asArray(getIn(service.spec, 'clusterIPs'));
    if (getIn(service.spec, 'clusterIP') === 'None') {
      path ??= '/spec/clusterIP';
      problems.push(`has clusterIP "None": ${headless}`);
      fixes.push(`remove spec.clusterIP${clusterIPs.length > 0 ? ' and spec.clusterIPs' : ''} from ${name} so Kubernetes allocates a cluster IP, and have clients use the Service name`);
    } else if (clusterIPs.includes('None')) {
      path ??= pointer('/spec/clusterIPs', clusterIPs.indexOf('None'));
      problems.push(`has clusterIPs ${show(getIn(service.spec, 'clusterIPs'))}: ${headless}`);
      fixes.push(`remove spec.clusterIPs from ${name} so Kubernetes allocates a cluster IP, and have clients use the Service name`);
    }
    if (path === undefined) {
      return [];
    }
    const fix = fixes.join(', and ');
    return [violation(service.object, path, `${name} ${problems.join('; it also ')}`, fix.charAt(0).toUpperCase() + fix.slice(1))];
  }),
};
