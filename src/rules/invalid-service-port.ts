import { ServiceInfo, ServicePortInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { asObject, getIn, show } from '../lint/json';
import { dns1123LabelError, ianaServiceNameError, isPortNumber, PORT_PROTOCOLS } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

function checkPort(service: ServiceInfo, port: ServicePortInfo, multiPort: boolean): Violation[] {
  const found: Violation[] = [];
  const name = service.object.display;
  const at = `spec.ports[${port.index}] of ${name}`;
  const rejected = 'the API server rejects the Service';
  if (asObject(port.raw) === undefined) {
    return [violation(service.object, port.path, `${name} spec.ports[${port.index}] is ${show(port.raw)}, not a port: ${rejected}`,
      `Replace ${at} with a port, e.g. {name: dns, port: 53, protocol: UDP, targetPort: dns}`)];
  }
  if (!isPortNumber(port.port)) {
    found.push(violation(service.object, `${port.path}/port`,
      `${name} spec.ports[${port.index}] has port ${show(port.port)}, not an integer in 1-65535: ${rejected}`,
      `Set port of ${at} to an integer in 1-65535`));
  }
  const protocol = getIn(port.raw, 'protocol');
  if (protocol !== undefined && protocol !== null && !PORT_PROTOCOLS.includes(protocol as string)) {
    found.push(violation(service.object, `${port.path}/protocol`,
      `${name} ${port.display} has protocol ${show(protocol)}: ${rejected}, it accepts only TCP, UDP and SCTP (upper case)`,
      `Set protocol of ${at} to TCP, UDP or SCTP`));
  }
  const target = port.target;
  if (target.type === 'invalid' || (target.type === 'number' && !target.defaulted && !isPortNumber(target.value))) {
    found.push(violation(service.object, `${port.path}/targetPort`,
      `${name} ${port.display} has targetPort ${show(target.value)}, neither an integer in 1-65535 nor a port name: ${rejected}`,
      `Set targetPort of ${at} to the name of the DaemonSet's container port, or to its number`));
  } else if (target.type === 'name') {
    const error = ianaServiceNameError(target.name);
    if (error !== undefined) {
      found.push(violation(service.object, `${port.path}/targetPort`,
        `${name} ${port.display} has targetPort ${show(target.name)}, which is not a valid port name (${error}): ${rejected}`
        + (/^[0-9]+$/.test(target.name) ? '; a quoted number is a name, not a number' : ''),
        /^[0-9]+$/.test(target.name)
          ? `Write targetPort of ${at} as the number ${target.name}, without quotes`
          : `Set targetPort of ${at} to a port name of at most 15 lower case letters, digits and single hyphens, named alike on the container port`));
    }
  }
  const rawName = getIn(port.raw, 'name');
  if (rawName !== undefined && rawName !== null && typeof rawName !== 'string') {
    found.push(violation(service.object, `${port.path}/name`,
      `${name} spec.ports[${port.index}] has name ${show(rawName)}, not a string: ${rejected}`,
      `Set name of ${at} to a lower case name such as "dns"`));
  } else if (port.name !== undefined) {
    const error = dns1123LabelError(port.name);
    if (error !== undefined) {
      found.push(violation(service.object, `${port.path}/name`,
        `${name} spec.ports[${port.index}] has name ${show(port.name)}, which is not a DNS-1123 label (${error}): ${rejected}`,
        `Rename spec.ports[${port.index}] of ${name} to lower case letters, digits and '-', e.g. ${show(port.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'port')}`));
    }
  } else if (multiPort) {
    found.push(violation(service.object, `${port.path}/name`,
      `${name} has ${service.ports.length} ports and spec.ports[${port.index}] (${port.display}) has no name: `
      + `${rejected}, every port of a multi-port Service needs a name`,
      `Give spec.ports[${port.index}] of ${name} a unique name, e.g. the name of the container port it targets`));
  }
  return found;
}

/** NL008: the ports of the node-local Service are valid. */
export const invalidServicePort: Rule = {
  id: 'NL008',
  name: 'invalid-service-port',
  severity: Severity.ERROR,
  summary: 'The node-local Service has ports, each with a valid port number, protocol, targetPort and name.',
  reason: 'The API server rejects a ClusterIP Service without ports, a port or numeric targetPort outside 1-65535, a '
    + 'protocol other than TCP, UDP or SCTP, a named targetPort that is not a valid port name (at most 15 lower case '
    + 'letters, digits and single inner hyphens, with a letter), a port name that is not a DNS-1123 label, and a port '
    + 'without a name when there are several; the pair is then not deployed. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services and '
    + 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go (validateServicePort)',
  fix: 'Correct the port as the finding says.',
  limits: 'It checks the port fields the API server validates; whether the agent speaks the protocol, or listens at '
    + 'all, is invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const rawPorts = getIn(service.spec, 'ports');
    const name = service.object.display;
    if (!Array.isArray(rawPorts) || rawPorts.length === 0) {
      const found = rawPorts === undefined || rawPorts === null ? 'no ports'
        : Array.isArray(rawPorts) ? 'an empty list of ports' : `ports ${show(rawPorts)}, not a list`;
      return [violation(service.object, '/spec/ports',
        `${name} has ${found}: the API server rejects a ClusterIP Service without ports, so the pair has no Service`,
        `Add the DaemonSet's ports to spec.ports of ${name}, e.g. [{name: dns, port: 53, protocol: UDP, targetPort: dns}]`)];
    }
    return service.ports.flatMap((port) => checkPort(service, port, service.ports.length > 1));
  }),
};
