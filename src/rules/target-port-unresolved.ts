import { declaredPorts, findContainerPort, showContainerPort } from './shared';
import { WorkloadInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { show } from '../lint/json';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** The named ports of a protocol, for the fix: `"dns-tcp" 8053/TCP, "metrics" 9153/TCP`. */
function candidates(daemonSet: WorkloadInfo, protocol: string): string {
  const named = daemonSet.servingContainers
    .flatMap((c) => c.ports.filter((p) => p.protocol === protocol && p.name !== undefined))
    .map(showContainerPort);
  return named.length === 0 ? `it declares no named ${protocol} port yet` : named.join(', ');
}

/** NL006: a named targetPort resolves to a container port of the DaemonSet. */
export const targetPortUnresolved: Rule = {
  id: 'NL006',
  name: 'target-port-unresolved',
  severity: Severity.ERROR,
  summary: 'Each named targetPort of the node-local Service names a container port of the DaemonSet with the same protocol.',
  reason: 'Kubernetes resolves a named targetPort per pod (FindPort): it takes the first port of the pod\'s containers '
    + '(and sidecar init containers) with that name and the same protocol. If none matches, the pod is left out of the '
    + 'endpoints of that Service port, so with internalTrafficPolicy: Local every node drops its traffic. '
    + 'A typical case is a port named "dns" declared for UDP only while the Service also has a TCP port "dns". '
    + 'See https://github.com/kubernetes/kubernetes/blob/master/pkg/api/v1/pod/util.go (FindPort) and '
    + 'https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports',
  fix: 'Name a container port of the DaemonSet like the targetPort, with the Service port\'s protocol, or target a port it declares.',
  limits: 'It resolves a named targetPort against the container ports the DaemonSet declares, as Kubernetes does; '
    + 'whether the process really listens on that port is invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.pairs.flatMap(({ service, daemonSet }) => {
    const found: Violation[] = [];
    for (const port of service.ports) {
      if (port.target.type !== 'name') {
        continue;
      }
      const wanted = port.target.name;
      if (findContainerPort(daemonSet, (p) => p.name === wanted && p.protocol === port.protocol) !== undefined) {
        continue;
      }
      const otherProtocols = daemonSet.servingContainers
        .flatMap((c) => c.ports.filter((p) => p.name === wanted).map((p) => p.protocol));
      const hint = otherProtocols.length > 0
        ? `it declares ${show(wanted)} for ${otherProtocols.join(', ')} only`
        : declaredPorts(daemonSet);
      found.push(violation(service.object, `${port.path}/targetPort`,
        `${service.object.display} ${port.display} targets the port named ${show(wanted)}, but no container of `
        + `${daemonSet.object.display} declares a ${port.protocol} port with that name (${hint}): the DaemonSet's pods are `
        + 'no endpoint of this Service port, so every node drops its traffic',
        `Add a ${port.protocol} port named ${show(wanted)} to the serving container of ${daemonSet.object.display} `
        + `(spec.template.spec.containers[].ports), or set targetPort of spec.ports[${port.index}] of ${service.object.display} `
        + `to a ${port.protocol} port it declares (${candidates(daemonSet, port.protocol)})`));
    }
    return found;
  }),
};
