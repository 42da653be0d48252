import { ADDR, DECLARED, DS, DS_ADDR, lintBoth, NAMESPACE, pair, service, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL004';

function deployment(labels: Record<string, string>, namespace = NAMESPACE): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'web' }] } } },
  };
}

describe('NL004 selector-misses-daemonset', () => {
  test('a Service that selects its DaemonSet is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('objects without namespace pair with each other', () => {
    expect(lintManifests(pair((ds, svc) => { delete ds.metadata.namespace; delete svc.metadata.namespace; }))).toEqual([]);
  });

  test.each([
    ['no selector', (svc: any) => { delete svc.spec.selector; }, 'no selector'],
    ['a null selector', (svc: any) => { svc.spec.selector = null; }, 'no selector'],
    ['an empty selector', (svc: any) => { svc.spec.selector = {}; }, 'the selector {}, which selects no pod'],
  ])('fails if the Service has %s', (_what, mutate, found) => {
    const finding = single(lintBoth(pair((_ds, svc) => mutate(svc)), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'selector-misses-daemonset',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/selector',
      manifestIndex: 1,
      message: `${SVC} has ${found}: Kubernetes manages no endpoints for a Service without a selector, so every node drops its traffic`,
      fix: `Set spec.selector of ${SVC} to the pod template labels of its DaemonSet`,
    });
  });

  test('fails if a Local Service selects no DaemonSet of the manifests', () => {
    const findings = lintManifests(pair((_ds, svc) => { svc.spec.selector = { app: 'node-dns' }; }));
    const finding = single(findings.filter((f) => f.ruleId === ID));
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, resource: SVC_REF, path: '/spec/selector', manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} has internalTrafficPolicy "Local", but no DaemonSet in the given manifests has pod `
      + 'template labels its selector {app=node-dns} selects: a Local Service drops the traffic of every node without a ready '
      + 'endpoint of its own, and only a DaemonSet puts one on every node');
    expect(finding.fix).toBe(`Lint ${SVC} together with its DaemonSet (they may be in different files), give the DaemonSet's `
      + 'pod template the labels {app=node-dns} in the Service\'s namespace, or change spec.selector to the DaemonSet\'s template labels');
  });

  test('fails if a Local Service is linted without its DaemonSet', () => {
    const finding = single(lintManifests([service()]));
    expect(finding).toMatchObject({ ruleId: ID, manifestIndex: 0, path: '/spec/selector' });
    expect(finding.message).toMatch(/no DaemonSet in the given manifests has pod template labels its selector \{cdk8s.io\/metadata.addr=node-dns-agent-c8a1b2c3\} selects:/);
  });

  test.each([
    ['a selector of non-strings', (svc: any) => { svc.spec.selector = { app: 1 }; }],
    ['a selector that is not a map', (svc: any) => { svc.spec.selector = 'app=dns'; }],
  ])('leaves %s to NL022, which the API server rejects: one finding for one cause', (_what, mutate) => {
    const findings = lintBoth(pair((_ds, svc) => mutate(svc)), ID);
    expect(findings).toEqual([]);
    expect(lintManifests(pair((_ds, svc) => mutate(svc)), DECLARED).map((f) => f.ruleId)).toEqual(['NL022']);
  });

  test('fails if a Local Service selects a Deployment only, and names it', () => {
    const finding = single(lintManifests([service(), deployment({ [ADDR]: DS_ADDR })]));
    expect(finding.ruleId).toBe(ID);
    expect(finding.message).toMatch(/selects \(it selects Deployment infra\/web\): a Local Service drops/);
  });

  test('fails if the DaemonSet is in another namespace (auto mode)', () => {
    const finding = single(lintManifests(pair((ds) => { ds.metadata.namespace = 'other'; })));
    expect(finding).toMatchObject({ ruleId: ID, path: '/spec/selector' });
    expect(finding.message).toMatch(/but no DaemonSet in the given manifests/);
  });

  test('an object without namespace is in the default namespace, as kubectl and Helm apply it', () => {
    const manifests = pair((ds, svc) => { delete ds.metadata.namespace; svc.metadata.namespace = 'default'; });
    expect(lintManifests(manifests).filter((f) => f.ruleId === ID)).toEqual([]);
    // applied with -n infra, the DaemonSet is no longer in the Service's namespace
    expect(single(lintManifests(manifests, { namespace: 'infra' })).ruleId).toBe(ID);
  });

  test('fails if the selector misses the declared DaemonSet, naming the labels', () => {
    const findings = lintManifests(pair((_ds, svc) => { svc.spec.selector = { [ADDR]: 'node-dns-agent-old', app: 'dns' }; }), DECLARED);
    const finding = single(findings);
    expect(finding).toMatchObject({ ruleId: ID, severity: Severity.ERROR, resource: SVC_REF, path: '/spec/selector', manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} selector {cdk8s.io/metadata.addr=node-dns-agent-old, app=dns} does not select the `
      + `pods of ${DS} (template labels {cdk8s.io/metadata.addr=${DS_ADDR}}: its label cdk8s.io/metadata.addr is `
      + `"${DS_ADDR}", the selector wants "node-dns-agent-old"; it has no label app (selector wants dns)): the Service has no `
      + 'endpoint from that DaemonSet, so every node drops its traffic');
    expect(finding.fix).toBe(`Set spec.selector of ${SVC} to labels of the pod template of ${DS}, e.g. {cdk8s.io/metadata.addr=${DS_ADDR}}`);
  });

  test('fails if the declared DaemonSet is in another namespace', () => {
    const options = { pairs: [{ service: SVC_REF, daemonSet: { kind: 'DaemonSet', name: DECLARED.pairs![0].daemonSet.name, namespace: 'other' } }] };
    const finding = single(lintManifests(pair((ds) => { ds.metadata.namespace = 'other'; }), options));
    expect(finding).toMatchObject({ ruleId: ID, path: '/metadata/namespace', manifestIndex: 1 });
    expect(finding.message).toBe(`${SVC} is in namespace infra, but DaemonSet other/node-dns-agent-c8f2a4b1 is in namespace other: `
      + 'a Service only selects pods of its own namespace, so it has no endpoints and every node drops its traffic');
    expect(finding.fix).toBe(`Put ${SVC} and DaemonSet other/node-dns-agent-c8f2a4b1 in the same namespace (metadata.namespace)`);
  });

  test('fails if the declared DaemonSet has no namespace and the Service has one', () => {
    const options = { pairs: [{ service: SVC_REF, daemonSet: { kind: 'DaemonSet', name: DECLARED.pairs![0].daemonSet.name } }] };
    const finding = single(lintManifests(pair((ds) => { delete ds.metadata.namespace; }), options));
    expect(finding.path).toBe('/metadata/namespace');
    expect(finding.message).toMatch(/^Service infra\/\S+ is in namespace infra, but DaemonSet node-dns-agent-c8f2a4b1 is in no namespace: /);
  });
});
