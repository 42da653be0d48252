import { DS, lintBoth, pair, single, SVC } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL022';

describe('NL022 invalid-labels', () => {
  test('string labels and selectors within the label syntax are compliant', () => {
    expect(lintBoth(pair((ds, svc) => {
      svc.metadata.labels = { 'app.kubernetes.io/name': 'dns', 'empty': '' };
      ds.metadata.labels = { 'example.com/tier': 'node_agent.v1' };
    }), ID)).toEqual([]);
  });

  test('fails if a selector value is a boolean, as YAML 1.1 reads a bare yes, and NL004 does not report it again', () => {
    const manifests = pair((ds, svc) => {
      svc.spec.selector.enabled = true;
      ds.spec.template.metadata.labels.enabled = 'true';
    });
    const finding = single(lintBoth(manifests, ID));
    expect(finding).toMatchObject({ severity: Severity.ERROR, path: '/spec/selector/enabled' });
    expect(finding.message).toBe(`${SVC} has spec.selector enabled is true, a boolean, not a string (quote it in the YAML): the API `
      + 'server rejects the Service, so it is never created or updated and the node-local pair is not deployed as written');
    expect(lintManifests(manifests).map((f) => f.ruleId)).toEqual([ID]);
  });

  test('fails if a pod template label is a number, naming every bad entry of the object in one finding', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.metadata.labels = { version: 1.3 };
      ds.spec.template.metadata.labels.tier = 90;
    }), ID));
    expect(finding.path).toBe('/metadata/labels/version');
    expect(finding.message).toBe(`${DS} has metadata.labels version is 1.3, a number, not a string (quote it in the YAML); the pod `
      + 'template label tier is 90, a number, not a string (quote it in the YAML): the API server rejects the DaemonSet, so it is '
      + 'never created or updated and the node-local pair is not deployed as written');
  });

  test.each([
    ['a key with a space', { 'my key': 'x' }, 'key "my key" is not a label key'],
    ['a bad prefix', { 'Example.com/x': 'y' }, 'its prefix must be a DNS subdomain'],
    ['a value too long', { a: 'v'.repeat(64) }, 'it is 64 characters long, at most 63 are allowed'],
    ['a value with a slash', { a: 'a/b' }, 'not a label value: it must be empty or consist of letters'],
  ])('fails for %s', (_what, labels, message) => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.metadata.labels = labels; }), ID)).message).toContain(message);
  });

  test('labels that are not a map are reported', () => {
    expect(single(lintBoth(pair((_ds, svc) => { svc.metadata.labels = 'app=dns'; }), ID)).message)
      .toContain('has metadata.labels is "app=dns", not a map of strings');
  });
});
