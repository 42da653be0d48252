import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL103';
const POD = '/spec/template/spec';
const REQUIRED = `${POD}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution`;

function required(...matchExpressions: unknown[]): unknown {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } };
}

describe('NL103 partial-node-coverage', () => {
  test('a DaemonSet that tolerates everything and selects no nodes is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('keyless Exists tolerations for NoSchedule and NoExecute together tolerate every taint', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.tolerations = [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }];
    }), ID)).toEqual([]);
  });

  test('a preferred node affinity is compliant', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }] } };
    }), ID)).toEqual([]);
  });

  test('an OS or architecture constraint is what the image runs on, not a coverage gap', () => {
    expect(lintBoth(pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; }), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => { ds.spec.template.spec.nodeSelector = { 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' }; }), ID)).toEqual([]);
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.affinity = required({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] });
    }), ID)).toEqual([]);
  });

  test('excluding nodes that never run DaemonSet pods (EKS Fargate, virtual-kubelet) is not a coverage gap', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' };
      ds.spec.template.spec.affinity = required(
        { key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate'] },
        { key: 'type', operator: 'NotIn', values: ['virtual-kubelet'] },
      );
    }), ID)).toEqual([]);
  });

  test('fails if the DaemonSet excludes more than the nodes that cannot run it', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.template.spec.affinity = required({ key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate', 'hybrid'] });
    }), ID));
    expect(finding.path).toBe(REQUIRED);
    expect(finding.message).toContain('its required node affinity requires eks.amazonaws.com/compute-type NotIn ["fargate","hybrid"]');
  });

  test('fails if the DaemonSet has a nodeSelector, naming only the keys at fault', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', 'pool': 'agents' }; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'partial-node-coverage',
      severity: Severity.WARNING,
      resource: DS_REF,
      path: `${POD}/nodeSelector`,
      manifestIndex: 0,
      message: `${DS} does not run on every node: its nodeSelector requires pool=agents, so its pods run only on matching `
        + 'nodes; client pods on those nodes have their traffic to the Local Service dropped',
      fix: `In ${DS}, remove pool from spec.template.spec.nodeSelector; or, if no client runs on those nodes, keep it and acknowledge NL103`,
    });
  });

  test('fails if the DaemonSet has a required node affinity', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.affinity = required({ key: 'pool', operator: 'In', values: ['edge'] }); }), ID));
    expect(finding.path).toBe(REQUIRED);
    expect(finding.message).toContain('its required node affinity requires pool In ["edge"], so its pods run only on matching nodes');
    expect(finding.fix).toContain('remove that expression from spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution');
  });

  test('fails if the pod template names a node', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.nodeName = 'node-1'; }), ID));
    expect(finding.path).toBe(`${POD}/nodeName`);
    expect(finding.message).toContain('its nodeName "node-1" puts its only pod on that node');
  });

  test.each([
    ['no tolerations', undefined, 'tolerates no taint'],
    ['an empty list', [], 'tolerates no taint'],
    ['NoSchedule only', [{ operator: 'Exists', effect: 'NoSchedule' }], 'only tolerates [{"operator":"Exists","effect":"NoSchedule"}]'],
    ['a keyed Exists', [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }], 'only tolerates [{"key":"node-role.kubernetes.io/control-plane","operator":"Exists"}]'],
    ['a timed NoExecute', [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], 'only tolerates'],
    ['an Equal toleration', [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }], 'only tolerates'],
  ])('fails if the DaemonSet tolerates %s', (_what, tolerations, found) => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.tolerations = tolerations; }), ID));
    expect(finding.path).toBe(`${POD}/tolerations`);
    expect(finding.message).toContain(`${DS} does not run on every node: it ${found}`);
    expect(finding.message).toContain(`, so nodes with ${tolerations === undefined || tolerations.length === 0 ? 'a' : 'another'} NoSchedule or NoExecute taint (control-plane nodes, dedicated node pools) run no pod of it`);
    expect(finding.fix).toBe(`In ${DS}, add {operator: Exists} to spec.template.spec.tolerations (it tolerates every taint); or, if no `
      + 'client runs on those nodes, keep it and acknowledge NL103');
  });

  test('every restriction is one finding, at the first one', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', 'a': 'b' };
      ds.spec.template.spec.affinity = required({ key: 'zone', operator: 'NotIn', values: ['z1'] });
      ds.spec.template.spec.tolerations = [];
    }), ID));
    expect(finding.path).toBe(`${POD}/nodeSelector`);
    expect(finding.message).toBe(`${DS} does not run on every node: its nodeSelector requires a=b, so its pods run only on matching `
      + 'nodes; its required node affinity requires zone NotIn ["z1"], so its pods run only on matching nodes; it tolerates no '
      + 'taint, so nodes with a NoSchedule or NoExecute taint (control-plane nodes, dedicated node pools) run no pod of '
      + 'it; client pods on those nodes have their traffic to the Local Service dropped');
  });
  test('DaemonSets behind one Service that split the nodes between them cover every node together', () => {
    const [ds, svc] = pair();
    const rest = JSON.parse(JSON.stringify(ds));
    rest.metadata.name = 'node-dns-agent-rest';
    ds.spec.template.spec.affinity = required({ key: 'pool', operator: 'In', values: ['gpu'] });
    rest.spec.template.spec.affinity = required({ key: 'pool', operator: 'NotIn', values: ['gpu'] });
    expect(lintManifests([ds, svc, rest]).filter((f) => f.ruleId === ID)).toEqual([]);
    // alone, each leaves nodes out
    expect(lintManifests([ds, svc]).filter((f) => f.ruleId === ID)).toHaveLength(1);
    // together they still tolerate what each tolerates: a gap there is reported on the DaemonSet that has it
    rest.spec.template.spec.tolerations = [];
    expect(lintManifests([ds, svc, rest]).filter((f) => f.ruleId === ID).map((f) => [f.resource.name, f.path]))
      .toEqual([['node-dns-agent-rest', `${POD}/tolerations`]]);
  });
  test('a restriction to hardware the agent needs (a GPU) is kept: the fix puts the clients there, it does not remove it', () => {
    const gpuOnly = single(lintBoth(pair((ds) => { ds.spec.template.spec.nodeSelector = { 'nvidia.com/gpu.present': 'true' }; }), ID));
    expect(gpuOnly.path).toBe(`${POD}/nodeSelector`);
    expect(gpuOnly.message).toBe(`${DS} does not run on every node: it requires nvidia.com/gpu.present=true, hardware its pods need, `
      + 'so they run only on nodes that have it; client pods on those nodes have their traffic to the Local Service dropped');
    expect(gpuOnly.fix).toBe(`Keep nvidia.com/gpu.present=true in ${DS}, give its clients the same node constraint so that they `
      + 'run only where it does, and acknowledge NL103');
    // beside a gap the agent can close, both are named, and only that one is to be removed
    const mixed = single(lintBoth(pair((ds) => {
      ds.spec.template.spec.nodeSelector = { pool: 'ml' };
      ds.spec.template.spec.affinity = required({ key: 'feature.node.kubernetes.io/cpu-cpuid.AVX512F', operator: 'In', values: ['true'] });
      ds.spec.template.spec.tolerations = [];
    }), ID));
    expect(mixed.fix).toBe(`Keep feature.node.kubernetes.io/cpu-cpuid.AVX512F In ["true"] in ${DS}, give its clients the same node `
      + `constraint so that they run only where it does, and acknowledge NL103; and in ${DS}, remove pool from `
      + 'spec.template.spec.nodeSelector, and add {operator: Exists} to spec.template.spec.tolerations (it tolerates every taint); '
      + 'or, if no client runs on those nodes, keep it and acknowledge NL103');
    expect(mixed.fix).not.toMatch(/remove feature\.node/);
  });
});
