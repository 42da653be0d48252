import { Severity } from '../lint/finding';
import { asObject, getIn, pointer, show } from '../lint/json';
import { Rule, Violation, violation } from '../lint/rule';

/** Fields only a NodePort or LoadBalancer Service uses, besides those starting with `loadBalancer`. */
const EXTERNAL_ONLY = ['externalTrafficPolicy', 'healthCheckNodePort', 'allocateLoadBalancerNodePorts'];

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** NL003: the Service of a node-local pair has no fields for traffic from outside the cluster. */
export const serviceExternalFields: Rule = {
  id: 'NL003',
  name: 'service-external-fields',
  severity: Severity.ERROR,
  summary: 'The Service of a node-local pair sets no externalTrafficPolicy, externalIPs, loadBalancer* field or nodePort.',
  reason: 'These fields are for traffic from outside the cluster, which internalTrafficPolicy does not govern: externalIPs '
    + 'expose the DaemonSet on addresses routed by externalTrafficPolicy (not node-local), and externalTrafficPolicy, '
    + 'nodePort and the loadBalancer fields are rejected by the API server on a ClusterIP Service or ignored by it. '
    + 'An empty externalIPs list (as cdk8s-plus writes it) is harmless. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/ and '
    + 'https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy',
  fix: 'Remove the field; serve outside clients with a separate Service if they need the DaemonSet.',
  check: (context) => context.checkedServices.flatMap((service) => {
    const found: Violation[] = [];
    const name = service.object.display;
    const spec = asObject(service.spec) ?? {};
    for (const [key, value] of Object.entries(spec)) {
      if (isEmpty(value)) {
        continue;
      }
      if (key === 'externalIPs') {
        found.push(violation(service.object, '/spec/externalIPs',
          `${name} has externalIPs ${show(value)}: traffic to those addresses comes from outside the cluster and is `
          + 'routed by externalTrafficPolicy, not internalTrafficPolicy, so it is not node-local and exposes the node agent',
          `Remove spec.externalIPs from ${name} (or set it to [])`));
      } else if (key.startsWith('loadBalancer') || EXTERNAL_ONLY.includes(key)) {
        found.push(violation(service.object, pointer('/spec', key),
          `${name} has ${key} ${show(value)}: the field only applies to traffic from outside the cluster (NodePort and `
          + 'LoadBalancer Services), which internalTrafficPolicy does not govern; on a ClusterIP Service the API server '
          + 'rejects or ignores it',
          `Remove spec.${key} from ${name}`));
      }
    }
    for (const port of service.ports) {
      const nodePort = getIn(port.raw, 'nodePort');
      if (!isEmpty(nodePort) && nodePort !== 0) {
        found.push(violation(service.object, `${port.path}/nodePort`,
          `${name} ${port.display} has nodePort ${show(nodePort)}: a node port receives traffic from outside the cluster, `
          + 'routed by externalTrafficPolicy rather than internalTrafficPolicy, and the API server rejects it on a ClusterIP Service',
          `Remove nodePort from spec.ports[${port.index}] of ${name}`));
      }
    }
    return found;
  }),
};
