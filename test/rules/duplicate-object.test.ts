import { DS, DS_REF, lintBoth, NAMESPACE, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL018';

function configMap(name: string, namespace?: string, data: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data };
}

describe('NL018 duplicate-object', () => {
  describe('compliant', () => {
    test.each([
      ['unique objects', [...pair(), configMap('a', NAMESPACE)]],
      ['the same name in another namespace', [configMap('a', 'x'), configMap('a', 'y')]],
      ['the same name of another kind', [...pair((ds) => { ds.metadata.name = 'node-dns'; } ), configMap('node-dns', NAMESPACE)]],
      ['the same kind and name in another API group', [
        { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'x' } },
        { apiVersion: 'extensions.example.com/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'x' } },
      ]],
      ['objects named by generateName', [
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'x' } },
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'x' } },
      ]],
    ])('%s', (_, manifests) => {
      expect(lintBoth(manifests, ID)).toEqual([]);
    });
  });

  describe('fails', () => {
    test('fails on each copy of a DaemonSet defined twice, naming the other copy', () => {
      const [ds, svc] = pair();
      const other = { ...ds, spec: { ...ds.spec, minReadySeconds: 30 } };
      const findings = lintBoth([ds, svc, other], ID);
      expect(findings).toHaveLength(2);
      expect(findings[0]).toEqual({
        ruleId: ID,
        ruleName: 'duplicate-object',
        severity: Severity.ERROR,
        resource: DS_REF,
        path: '/metadata/name',
        manifestIndex: 0,
        message: `${DS} is defined 2 times in the manifests (at positions 0, 2): the copies differ, and kubectl apply keeps `
          + 'whichever comes last, so the other copies are checked here but never run',
        fix: `Rename or remove all copies of ${DS} but one (a chart or file included twice, or two agents with the same `
          + 'metadata.name and namespace)',
        related: [{ resource: DS_REF, path: '/metadata/name', manifestIndex: 2 }],
      });
      expect(findings[1].manifestIndex).toBe(2);
      expect(findings[1].related).toEqual([{ resource: DS_REF, path: '/metadata/name', manifestIndex: 0 }]);
    });

    test('fails on identical copies too (a chart included twice), saying they are identical', () => {
      const findings = lintBoth([configMap('a', 'x'), configMap('a', 'x'), configMap('a', 'x')], ID);
      expect(findings.map((f) => f.manifestIndex)).toEqual([0, 1, 2]);
      expect(findings[0].message).toContain('is defined 3 times in the manifests (at positions 0, 1, 2): the copies are identical');
      expect(findings[0].related?.map((r) => r.manifestIndex)).toEqual([1, 2]);
    });

    test('fails across API versions of one group: apps/v1 and apps/v1beta2 are one object', () => {
      const [ds] = pair();
      expect(lintManifests([ds, { ...ds, apiVersion: 'apps/v1beta2' }]).filter((f) => f.ruleId === ID)).toHaveLength(2);
    });

    test('fails for an object without namespace and a copy in the namespace it is applied to', () => {
      expect(lintManifests([configMap('a'), configMap('a', 'default')]).filter((f) => f.ruleId === ID)).toHaveLength(2);
      expect(lintManifests([configMap('a'), configMap('a', 'kube-system')]).filter((f) => f.ruleId === ID)).toEqual([]);
      expect(lintManifests([configMap('a'), configMap('a', 'kube-system')], { namespace: 'kube-system' }).filter((f) => f.ruleId === ID)).toHaveLength(2);
    });

    test('fails for cluster-scoped objects without namespace', () => {
      const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'agents' }, value: 1000 };
      expect(single(lintManifests([pc, { ...pc, value: 2000 }]).filter((f) => f.manifestIndex === 1 && f.ruleId === ID)).resource)
        .toEqual({ kind: 'PriorityClass', name: 'agents' });
    });
  });
});
