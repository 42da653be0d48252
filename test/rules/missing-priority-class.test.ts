import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL111';

function priorityClass(name: string, fields: Record<string, unknown>): any {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, ...fields };
}

function withClass(name?: string): any[] {
  return pair((ds) => {
    if (name === undefined) {
      delete ds.spec.template.spec.priorityClassName;
    } else {
      ds.spec.template.spec.priorityClassName = name;
    }
  });
}

describe('NL111 missing-priority-class', () => {
  test.each([
    ['system-node-critical', withClass('system-node-critical')],
    ['system-cluster-critical', withClass('system-cluster-critical')],
    ['a class of the cluster the manifests do not hold', withClass('node-agents')],
    ['a class of the manifests with a high value', [...withClass('node-agents'), priorityClass('node-agents', { value: 1000000 })]],
    ['no class, with a globalDefault class in the manifests', [...withClass(), priorityClass('default', { value: 1000, globalDefault: true })]],
  ])('%s is compliant', (_, manifests) => {
    expect(lintBoth(manifests, ID)).toEqual([]);
  });

  test('fails (warning) if the agent has no priorityClassName', () => {
    const finding = single(lintBoth(withClass(), ID));
    expect(finding).toMatchObject({ severity: Severity.WARNING, resource: DS_REF, path: '/spec/template/spec/priorityClassName', manifestIndex: 0 });
    expect(finding.message).toBe(`${DS} has no priorityClassName: its pods have priority 0, like every pod that names no `
      + 'class, so on a node whose CPU or memory is taken the scheduler preempts nothing for the agent\'s pod, which stays '
      + 'Pending: that node has no agent until something else leaves, and the Local Service drops its clients\' traffic');
    expect(finding.fix).toMatch(/^Set spec\.template\.spec\.priorityClassName: system-node-critical on /);
    expect(finding.fix).toContain('on GKE outside kube-system, also add a ResourceQuota');
  });

  test('fails if the class of the manifests never preempts', () => {
    const finding = single(lintBoth([...withClass('agents'), priorityClass('agents', { value: 1000000, preemptionPolicy: 'Never' })], ID));
    expect(finding.message).toContain('uses PriorityClass agents, whose preemptionPolicy is Never');
    expect(finding.related).toEqual([{ resource: { kind: 'PriorityClass', name: 'agents' }, path: '/preemptionPolicy', manifestIndex: 2 }]);
  });

  test('fails if the class of the manifests is not above the default', () => {
    const manifests = [...withClass('low'), priorityClass('low', { value: 100 }), priorityClass('standard', { value: 100, globalDefault: true })];
    expect(single(lintBoth(manifests, ID)).message).toContain('whose value 100 is not above the default priority 100 of pods that name no class');
  });

  test('a PreferSameNode Service falls back to another node\'s agent: no warning', () => {
    const manifests = pair((ds, svc) => {
      delete ds.spec.template.spec.priorityClassName;
      delete svc.spec.internalTrafficPolicy;
      svc.spec.trafficDistribution = 'PreferSameNode';
    });
    expect(lintManifests(manifests).filter((f) => f.ruleId === ID)).toEqual([]);
    expect(lintManifests([...withClass()]).filter((f) => f.ruleId === ID)).toHaveLength(1);
  });
});
