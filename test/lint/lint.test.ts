import { selects } from '../../src/lint/context';
import { Severity } from '../../src/lint/finding';
import { lintManifests, NodeLocalLinter } from '../../src/lint/lint';
import { DECLARED, DS_REF, ids, pair, service, SVC_REF } from '../rules/fixtures';

describe('lintManifests', () => {
  test('a correct pair draws no finding, in either mode', () => {
    expect(lintManifests(pair())).toEqual([]);
    expect(lintManifests(pair(), DECLARED)).toEqual([]);
    expect(lintManifests(pair(), {})).toEqual([]);
  });

  test('NodeLocalLinter.lint behaves as lintManifests', () => {
    const manifests = [...pair((ds, svc) => { ds.spec.updateStrategy = { type: 'OnDelete' }; svc.spec.clusterIP = 'None'; }), null];
    expect(NodeLocalLinter.lint(manifests)).toEqual(lintManifests(manifests));
    expect(NodeLocalLinter.lint(manifests, DECLARED)).toEqual(lintManifests(manifests, DECLARED));
    expect(lintManifests(manifests)).toHaveLength(3);
  });

  test('sorts findings by manifest index, rule id and path, with findings about no manifest last', () => {
    const [ds, svc] = pair((d, s) => {
      d.spec.updateStrategy = { type: 'OnDelete' };
      s.spec.clusterIP = 'None';
      s.spec.externalTrafficPolicy = 'Local';
    });
    const options = { pairs: [...DECLARED.pairs!, { service: SVC_REF, daemonSet: { ...DS_REF, name: 'gone' } }] };
    const findings = lintManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, svc, ds], options);
    expect(findings.map((f) => [f.manifestIndex, f.ruleId, f.path])).toEqual([
      [1, 'NL002', '/spec/clusterIP'],
      [1, 'NL003', '/spec/externalTrafficPolicy'],
      [2, 'NL102', '/spec/updateStrategy/type'],
      [undefined, 'NL014', ''],
    ]);
    expect(lintManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, svc, ds], options)).toEqual(findings);
  });

  test('every finding carries the severity of its rule', () => {
    const findings = lintManifests(pair((ds, svc) => { delete ds.spec.updateStrategy; svc.spec.clusterIP = 'None'; }));
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['NL102', Severity.WARNING], ['NL002', Severity.ERROR]]);
  });

  test('accepts a missing list or a single object', () => {
    expect(lintManifests(undefined as any)).toEqual([]);
    expect(lintManifests(null as any)).toEqual([]);
    expect(ids(lintManifests(service() as any))).toEqual(['NL004']);
  });

  test('objects unrelated to node-local pairs are not checked', () => {
    const others = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'unpaired' }, spec: { updateStrategy: { type: 'OnDelete' } } },
      // a Knative Service is not a core Service, even with a Local policy
      { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'kn' }, spec: { internalTrafficPolicy: 'Local' } },
    ];
    expect(lintManifests([...pair(), ...others])).toEqual([]);
  });

  test('declared pairs restrict the check to those pairs', () => {
    const [ds2, svc2] = pair((d, s) => {
      d.metadata.name = 'other-agent';
      d.spec.selector.matchLabels = d.spec.template.metadata.labels = s.spec.selector = { app: 'other-agent' };
      s.metadata.name = 'other-service';
      s.spec.clusterIP = 'None';
    });
    expect(ids(lintManifests([...pair(), ds2, svc2]))).toEqual(['NL002']);
    expect(lintManifests([...pair(), ds2, svc2], DECLARED)).toEqual([]);
  });

  test('a pair declared twice is checked once', () => {
    const manifests = pair((_ds, svc) => { svc.spec.clusterIP = 'None'; });
    const options = { pairs: [...DECLARED.pairs!, ...DECLARED.pairs!] };
    expect(ids(lintManifests(manifests, options))).toEqual(['NL002']);
  });

  test('a Service without namespace does not pair with a DaemonSet in a namespace (auto mode)', () => {
    expect(ids(lintManifests(pair((_ds, svc) => { delete svc.metadata.namespace; })))).toEqual(['NL004']);
  });

  test('does not modify its input', () => {
    const manifests = pair((ds, svc) => { delete ds.spec.updateStrategy; svc.spec.ports[0].port = 'x'; });
    const copy = JSON.parse(JSON.stringify(manifests));
    lintManifests(manifests);
    lintManifests(manifests, DECLARED);
    expect(manifests).toEqual(copy);
  });

  test('an object defined twice is checked in both definitions, and each copy is a duplicate (NL018)', () => {
    const [ds, svc] = pair();
    const override = { ...svc, spec: { ...svc.spec, clusterIP: 'None' } };
    const expected = [[1, 'NL018'], [2, 'NL002'], [2, 'NL018']];
    expect(lintManifests([ds, svc, override], DECLARED).map((f) => [f.manifestIndex, f.ruleId])).toEqual(expected);
    expect(lintManifests([ds, svc, override]).map((f) => [f.manifestIndex, f.ruleId])).toEqual(expected);
  });

  test('a Service selector selects labels that contain all its entries, and an empty one selects nothing', () => {
    const labels = new Map([['app', 'dns'], ['tier', 'node']]);
    expect(selects(new Map([['app', 'dns']]), labels)).toBe(true);
    expect(selects(new Map([['app', 'dns'], ['tier', 'web']]), labels)).toBe(false);
    expect(selects(new Map([['zone', 'a']]), labels)).toBe(false);
    expect(selects(new Map(), labels)).toBe(false);
  });
});
