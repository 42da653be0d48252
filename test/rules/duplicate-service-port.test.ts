import { lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL007';

describe('NL007 duplicate-service-port', () => {
  test('the same port number with two protocols is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('fails if two ports have the same number and protocol', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].protocol = 'UDP'; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'duplicate-service-port',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/ports/1/port',
      manifestIndex: 1,
      message: `${SVC} spec.ports[1] repeats 53/UDP of spec.ports[0]: the API server rejects the Service`,
      fix: `Remove spec.ports[1] from ${SVC}, or give it another port number or protocol`,
    });
  });

  test('fails if two ports repeat 53/TCP, one of them by default', () => {
    const finding = single(lintBoth(pair((_ds, svc) => {
      svc.spec.ports.push({ name: 'dns-tcp-2', port: 53, targetPort: 'dns-tcp' });
    }), ID));
    expect(finding.path).toBe('/spec/ports/2/port');
    expect(finding.message).toContain('spec.ports[2] repeats 53/TCP of spec.ports[1]');
  });

  test('fails if two ports have the same name', () => {
    const finding = single(lintBoth(pair((_ds, svc) => { svc.spec.ports[1].name = 'dns'; }), ID));
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, resource: SVC_REF, path: '/spec/ports/1/name', manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} spec.ports[1] repeats the name "dns" of spec.ports[0]: the API server rejects the Service`);
    expect(finding.fix).toBe(`Rename spec.ports[1] of ${SVC} to a name no other port has`);
  });
});
