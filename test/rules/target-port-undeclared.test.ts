import { DS, lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL106';

describe('NL106 target-port-undeclared', () => {
  test('a numeric targetPort a container declares for the protocol is compliant', () => {
    expect(lintBoth(pair((_ds, svc) => { svc.spec.ports[0].targetPort = 8053; svc.spec.ports[1].targetPort = 8053; }), ID)).toEqual([]);
  });

  test('fails if no container declares the numeric targetPort', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[0].targetPort = 5353; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'target-port-undeclared',
      severity: Severity.WARNING,
      resource: SVC_REF,
      path: '/spec/ports/0/targetPort',
      manifestIndex: 1,
      message: `${SVC} port "dns" (53/UDP) forwards to 5353/UDP, which no container of ${DS} declares (its ports are `
        + '"dns" 8053/UDP, "dns-tcp" 8053/TCP): Kubernetes forwards to it anyway, so unless the agent listens on exactly '
        + 'that port every node refuses the connections',
      fix: `Declare containerPort 5353 with protocol UDP and a name on the serving container of ${DS} and set targetPort of `
        + `spec.ports[0] of ${SVC} to that name; or, if the agent serves this port on "dns" 8053/UDP (the only UDP port it declares), `
        + 'set targetPort to "dns"',
    });
  });

  test('fails if targetPort is unset and the port is not declared', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { delete svc.spec.ports[1].targetPort; }), ID));
    expect(finding.path).toBe('/spec/ports/1/targetPort');
    expect(finding.message).toContain('forwards to 53/TCP (targetPort is unset, so it is the same as port), which no container');
  });

  test('fails if the number is declared for another protocol only', () => {
    const finding = single(lintBoth(pair((ds, svc) => {
      ds.spec.template.spec.containers[0].ports = [{ name: 'dns', containerPort: 8053, protocol: 'UDP' }];
      svc.spec.ports = [{ name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 8053 }];
    }), ID));
    expect(finding.message).toContain('forwards to 8053/TCP, which no container of');
    expect(finding.fix).not.toContain('the only');
  });
});
