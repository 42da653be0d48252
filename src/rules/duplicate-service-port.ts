import { ServicePortInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { show } from '../lint/json';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL007: no two ports of the Service share a (port, protocol) pair or a name. */
export const duplicateServicePort: Rule = {
  id: 'NL007',
  name: 'duplicate-service-port',
  severity: Severity.ERROR,
  summary: 'The node-local Service has no two ports with the same port number and protocol, and no two with the same name.',
  reason: 'The API server rejects a Service whose ports repeat a (port, protocol) pair or a name (spec.ports[i]: Duplicate value), '
    + 'so the Service is never created or updated and the pair drops traffic or keeps stale ports. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services',
  fix: 'Remove the duplicate port, or give it another number, protocol or name.',
  limits: 'It checks the ports as written; ports added by a later patch in the cluster are invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const found: Violation[] = [];
    const byNumber = new Map<string, ServicePortInfo>();
    const byName = new Map<string, ServicePortInfo>();
    const name = service.object.display;
    for (const port of service.ports) {
      if (port.port !== undefined && port.port !== null) {
        const key = `${show(port.port)}/${port.protocol}`;
        const first = byNumber.get(key);
        if (first === undefined) {
          byNumber.set(key, port);
        } else {
          found.push(violation(service.object, `${port.path}/port`,
            `${name} spec.ports[${port.index}] repeats ${key} of spec.ports[${first.index}]: the API server rejects the Service`,
            `Remove spec.ports[${port.index}] from ${name}, or give it another port number or protocol`));
        }
      }
      if (port.name !== undefined) {
        const first = byName.get(port.name);
        if (first === undefined) {
          byName.set(port.name, port);
        } else {
          found.push(violation(service.object, `${port.path}/name`,
            `${name} spec.ports[${port.index}] repeats the name ${show(port.name)} of spec.ports[${first.index}]: the API server rejects the Service`,
            `Rename spec.ports[${port.index}] of ${name} to a name no other port has`));
        }
      }
    }
    return found;
  }),
};
