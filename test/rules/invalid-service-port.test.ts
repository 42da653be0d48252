import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL008';

describe('NL008 invalid-service-port', () => {
  test('valid ports are compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('a single port needs no name, and targetPort 0 or "" means the port', () => {
    expect(lintBoth(pair((_ds, svc) => { svc.spec.ports = [{ port: 8053, protocol: 'UDP', targetPort: 0 }]; }), ID)).toEqual([]);
    expect(lintBoth(pair((_ds, svc) => { svc.spec.ports = [{ port: 8053, protocol: 'UDP', targetPort: '' }]; }), ID)).toEqual([]);
  });

  test('a port name is a DNS-1123 label and may be longer than a container port name', () => {
    expect(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].name = 'dns-over-tcp-for-clients'; }), ID)).toEqual([]);
  });

  test.each([[0], [70000], [53.5], ['53'], [undefined]])('fails if the port is %p', (port) => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[0].port = port; }), ID));
    expect(finding).toMatchObject({
      ruleId: ID, ruleName: 'invalid-service-port', severity: Severity.ERROR, resource: SVC_REF, path: '/spec/ports/0/port', manifestIndex: 1,
    });
    expect(finding.message).toBe(`${SVC} spec.ports[0] has port ${port === undefined ? 'undefined' : JSON.stringify(port)}, `
      + 'not an integer in 1-65535: the API server rejects the Service');
    expect(finding.fix).toBe(`Set port of spec.ports[0] of ${SVC} to an integer in 1-65535`);
  });

  test('fails if the protocol is not TCP, UDP or SCTP', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[0].protocol = 'udp'; }), ID));
    expect(finding.path).toBe('/spec/ports/0/protocol');
    expect(finding.message).toBe(`${SVC} port "dns" (53/udp) has protocol "udp": the API server rejects the Service, it `
      + 'accepts only TCP, UDP and SCTP (upper case)');
  });

  test.each([[70000], [-1], [8053.5], [true], [{ port: 1 }]])('fails if the targetPort is %p', (targetPort) => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[0].targetPort = targetPort; }), ID));
    expect(finding.path).toBe('/spec/ports/0/targetPort');
    expect(finding.message).toBe(`${SVC} port "dns" (53/UDP) has targetPort ${JSON.stringify(targetPort)}, neither an `
      + 'integer in 1-65535 nor a port name: the API server rejects the Service');
  });

  test.each([
    ['DNS', 'it may contain only lower case letters, digits and \'-\''],
    ['dns-over-tcp-port', 'it is 17 characters long, a port name has 1 to 15'],
    ['dns--tcp', 'it must not contain two adjacent hyphens'],
    ['-dns', 'it must not start or end with a hyphen'],
    ['dns_tcp', 'it may contain only lower case letters, digits and \'-\''],
  ])('fails if the named targetPort %p is not a port name', (targetPort, why) => {
    const finding = single(lintBoth(pair((ds, svc) => {
      svc.spec.ports[1].targetPort = targetPort;
      ds.spec.template.spec.containers[0].ports[1].name = targetPort;
    }), ID));
    expect(finding.path).toBe('/spec/ports/1/targetPort');
    expect(finding.message).toBe(`${SVC} port "dns-tcp" (53/TCP) has targetPort "${targetPort}", which is not a valid port `
      + `name (${why}): the API server rejects the Service`);
    expect(finding.fix).toMatch(/^Set targetPort of spec.ports\[1\] of .* to a port name of at most 15 lower case letters/);
  });

  test('fails if the targetPort is a quoted number', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].targetPort = '8053'; }), ID));
    expect(finding.message).toContain('(it must contain at least one letter): the API server rejects the Service; a quoted number is a name, not a number');
    expect(finding.fix).toBe(`Write targetPort of spec.ports[1] of ${SVC} as the number 8053, without quotes`);
  });

  test('fails if a port name is not a DNS-1123 label', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].name = 'DNS_TCP'; }), ID));
    expect(finding.path).toBe('/spec/ports/1/name');
    expect(finding.message).toBe(`${SVC} spec.ports[1] has name "DNS_TCP", which is not a DNS-1123 label (it must consist of `
      + 'lower case letters, digits and \'-\', and start and end with a letter or digit): the API server rejects the Service');
    expect(finding.fix).toBe(`Rename spec.ports[1] of ${SVC} to lower case letters, digits and '-', e.g. "dns-tcp"`);
  });

  test('fails if a port name is not a string', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].name = 53; }), ID));
    expect(finding.path).toBe('/spec/ports/1/name');
    expect(finding.message).toBe(`${SVC} spec.ports[1] has name 53, not a string: the API server rejects the Service`);
  });

  test('fails if a port of a multi-port Service has no name', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { delete svc.spec.ports[1].name; }), ID));
    expect(finding.path).toBe('/spec/ports/1/name');
    expect(finding.message).toBe(`${SVC} has 2 ports and spec.ports[1] (port 53/TCP) has no name: the API server rejects the `
      + 'Service, every port of a multi-port Service needs a name');
  });

  test('fails if a port is not an object', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1] = 53; }), ID));
    expect(finding.path).toBe('/spec/ports/1');
    expect(finding.message).toBe(`${SVC} spec.ports[1] is 53, not a port: the API server rejects the Service`);
  });

  test.each([
    ['no ports', undefined, 'no ports'],
    ['an empty list', [], 'an empty list of ports'],
    ['not a list', 53, 'ports 53, not a list'],
  ])('fails if the Service has %s', (_what, ports, found) => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports = ports; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, path: '/spec/ports', manifestIndex: 1, resource: SVC_REF });
    expect(finding.message).toBe(`${SVC} has ${found}: the API server rejects a ClusterIP Service without ports, so the pair has no Service`);
  });
});
