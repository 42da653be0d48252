import { SERVICE_TYPES, serviceType } from './service-not-cluster-ip';
import { Severity } from '../lint/finding';
import { asArray, getIn, pointer, show } from '../lint/json';
import { ALL_MODES, Rule, violation } from '../lint/rule';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && value !== 0 && !(Array.isArray(value) && value.length === 0);
}

/** A field the API server rejects for the Service's type. */
interface Rejected {
  readonly path: string;
  readonly field: string;
  readonly value: unknown;
  readonly why: string;
}

/** NL003: the Service of a node-local pair sets no field the API server rejects for its type. */
export const serviceExternalFields: Rule = {
  id: 'NL003',
  name: 'service-external-fields',
  severity: Severity.ERROR,
  summary: 'The Service of a node-local pair sets no field for traffic from outside the cluster that the API server rejects '
    + 'for its type (nodePort, externalTrafficPolicy, healthCheckNodePort, loadBalancerSourceRanges, loadBalancerClass, '
    + 'allocateLoadBalancerNodePorts).',
  reason: 'The fields for traffic from outside the cluster are validated against the Service\'s type: a nodePort may not be '
    + 'used on a ClusterIP Service; externalTrafficPolicy may only be set on an externally accessible Service (NodePort, '
    + 'LoadBalancer, or ClusterIP with externalIPs); loadBalancerSourceRanges, loadBalancerClass and '
    + 'allocateLoadBalancerNodePorts only on a LoadBalancer; healthCheckNodePort only on a LoadBalancer with '
    + 'externalTrafficPolicy Local. The API server rejects the Service otherwise ("may only be set for externally-accessible '
    + 'services"), so it is never created or updated and the pair drops traffic or keeps its old spec. Fields a Service of '
    + 'that type takes are not reported: a NodePort or LoadBalancer node-local Service is legitimate. '
    + 'See https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy and '
    + 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go (ValidateService)',
  fix: 'Remove the field, or give the Service the type that takes it (NodePort or LoadBalancer).',
  limits: 'It knows which fields the API server rejects for each Service type as the Kubernetes API defines them today; an '
    + 'admission webhook that strips fields, or a field added by a later Kubernetes version, is invisible. A field the API '
    + 'server accepts but ignores (loadBalancerIP on a ClusterIP Service) changes no traffic and is not reported.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const type = serviceType(service.spec);
    if (typeof type !== 'string' || !SERVICE_TYPES.includes(type) || type === 'ExternalName') {
      return []; // NL002 reports the type itself
    }
    const spec = service.spec;
    const name = service.object.display;
    const rejected: Rejected[] = [];
    const field = (key: string, why: string): void => {
      const value = getIn(spec, key);
      if (isSet(value)) {
        rejected.push({ path: pointer('/spec', key), field: key, value, why });
      }
    };
    const externallyAccessible = type !== 'ClusterIP' || asArray(getIn(spec, 'externalIPs')).length > 0;
    if (!externallyAccessible) {
      field('externalTrafficPolicy', 'may only be set for externally accessible Services (NodePort, LoadBalancer, or ClusterIP with externalIPs)');
    }
    if (type !== 'LoadBalancer') {
      for (const key of ['loadBalancerSourceRanges', 'loadBalancerClass', 'allocateLoadBalancerNodePorts']) {
        field(key, 'may only be used when type is LoadBalancer');
      }
      field('healthCheckNodePort', 'may only be set when type is LoadBalancer and externalTrafficPolicy is Local');
    } else if (getIn(spec, 'externalTrafficPolicy') !== 'Local') {
      field('healthCheckNodePort', 'may only be set when externalTrafficPolicy is Local');
    }
    if (type === 'ClusterIP') {
      for (const port of service.ports) {
        const nodePort = getIn(port.raw, 'nodePort');
        if (isSet(nodePort)) {
          rejected.push({ path: `${port.path}/nodePort`, field: `nodePort of ${port.display}`, value: nodePort, why: 'may not be used when type is ClusterIP' });
        }
      }
    }
    if (rejected.length === 0) {
      return [];
    }
    const listed = rejected.map((r) => `${r.field} ${show(r.value)} (${r.why})`).join(', ');
    const removals = rejected.map((r) => r.path.slice(1).replace(/\//g, '.').replace(/\.([0-9]+)\./g, '[$1].')).join(', ');
    const retype = type === 'LoadBalancer' ? '' : ', or give it the type that takes them if clients outside the cluster need them';
    return [violation(service.object, rejected[0].path,
      `${name} is a ${type} Service with ${listed}: the API server rejects the Service, so it is never created or updated `
      + 'and the node-local pair is not deployed as written',
      `Remove ${removals} from ${name}${retype}`)];
  }),
};
