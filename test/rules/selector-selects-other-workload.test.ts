import { ADDR, DECLARED, DS, DS_ADDR, DS_REF, lintBoth, NAMESPACE, pair, single, SVC, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL005';
const LABELS = { [ADDR]: DS_ADDR };

function workload(kind: string, labels: Record<string, string> = LABELS, namespace = NAMESPACE): any {
  const podTemplate = { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x' }] } };
  const apiVersion = ['Job', 'CronJob'].includes(kind) ? 'batch/v1' : ['Pod', 'ReplicationController'].includes(kind) ? 'v1' : 'apps/v1';
  const metadata = { name: `other-${kind.toLowerCase()}`, namespace };
  if (kind === 'Pod') {
    return { apiVersion, kind, metadata: { ...metadata, labels }, spec: podTemplate.spec };
  }
  if (kind === 'CronJob') {
    return { apiVersion, kind, metadata, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: podTemplate } } } };
  }
  return { apiVersion, kind, metadata, spec: { selector: { matchLabels: labels }, template: podTemplate } };
}

describe('NL005 selector-selects-other-workload', () => {
  test('a selector that selects only the DaemonSet is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('a workload in another namespace, or without all the selected labels, is not selected', () => {
    const others = [workload('Deployment', LABELS, 'other'), { ...workload('StatefulSet', { app: 'x' }) }];
    expect(lintBoth([...pair(), ...others], ID)).toEqual([]);
  });

  test('fails if the selector also selects a Deployment', () => {
    const finding = single(lintBoth([...pair(), workload('Deployment', { ...LABELS, tier: 'web' })], ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'selector-selects-other-workload',
      severity: Severity.ERROR,
      resource: SVC_REF,
      path: '/spec/selector',
      manifestIndex: 1,
      message: `${SVC} selector {cdk8s.io/metadata.addr=${DS_ADDR}} also selects the pods of Deployment infra/other-deployment `
        + `(labels {cdk8s.io/metadata.addr=${DS_ADDR}, tier=web}), besides those of ${DS}: on a node where both run, `
        + 'kube-proxy spreads the node-local traffic over both, so part of it reaches the wrong application',
      fix: `Give the pod template of ${DS} a label that Deployment infra/other-deployment does not have (e.g. its `
        + `cdk8s.io/metadata.addr label) and add it to spec.selector of ${SVC}`,
    });
  });

  test.each(['StatefulSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController'])('fails if the selector also selects a %s', (kind) => {
    const finding = single(lintBoth([...pair(), workload(kind)], ID));
    expect(finding.message).toContain(`also selects the pods of ${kind} infra/other-${kind.toLowerCase()} `);
  });

  test('fails if the selector also selects another DaemonSet', () => {
    const other = { ...workload('DaemonSet'), metadata: { name: 'log-agent', namespace: NAMESPACE } };
    const finding = single(lintManifests([...pair(), other]).filter((f) => f.ruleId === ID));
    expect(finding.message).toContain('also selects the pods of DaemonSet infra/log-agent ');
    expect(finding.message).toContain(`besides those of ${DS}:`);
  });

  test('a DaemonSet declared in a second pair with the same Service is intended', () => {
    const other = { ...workload('DaemonSet'), metadata: { name: 'log-agent', namespace: NAMESPACE } };
    const options = { pairs: [...DECLARED.pairs!, { service: SVC_REF, daemonSet: { ...DS_REF, name: 'log-agent' } }] };
    expect(lintManifests([...pair(), other], options).filter((f) => f.ruleId === ID)).toEqual([]);
  });

  test('a second copy of the DaemonSet (a chart included twice) is the same object: NL018 reports it, not NL005', () => {
    const [ds, svc] = pair();
    const copy = JSON.parse(JSON.stringify(ds));
    expect(lintManifests([ds, svc, copy]).filter((f) => f.ruleId === ID)).toEqual([]);
  });

  test('agents of the Service for different nodes (one per OS, one per node pool) are not reported; agents that can share a node are', () => {
    const split = (a: Record<string, unknown>, b: Record<string, unknown>, name = 'node-dns-agent-b') => {
      const [ds, svc] = pair();
      const other = JSON.parse(JSON.stringify(ds));
      other.metadata.name = name;
      ds.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [a] } } };
      other.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [b] } } };
      return lintManifests([ds, svc, other]).filter((f) => f.ruleId === ID);
    };
    const windows = { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }] };
    const linux = { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] };
    expect(split(linux, windows)).toEqual([]);
    const gpuPool = { matchExpressions: [{ key: 'pool', operator: 'In', values: ['gpu'] }] };
    const otherPools = { matchExpressions: [{ key: 'pool', operator: 'NotIn', values: ['gpu'] }] };
    expect(split(gpuPool, otherPools)).toEqual([]);
    // a node in pool gpu without the OS label restriction can run both: both answer there
    const overlapping = split(gpuPool, linux);
    expect(overlapping).toHaveLength(1);
    expect(overlapping[0].message).toContain('also selects the pods of DaemonSet infra/node-dns-agent-b ');
  });

  test('a Pod controlled by a workload is not reported on its own', () => {
    const pod = workload('Pod');
    pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x', uid: '1', controller: true }];
    expect(lintBoth([...pair(), pod], ID)).toEqual([]);
  });

  test('a kind from another API group is not a workload', () => {
    const crd = { ...workload('Deployment'), apiVersion: 'example.com/v1' };
    expect(lintBoth([...pair(), crd], ID)).toEqual([]);
  });

  test('a workload with only some of the selected labels is not selected', () => {
    const [ds, svc] = pair((d, sv) => {
      d.spec.template.metadata.labels.tier = 'node';
      sv.spec.selector = { [ADDR]: DS_ADDR, tier: 'node' };
    });
    const partial = workload('Deployment', { [ADDR]: DS_ADDR, tier: 'web' });
    const other = workload('StatefulSet', { [ADDR]: 'x', tier: 'node' });
    expect(lintBoth([partial, other, ds, svc], ID)).toEqual([]);
  });
});
