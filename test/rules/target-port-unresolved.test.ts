import { lintBoth, DS, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL006';

describe('NL006 target-port-unresolved', () => {
  test('named targetPorts that match a container port name and protocol are compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('fails if no container port has the name', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.containers[0].ports[1].name = 'dnstcp'; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'target-port-unresolved',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/ports/1/targetPort',
      manifestIndex: 1,
      message: `${SVC} port "dns-tcp" (53/TCP) targets the port named "dns-tcp", but no container of ${DS} declares a TCP `
        + 'port with that name (its ports are "dns" 8053/UDP, "dnstcp" 8053/TCP): the DaemonSet\'s pods are no endpoint of '
        + 'this Service port, so every node drops its traffic',
      fix: `Add a TCP port named "dns-tcp" to the serving container of ${DS} (spec.template.spec.containers[].ports), or set `
        + `targetPort of spec.ports[1] of ${SVC} to a TCP port it declares ("dnstcp" 8053/TCP)`,
    });
  });

  test('fails if the named port has another protocol (FindPort matches name and protocol)', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].targetPort = 'dns'; }), ID));
    expect(finding.path).toBe('/spec/ports/1/targetPort');
    expect(finding.message).toContain('targets the port named "dns", but no container of');
    expect(finding.message).toContain('declares a TCP port with that name (it declares "dns" for UDP only)');
    expect(finding.fix).toContain('to a TCP port it declares ("dns-tcp" 8053/TCP)');
  });

  test('an absent protocol is TCP on both sides', () => {
    expect(lintBoth(pair((ds, svc) => {
      delete ds.spec.template.spec.containers[0].ports[1].protocol;
      delete svc.spec.ports[1].protocol;
    }), ID)).toEqual([]);
    expect(single(lintBoth(pair((ds) => { delete ds.spec.template.spec.containers[0].ports[0].protocol; }), ID)).path)
      .toBe('/spec/ports/0/targetPort');
  });

  test('a named port of any container resolves', () => {
    expect(lintBoth(pair((ds) => {
      const main = ds.spec.template.spec.containers[0];
      main.ports = [main.ports[0]];
      ds.spec.template.spec.containers.push({ name: 'tcp-proxy', image: 'proxy', ports: [{ name: 'dns-tcp', containerPort: 8054 }], readinessProbe: { tcpSocket: { port: 8054 } } });
    }), ID)).toEqual([]);
  });

  test('a named port of a sidecar (init container with restartPolicy Always) resolves', () => {
    expect(lintBoth(pair((ds) => {
      const main = ds.spec.template.spec.containers[0];
      ds.spec.template.spec.initContainers = [{ name: 'proxy', image: 'proxy', restartPolicy: 'Always', ports: [main.ports[1]], readinessProbe: { tcpSocket: { port: 8053 } } }];
      main.ports = [main.ports[0]];
    }), ID)).toEqual([]);
  });

  test('fails if the named port is only on a plain init container', () => {
    const finding = single(lintBoth(pair((ds) => {
      const main = ds.spec.template.spec.containers[0];
      ds.spec.template.spec.initContainers = [{ name: 'setup', image: 'setup', ports: [main.ports[1]] }];
      main.ports = [main.ports[0]];
    }), ID));
    expect(finding.message).toContain('(its ports are "dns" 8053/UDP)');
  });

  test('fails for every unresolved port if the DaemonSet declares no ports', () => {
    const findings = lintBoth(pair((ds) => { delete ds.spec.template.spec.containers[0].ports; }), ID);
    // one finding for the Service, naming both ports, at the first one's field
    expect(findings.map((f) => f.path)).toEqual(['/spec/ports/0/targetPort']);
    expect(findings[0].message).toMatch(/^2 problems: \(1\) .*port "dns" .*; \(2\) .*port "dns-tcp"/);
    expect(findings[0].message).toContain('(it declares no ports)');
    expect(findings[0].fix).toContain('to a UDP port it declares (it declares no named UDP port yet)');
  });
});
