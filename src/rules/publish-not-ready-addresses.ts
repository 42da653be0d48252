import { Severity } from '../lint/finding';
import { getIn } from '../lint/json';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** NL108: the Service only routes to ready pods. */
export const publishNotReadyAddresses: Rule = {
  id: 'NL108',
  name: 'publish-not-ready-addresses',
  severity: Severity.WARNING,
  summary: 'The node-local Service does not set spec.publishNotReadyAddresses: true.',
  reason: 'With publishNotReadyAddresses every pod counts as a ready endpoint, whatever its readiness probe says: the '
    + 'node\'s traffic goes to the local pod while it starts, while it fails its probe and while it is replaced, and with '
    + 'internalTrafficPolicy Local there is no other endpoint (with trafficDistribution PreferSameNode, the local pod is never '
    + 'absent, so the traffic never falls back to another node), so those connections fail. The field is meant for '
    + 'peer discovery of StatefulSets, not for a node-local Service. '
    + 'See https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec',
  fix: 'Remove spec.publishNotReadyAddresses (false is the default).',
  limits: 'It reads the field as written; a webhook that sets it in the cluster is invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    if (getIn(service.spec, 'publishNotReadyAddresses') !== true) {
      return [];
    }
    const name = service.object.display;
    // under PreferSameNode another node's agent would take the traffic, but a local pod that
    // counts as ready is never absent, so the fallback never happens
    const nowhereElse = service.mode === 'PreferSameNode'
      ? 'and since that pod always counts as an endpoint, trafficDistribution PreferSameNode never falls back to another node\'s agent'
      : 'and under internalTrafficPolicy Local there is no other endpoint to take it';
    return [violation(service.object, '/spec/publishNotReadyAddresses',
      `${name} has publishNotReadyAddresses: true: the node's traffic goes to the local pod even when it is not ready `
      + `(starting, failing its readiness probe, being replaced), ${nowhereElse}`,
      `Remove spec.publishNotReadyAddresses from ${name}`)];
  }),
};
