import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL120';
const WINDOW = 'each node\'s old pod is stopped as soon as its replacement is Ready, before kube-proxy has programmed the new '
  + 'endpoint (up to about 10 s on a busy node), and the old process stops listening at SIGTERM, so for that window the Local '
  + 'Service sends the node\'s clients to an endpoint that is going away, on every node, on every rollout';
const FIX = `Set spec.minReadySeconds: 10 on ${DS}, so the new endpoint is programmed before the old pod stops, or give container "main" `
  + 'a preStop delay that keeps the old pod serving while the endpoints change (lifecycle.preStop.sleep.seconds: 5 from '
  + 'Kubernetes 1.30, no binary needed) with terminationGracePeriodSeconds above it';

/** The fixture pair with the given minReadySeconds (undefined: unset) and preStop hook on the serving container. */
function handover(minReadySeconds: unknown, preStop?: unknown): any[] {
  return pair((ds) => {
    if (minReadySeconds === undefined) {
      delete ds.spec.minReadySeconds;
    } else {
      ds.spec.minReadySeconds = minReadySeconds;
    }
    if (preStop !== undefined) {
      ds.spec.template.spec.containers[0].lifecycle = { preStop };
    }
  });
}

describe('NL120 handover-window', () => {
  test('minReadySeconds of 10 or more is compliant', () => {
    expect(lintBoth(handover(10), ID)).toEqual([]);
    expect(lintBoth(handover(30), ID)).toEqual([]);
  });

  test.each([
    ['a preStop sleep action', { sleep: { seconds: 5 } }],
    ['an exec sleep', { exec: { command: ['sleep', '5'] } }],
    ['an exec sleep through a shell', { exec: { command: ['/bin/sh', '-c', 'sleep 5 && kill -QUIT 1'] } }],
    ['an HTTP preStop the rule cannot time (it keeps the container running while it runs)', { httpGet: { path: '/shutdown', port: 8080 } }],
  ])('%s on the serving container is compliant with minReadySeconds 0', (_, preStop) => {
    expect(lintBoth(handover(0, preStop), ID)).toEqual([]);
  });

  test('fails if a surging DaemonSet has minReadySeconds 0 and no preStop', () => {
    expect(single(lintBoth(handover(0), ID))).toEqual({
      ruleId: ID,
      ruleName: 'handover-window',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: '/spec/minReadySeconds',
      manifestIndex: 0,
      message: `${DS} surges with minReadySeconds 0 and container "main" has no preStop delay: ${WINDOW}`,
      fix: FIX,
    });
  });

  test('fails if minReadySeconds is unset (0)', () => {
    expect(single(lintBoth(handover(undefined), ID)).message)
      .toBe(`${DS} surges with no minReadySeconds (0) and container "main" has no preStop delay: ${WINDOW}`);
  });

  test('fails if minReadySeconds is below the propagation time', () => {
    expect(single(lintBoth(handover(5), ID)).message).toMatch(new RegExp(`^${DS} surges with minReadySeconds 5 and`));
  });

  test('fails if the preStop sleeps 0 s: no delay at all', () => {
    expect(lintBoth(handover(0, { sleep: { seconds: 0 } }), ID)).toHaveLength(1);
    expect(lintBoth(handover(0, { exec: { command: ['sleep', '0'] } }), ID)).toHaveLength(1);
  });

  test('fails if one of two serving containers has no preStop delay, naming it', () => {
    const manifests = handover(0, { sleep: { seconds: 5 } });
    const [ds, svc] = manifests;
    ds.spec.template.spec.containers.push({ name: 'metrics', image: 'x', ports: [{ containerPort: 9153, name: 'metrics', protocol: 'TCP' }] });
    svc.spec.ports.push({ name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 'metrics' });
    expect(single(lintBoth(manifests, ID)).message).toMatch(/and container "metrics" has no preStop delay: /);
  });

  test('a container behind no Service port needs no preStop', () => {
    const manifests = handover(0, { sleep: { seconds: 5 } });
    manifests[0].spec.template.spec.containers.push({ name: 'log-rotator', image: 'x' });
    expect(lintBoth(manifests, ID)).toEqual([]);
  });

  test('a sidecar init container behind a Service port needs one too', () => {
    const manifests = handover(0, { sleep: { seconds: 5 } });
    const [ds, svc] = manifests;
    ds.spec.template.spec.initContainers = [{ name: 'proxy', image: 'x', restartPolicy: 'Always', ports: [{ containerPort: 9000, name: 'proxy' }] }];
    svc.spec.ports.push({ name: 'proxy', port: 9000, protocol: 'TCP', targetPort: 9000 });
    expect(single(lintBoth(manifests, ID)).message).toMatch(/and init container "proxy" has no preStop delay: /);
  });

  test('a DaemonSet that does not surge is NL102\'s, not this rule\'s', () => {
    const manifests = pair((ds) => {
      ds.spec.minReadySeconds = 0;
      ds.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
    });
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(lintManifests(manifests).map((f) => f.ruleId)).toContain('NL102');
    expect(lintBoth(pair((ds) => { ds.spec.minReadySeconds = 0; ds.spec.updateStrategy = { type: 'OnDelete' }; }), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => { ds.spec.minReadySeconds = 0; delete ds.spec.updateStrategy; }), ID)).toEqual([]);
  });

  test('a DaemonSet that holds host ports cannot surge: NL010\'s, not this rule\'s', () => {
    const manifests = pair((ds) => {
      ds.spec.minReadySeconds = 0;
      ds.spec.template.spec.hostNetwork = true;
    });
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(lintManifests(manifests).map((f) => f.ruleId)).toContain('NL010');
  });

  test('a Service that falls back to other nodes (not Local) drops nothing in the window', () => {
    const manifests = pair((ds, svc) => {
      ds.spec.minReadySeconds = 0;
      svc.spec.internalTrafficPolicy = 'Cluster';
      svc.spec.trafficDistribution = 'PreferSameNode';
    });
    expect(lintManifests(manifests, { pairs: [{ service: { kind: 'Service', name: manifests[1].metadata.name, namespace: 'infra' }, daemonSet: DS_REF }] })
      .filter((f) => f.ruleId === ID)).toEqual([]);
  });

  test('a minReadySeconds that is not a number is left to the API server', () => {
    expect(lintBoth(handover('10'), ID)).toEqual([]);
  });

  test('a percentage surge is a surge', () => {
    const manifests = handover(0);
    manifests[0].spec.updateStrategy.rollingUpdate = { maxSurge: '10%', maxUnavailable: 0 };
    expect(lintBoth(manifests, ID)).toHaveLength(1);
  });
});
