import { declaredPorts, findContainerPort, showContainerPort } from './shared';
import { Severity } from '../lint/finding';
import { show } from '../lint/json';
import { isPortNumber } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL106: a numeric targetPort is a port a container of the DaemonSet declares. */
export const targetPortUndeclared: Rule = {
  id: 'NL106',
  name: 'target-port-undeclared',
  severity: Severity.WARNING,
  summary: 'Each numeric targetPort of the node-local Service (or its port, when targetPort is unset) is declared by a container of the DaemonSet for that protocol.',
  reason: 'Kubernetes forwards a numeric targetPort as is, whether a container declares it or not, so nothing catches a '
    + 'number that does not match what the agent listens on (a Service port 53 left without targetPort in front of an agent '
    + 'on 8053): connections are refused on every node. Declaring the port and targeting it by name makes the link explicit. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports',
  fix: 'Declare the port on the serving container (with a name) and target it by name, or correct the number.',
  limits: 'It compares the numbers with the container ports the DaemonSet declares; a process that listens on a port '
    + 'it does not declare works although the rule reports it, so declaring the port is the fix.',
  trafficModes: ALL_MODES,
  check: (context) => context.pairs.flatMap(({ service, daemonSet }) => {
    const found: Violation[] = [];
    for (const port of service.ports) {
      const target = port.target;
      if (target.type !== 'number' || !isPortNumber(target.value)) {
        continue; // names are NL006's, invalid numbers NL008's
      }
      const value = target.value;
      if (findContainerPort(daemonSet, (p) => p.containerPort === value && p.protocol === port.protocol) !== undefined) {
        continue;
      }
      const sameProtocol = daemonSet.servingContainers.flatMap((c) => c.ports.filter((p) => p.protocol === port.protocol));
      const only = sameProtocol.length === 1 ? sameProtocol[0] : undefined;
      const suggestion = only !== undefined
        ? `; or, if the agent serves this port on ${showContainerPort(only)} (the only ${port.protocol} port it declares), `
          + `set targetPort to ${only.name !== undefined ? show(only.name) : show(only.containerPort)}`
        : '';
      found.push(violation(service.object, `${port.path}/targetPort`,
        `${service.object.display} ${port.display} forwards to ${value}/${port.protocol}`
        + `${target.defaulted ? ' (targetPort is unset, so it is the same as port)' : ''}, which no container of `
        + `${daemonSet.object.display} declares (${declaredPorts(daemonSet)}): Kubernetes forwards to it `
        + 'anyway, so unless the agent listens on exactly that port every node refuses the connections',
        `Declare containerPort ${value} with protocol ${port.protocol} and a name on the serving container of `
        + `${daemonSet.object.display} and set targetPort of spec.ports[${port.index}] of ${service.object.display} to that name${suggestion}`));
    }
    return found;
  }),
};
