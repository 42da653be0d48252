import { DECLARED, DS, DS_REF, lintBoth, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL101';

describe('NL101 missing-readiness-probe', () => {
  test('a serving container with a readinessProbe is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('a container that serves no Service port needs no probe', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.containers.push({ name: 'log-shipper', image: 'shipper', ports: [{ name: 'metrics', containerPort: 9100 }] });
    }), ID)).toEqual([]);
  });

  test('fails if the serving container has no readinessProbe, once for all its ports', () => {
    const finding = single(lintBoth(pair((ds) => { delete ds.spec.template.spec.containers[0].readinessProbe; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'missing-readiness-probe',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: '/spec/template/spec/containers/0/readinessProbe',
      manifestIndex: 0,
      message: `${DS} container "main" serves ${SVC} port "dns" (53/UDP), ${SVC} port "dns-tcp" (53/TCP) but has no `
        + 'readinessProbe: the pod is ready as soon as the container starts, so the node\'s traffic reaches it before it '
        + 'listens and while it hangs, and with internalTrafficPolicy Local there is no other endpoint to fall back to',
      fix: `Add a readinessProbe to container "main" of ${DS} that checks the served port (e.g. readinessProbe: {tcpSocket: {port: <the container port>}})`,
    });
  });

  test('fails for the container that declares a numeric targetPort', () => {
    const finding = single(lintBoth(pair((ds, svc) => {
      svc.spec.ports = [{ name: 'metrics', port: 9100, targetPort: 9100 }];
      ds.spec.template.spec.containers.push({ name: 'exporter', image: 'exporter', ports: [{ containerPort: 9100 }] });
    }), ID));
    expect(finding.path).toBe('/spec/template/spec/containers/1/readinessProbe');
    expect(finding.message).toContain('container "exporter" serves');
  });

  test('fails for the only container when it does not declare the numeric port', () => {
    const finding = single(lintBoth(pair((ds, svc) => {
      svc.spec.ports = [{ port: 53, protocol: 'UDP' }];
      delete ds.spec.template.spec.containers[0].readinessProbe;
    }), ID));
    expect(finding.path).toBe('/spec/template/spec/containers/0/readinessProbe');
  });

  test('fails for a sidecar that serves a named port', () => {
    const finding = single(lintBoth(pair((ds) => {
      const main = ds.spec.template.spec.containers[0];
      ds.spec.template.spec.initContainers = [{ name: 'tcp-proxy', image: 'proxy', restartPolicy: 'Always', ports: [main.ports[1]] }];
      main.ports = [main.ports[0]];
    }), ID));
    expect(finding.path).toBe('/spec/template/spec/initContainers/0/readinessProbe');
    expect(finding.message).toContain(`init container "tcp-proxy" serves ${SVC} port "dns-tcp" (53/TCP) but has no readinessProbe`);
  });

  test('a container serving two declared Services is reported once', () => {
    const [ds, svc] = pair((d) => { delete d.spec.template.spec.containers[0].readinessProbe; });
    const svc2 = { ...svc, metadata: { ...svc.metadata, name: 'node-dns-2' } };
    const options = { pairs: [...DECLARED.pairs!, { service: { ...SVC_REF, name: 'node-dns-2' }, daemonSet: DS_REF }] };
    const finding = single(lintManifests([ds, svc, svc2], options).filter((f) => f.ruleId === ID));
    expect(finding.message).toContain('Service infra/node-dns-2 port "dns-tcp" (53/TCP) but has no readinessProbe');
  });
});
