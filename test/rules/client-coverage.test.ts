import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { client, CLIENT, CLIENT_REF, PAIR, noTolerations, POD, requiredAffinity } from './client-fixtures';
import { DS, lintBoth, pair, single, SVC, SVC_NAME } from './fixtures';
import { ClientEndpoint, NodeLocalDaemonService } from '../../src';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL013';
const AGENT = `${DS}, the agent behind that Service,`;
const INTRO = `${CLIENT} sends to ${SVC} (env DNS_SERVER of container "app" is "${SVC_NAME}:53")`;
const DROPPED = 'its traffic to the Local Service is dropped (DataDog/helm-charts#1251)';

/** The NL013 findings for the fixture pair (the agent mutated) and a client with the pod spec fields given. */
function lintClient(agent: (ds: any) => void, podSpec: Record<string, unknown>) {
  return lintBoth([...pair(agent), client(podSpec)], ID);
}

const GPU = { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' };

describe('NL013 client-coverage: taints', () => {
  test('fails if the client tolerates a GPU taint the agent does not', () => {
    expect(single(lintClient(noTolerations, { tolerations: [GPU] }))).toEqual({
      ruleId: ID,
      ruleName: 'client-coverage',
      severity: Severity.ERROR,
      resource: CLIENT_REF,
      pair: PAIR,
      path: `${POD}/tolerations/0`,
      manifestIndex: 2,
      message: `${INTRO} and tolerates the taint gpu=true:NoSchedule (spec.template.spec.tolerations[0]), which ${AGENT} `
        + `does not tolerate: on a node with that taint the client runs without an agent, and ${DROPPED}`,
      fix: 'Add the toleration {key: gpu, operator: Equal, value: "true", effect: NoSchedule} to spec.template.spec.tolerations '
        + `of ${DS} ({operator: Exists}, which tolerateAllTaints: true writes, tolerates every taint), or remove `
        + `spec.template.spec.tolerations[0] from ${CLIENT}`,
    });
  });

  test('an agent that tolerates every taint covers any client toleration', () => {
    expect(lintClient(() => undefined, { tolerations: [GPU, { operator: 'Exists' }, { key: 'a', operator: 'Exists' }] })).toEqual([]);
  });

  test('an agent with the same toleration, or a broader one, covers the client', () => {
    expect(lintClient((ds) => { ds.spec.template.spec.tolerations = [GPU]; }, { tolerations: [GPU] })).toEqual([]);
    expect(lintClient((ds) => { ds.spec.template.spec.tolerations = [{ key: 'gpu', operator: 'Exists' }]; }, { tolerations: [GPU] })).toEqual([]);
    expect(lintClient((ds) => {
      ds.spec.template.spec.tolerations = [{ operator: 'Exists', effect: 'NoSchedule' }];
    }, { tolerations: [GPU, { key: 'b', operator: 'Exists', effect: 'NoSchedule' }] })).toEqual([]);
  });

  test('a value-specific agent toleration does not cover a client that tolerates every value', () => {
    const finding = single(lintClient((ds) => { ds.spec.template.spec.tolerations = [GPU]; },
      { tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }] }));
    expect(finding.message).toContain('tolerates every taint with key gpu and effect NoSchedule (spec.template.spec.tolerations[0])');
    expect(finding.fix).toMatch(/^Add the toleration \{key: gpu, operator: Exists, effect: NoSchedule\} to/);
  });

  test('fails if the client tolerates every taint and the agent does not', () => {
    const finding = single(lintClient((ds) => {
      ds.spec.template.spec.tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }];
    }, { tolerations: [{ operator: 'Exists' }] }));
    expect(finding.path).toBe(`${POD}/tolerations/0`);
    expect(finding.message).toContain(`and tolerates every taint (spec.template.spec.tolerations[0]), which ${AGENT} does not tolerate`);
    expect(finding.fix).toMatch(/^Add the toleration \{operator: Exists\} to spec\.template\.spec\.tolerations of/);
  });

  test('an empty effect tolerates both effects: only the one the agent lacks is reported', () => {
    const finding = single(lintClient((ds) => {
      ds.spec.template.spec.tolerations = [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }];
    }, { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true' }] }));
    expect(finding.message).toContain('tolerates the taint gpu=true:NoExecute');
    expect(finding.fix).toContain('{key: gpu, operator: Equal, value: "true", effect: NoExecute}');
  });

  test('a PreferNoSchedule toleration keeps no pod away, so it is never a gap', () => {
    expect(lintClient(noTolerations, { tolerations: [{ key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' }] })).toEqual([]);
  });

  test('a toleration with an unknown operator, or a key, value or effect that is not a string, tolerates nothing', () => {
    const garbage = [
      { key: 'gpu', operator: 'Matches', value: 'true' }, { key: 5, operator: 'Exists' }, { key: 'gpu', value: 7 },
      { key: 'gpu', operator: 'Exists', effect: ['NoSchedule'] }, { key: 'gpu', operator: 'Exists', effect: 'Sometimes' },
    ];
    expect(lintClient(noTolerations, { tolerations: garbage })).toEqual([]);
    expect(single(lintClient((ds) => { ds.spec.template.spec.tolerations = garbage; }, { tolerations: [GPU] })).path).toBe(`${POD}/tolerations/0`);
  });

  test('the tolerations the DaemonSet controller gives the agent cover the node condition taints', () => {
    expect(lintClient(noTolerations, {
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
      ],
    }).map((f) => f.message)).toEqual([
      // memory-pressure is added for NoSchedule only: the client also tolerates it as NoExecute
      expect.stringContaining('tolerates every taint with key node.kubernetes.io/memory-pressure and effect NoExecute'),
    ]);
  });

  test('fails if the agent only tolerates a NoExecute taint for a while: it is evicted, the client stays', () => {
    const finding = single(lintClient((ds) => {
      ds.spec.template.spec.tolerations = [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }];
    }, { tolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute' }] }));
    expect(finding.message).toContain('tolerates every taint with key maintenance and effect NoExecute');
  });

  test('fails if the client sets nodeName: it bypasses the scheduler and ignores NoSchedule taints', () => {
    const finding = single(lintClient(noTolerations, { nodeName: 'node-1' }));
    expect(finding.path).toBe(`${POD}/nodeName`);
    expect(finding.message).toBe(`${INTRO} and sets spec.template.spec.nodeName, which bypasses the scheduler: the client runs on `
      + `that node whatever NoSchedule taint it has, and ${AGENT} does not tolerate every NoSchedule taint: on a node with such `
      + `a taint the client runs without an agent and ${DROPPED}`);
    expect(lintClient((ds) => { ds.spec.template.spec.tolerations = [{ operator: 'Exists', effect: 'NoSchedule' }]; }, { nodeName: 'node-1' })).toEqual([]);
  });

  test('fails if a host-network DaemonSet client gets the network-unavailable toleration the agent lacks', () => {
    const daemonClient = client({ hostNetwork: true });
    daemonClient.kind = 'DaemonSet';
    delete daemonClient.spec.replicas;
    const finding = single(lintBoth([...pair(noTolerations), daemonClient], ID));
    expect(finding.path).toBe(`${POD}/hostNetwork`);
    expect(finding.message).toContain('as a DaemonSet on the host network, tolerates the taint node.kubernetes.io/network-unavailable:NoSchedule');
    expect(finding.fix).toMatch(/^Add the toleration \{key: node.kubernetes.io\/network-unavailable, operator: Exists, effect: NoSchedule\}/);
    expect(lintBoth([...pair((ds) => { noTolerations(ds); ds.spec.template.spec.hostNetwork = true; }), daemonClient], ID)).toEqual([]);
  });

  test('a client that fits no node at all is not reported', () => {
    expect(lintClient(noTolerations, {
      tolerations: [GPU],
      nodeSelector: { pool: 'a' },
      affinity: requiredAffinity([{ key: 'pool', operator: 'In', values: ['b'] }]),
    })).toEqual([]);
  });

  test('names each client toleration the agent lacks, in one finding at the first', () => {
    const finding = single(lintClient(noTolerations, { tolerations: [GPU, { key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' }, { key: 'tpu', operator: 'Exists' }] }));
    expect(finding.path).toBe(`${POD}/tolerations/0`);
    expect(finding.message).toBe(`${INTRO} and can run on nodes without ${DS} in 2 ways: (1) it tolerates the taint `
      + `gpu=true:NoSchedule (spec.template.spec.tolerations[0]), which ${AGENT} does not tolerate: on a node with that taint the `
      + `client runs without an agent, and ${DROPPED}; (2) it tolerates every taint with key tpu (spec.template.spec.tolerations[2]), `
      + `which ${AGENT} does not tolerate: on a node with that taint the client runs without an agent, and ${DROPPED}`);
    expect(finding.fix).toMatch(/^\(1\) Add the toleration \{key: gpu, .*; \(2\) Add the toleration \{key: tpu, operator: Exists\}/);
  });
});

describe('NL013 client-coverage: labels', () => {
  test('fails if the client may land on a node pool the agent\'s nodeSelector excludes', () => {
    expect(single(lintClient((ds) => { ds.spec.template.spec.nodeSelector = { pool: 'agents' }; }, {}))).toEqual({
      ruleId: ID,
      ruleName: 'client-coverage',
      severity: Severity.ERROR,
      resource: CLIENT_REF,
      pair: PAIR,
      path: POD,
      manifestIndex: 2,
      message: `${INTRO} and can be scheduled on nodes where ${AGENT} does not run, e.g. a node without the label `
        + 'pool: the agent\'s nodeSelector requires pool=agents, and the client has no nodeSelector, '
        + `required node affinity or nodeName that keeps it off such nodes; on such a node the client runs without an agent, and ${DROPPED}`,
      fix: `Add nodeSelector pool: agents to ${CLIENT}, so it runs only where the `
        + `agent runs, or remove pool from spec.template.spec.nodeSelector of ${DS}`,
    });
  });

  test('fails if the client\'s nodeSelector picks another pool', () => {
    const finding = single(lintClient((ds) => { ds.spec.template.spec.nodeSelector = { pool: 'agents' }; }, { nodeSelector: { pool: 'gpu' } }));
    expect(finding.path).toBe(`${POD}/nodeSelector`);
    expect(finding.message).toContain('e.g. a node labeled pool=gpu: the agent\'s nodeSelector requires pool=agents, and the client\'s '
      + 'nodeSelector {"pool":"gpu"} does not imply it');
  });

  test('a client whose nodeSelector implies the agent\'s is covered', () => {
    expect(lintClient((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; },
      { nodeSelector: { 'kubernetes.io/os': 'linux', 'pool': 'web' } })).toEqual([]);
  });

  test.each([
    ['In', { key: 'pool', operator: 'In', values: ['a', 'b'] }, { nodeSelector: { pool: 'a' } }],
    ['Exists', { key: 'pool', operator: 'Exists' }, { affinity: requiredAffinity([{ key: 'pool', operator: 'In', values: ['x', 'y'] }]) }],
    ['NotIn by In', { key: 'pool', operator: 'NotIn', values: ['gpu'] }, { nodeSelector: { pool: 'web' } }],
    ['NotIn by NotIn', { key: 'pool', operator: 'NotIn', values: ['gpu'] }, { affinity: requiredAffinity([{ key: 'pool', operator: 'NotIn', values: ['gpu', 'tpu'] }]) }],
    ['NotIn by DoesNotExist', { key: 'pool', operator: 'NotIn', values: ['gpu'] }, { affinity: requiredAffinity([{ key: 'pool', operator: 'DoesNotExist' }]) }],
    ['DoesNotExist', { key: 'gpu', operator: 'DoesNotExist' }, { affinity: requiredAffinity([{ key: 'gpu', operator: 'DoesNotExist' }]) }],
  ])('a client whose constraints imply the agent\'s %s expression is covered', (_what, expression, podSpec) => {
    expect(lintClient((ds) => { ds.spec.template.spec.affinity = requiredAffinity([expression]); }, podSpec)).toEqual([]);
  });

  test.each([
    ['In', { key: 'pool', operator: 'In', values: ['a', 'b'] }, { nodeSelector: { pool: 'c' } }, 'a node labeled pool=c'],
    ['Exists', { key: 'pool', operator: 'Exists' }, {}, 'a node without the label pool'],
    ['NotIn', { key: 'pool', operator: 'NotIn', values: ['gpu'] }, {}, 'a node labeled pool=gpu'],
    ['DoesNotExist', { key: 'gpu', operator: 'DoesNotExist' }, { affinity: requiredAffinity([{ key: 'zone', operator: 'Exists' }]) }, 'a node labeled gpu=other'],
    ['In "other"', { key: 'pool', operator: 'In', values: ['other'] }, { affinity: requiredAffinity([{ key: 'pool', operator: 'Exists' }]) }, 'a node labeled pool with a value other than other'],
  ])('fails if the client does not imply the agent\'s %s expression', (_what, expression, podSpec, node) => {
    const finding = single(lintClient((ds) => { ds.spec.template.spec.affinity = requiredAffinity([expression]); }, podSpec));
    expect(finding.message).toContain(`e.g. ${node}: the agent's required node affinity requires ${expression.key} ${expression.operator}`);
  });

  test('the agent\'s terms are ORed: a client covered by their union is covered', () => {
    const agent = (ds: any): void => {
      ds.spec.template.spec.affinity = requiredAffinity([{ key: 'pool', operator: 'In', values: ['a'] }], [{ key: 'pool', operator: 'In', values: ['b'] }]);
    };
    expect(lintClient(agent, { affinity: requiredAffinity([{ key: 'pool', operator: 'In', values: ['a', 'b'] }]) })).toEqual([]);
    const finding = single(lintClient(agent, { affinity: requiredAffinity([{ key: 'pool', operator: 'In', values: ['a', 'c'] }]) }));
    expect(finding.path).toBe(`${POD}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution`);
    expect(finding.message).toContain('e.g. a node labeled pool=c: the agent\'s required node affinity requires one of 2 terms: '
      + '(pool In ["a"]) or (pool In ["b"]), and the client\'s required node affinity does not imply it');
    expect(finding.fix).toMatch(/^Give Deployment infra\/checkout a nodeSelector or required node affinity that implies one of the nodeSelectorTerms of/);
  });

  test('the client\'s terms are ORed: each must be covered', () => {
    const finding = single(lintClient((ds) => { ds.spec.template.spec.nodeSelector = { pool: 'a' }; }, {
      affinity: requiredAffinity([{ key: 'pool', operator: 'In', values: ['a'] }], [{ key: 'pool', operator: 'In', values: ['z'] }]),
    }));
    expect(finding.message).toContain('e.g. a node labeled pool=z');
  });

  test('the fix of an affinity expression the client can adopt as a nodeSelector', () => {
    const finding = single(lintClient((ds) => {
      ds.spec.template.spec.affinity = requiredAffinity([{ key: 'pool', operator: 'In', values: ['agents'] }]);
    }, { nodeSelector: { zone: 'a' } }));
    expect(finding.path).toBe(`${POD}/nodeSelector`);
    expect(finding.fix).toBe(`Add nodeSelector pool: agents to ${CLIENT}, so it runs only where the agent runs, or remove that expression `
      + `from spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of ${DS}`);
  });

  test('names every requirement of the agent the client does not imply, and only those', () => {
    const finding = single(lintClient((ds) => {
      ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' };
      ds.spec.template.spec.affinity = requiredAffinity([
        { key: 'pool', operator: 'In', values: ['agents'] },
        { key: 'zone', operator: 'In', values: ['a', 'b'] },
        { key: 'gpu', operator: 'DoesNotExist' },
      ]);
    }, { nodeSelector: { 'kubernetes.io/os': 'linux', 'zone': 'a' } }));
    expect(finding.path).toBe(`${POD}/nodeSelector`);
    expect(finding.message).toContain('e.g. a node without the label pool: the agent\'s required node affinity '
      + 'requires pool In ["agents"] and gpu DoesNotExist, and the client\'s nodeSelector {"kubernetes.io/os":"linux","zone":"a"} '
      + 'does not imply it');
    expect(finding.fix).toBe('Add nodeSelector pool: agents and the required node affinity expression {"key":"gpu","operator":"DoesNotExist"} '
      + `(in each of its nodeSelectorTerms) to ${CLIENT}, so it runs only where the agent runs, or remove those expressions from `
      + `spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of ${DS}`);
  });

  test('fails if the agent is pinned to one node and the client is not', () => {
    const finding = single(lintClient((ds) => { ds.spec.template.spec.nodeName = 'node-1'; }, {}));
    expect(finding.path).toBe(POD);
    expect(finding.message).toContain('e.g. a node other than node-1: the agent runs only on node node-1 (spec.template.spec.nodeName)');
    expect(lintClient((ds) => { ds.spec.template.spec.nodeName = 'node-1'; }, { nodeName: 'node-1' })).toEqual([]);
    const pinned = single(lintClient((ds) => { ds.spec.template.spec.nodeName = 'node-1'; }, { nodeName: 'node-2' }));
    expect(pinned.path).toBe(`${POD}/nodeName`);
    expect(pinned.message).toContain('e.g. a node named node-2: the agent runs only on node node-1 (spec.template.spec.nodeName), and '
      + 'the client\'s nodeName "node-2" does not imply it');
  });

  test('a client pinned to a node is covered by an agent without constraints', () => {
    expect(lintClient(() => undefined, { nodeName: 'node-1' })).toEqual([]);
  });

  test('fails if the agent\'s required node affinity has only empty terms: it runs nowhere', () => {
    const finding = single(lintClient((ds) => {
      ds.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } };
    }, {}));
    expect(finding.message).toContain('e.g. any node: the agent\'s required node affinity has no term that matches a node');
  });

  test('a preferred node affinity restricts nothing', () => {
    expect(lintClient((ds) => {
      ds.spec.template.spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }] } }] } };
    }, {})).toEqual([]);
  });

  test('the taint and the label of one client are one finding naming both', () => {
    const finding = single(lintClient((ds) => { noTolerations(ds); ds.spec.template.spec.nodeSelector = { pool: 'agents' }; }, { tolerations: [GPU] }));
    expect(finding.path).toBe(`${POD}/tolerations/0`);
    expect(finding.message).toMatch(/in 2 ways: \(1\) it tolerates the taint gpu=true:NoSchedule .*; \(2\) it can be scheduled on nodes where .* e\.g\. a node without the label pool/);
  });

  /** A workload that shows the cluster has Windows nodes: it runs only there. */
  const WINDOWS_WORKLOAD = client({ nodeSelector: { 'kubernetes.io/os': 'windows' } }, 'unrelated', 'iis');

  test('an agent on the OS its image runs on is not an NL013 gap for a client without that constraint (NL130 warns)', () => {
    const linuxOnly = [...pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; }), client({})];
    expect(lintBoth(linuxOnly, ID)).toEqual([]);
    // nothing in these manifests runs on Windows: most clusters have no such nodes, so no warning either
    expect(lintBoth(linuxOnly, 'NL130')).toEqual([]);
    const manifests = [...linuxOnly, WINDOWS_WORKLOAD];
    expect(lintBoth(manifests, ID)).toEqual([]);
    const warning = single(lintBoth(manifests, 'NL130'));
    expect(warning).toMatchObject({ severity: Severity.WARNING, resource: CLIENT_REF, path: POD, pair: PAIR });
    // a node without kubernetes.io/os cannot exist: the example is a node of the other OS
    expect(warning.message).toBe(`${INTRO} and can be scheduled on a node labeled kubernetes.io/os=windows, where ${AGENT} does `
      + 'not run: the agent\'s nodeSelector requires kubernetes.io/os=linux, the platform its image runs on, and the client has no '
      + 'nodeSelector, required node affinity or nodeName that keeps it off such nodes; if the cluster has such nodes, the client '
      + `runs there without an agent and ${DROPPED}`);
    expect(warning.fix).toBe(`Add nodeSelector kubernetes.io/os: linux to ${CLIENT}, so it runs only where the agent can; or, if the `
      + `cluster has no such nodes, keep it and acknowledge NL130 on ${CLIENT} (or on the agent, for all its clients)`);
    // a client on the same OS is covered, also through the beta label the kubelet still sets
    expect(lintBoth([...manifests.slice(0, 2), client({ nodeSelector: { 'beta.kubernetes.io/os': 'linux' } }), WINDOWS_WORKLOAD], 'NL130'))
      .toEqual([]);
  });

  test('a node whose label value is made up to miss the agent\'s is named by what it is not', () => {
    const exists = requiredAffinity([{ key: 'pool', operator: 'Exists' }]);
    const finding = single(lintClient((ds) => { ds.spec.template.spec.nodeSelector = { pool: 'b' }; }, { affinity: exists }));
    expect(finding.message).toContain('e.g. a node labeled pool with a value other than b: the agent\'s nodeSelector requires pool=b');
  });

  test('evidence is per label: Windows nodes say nothing of Arm nodes', () => {
    const amd64Only = pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/arch': 'amd64' }; });
    expect(lintBoth([...amd64Only, client({}), WINDOWS_WORKLOAD], 'NL130')).toEqual([]);
    const armWorkload = client({ nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, 'unrelated', 'arm-batch');
    const warning = single(lintBoth([...amd64Only, client({}), WINDOWS_WORKLOAD, armWorkload], 'NL130'));
    expect(warning.message).toContain('can be scheduled on a node labeled kubernetes.io/arch=arm64, where');
  });

  test('a toleration of the usual Windows taint is evidence of Windows nodes too', () => {
    const tolerating = client({ nodeSelector: { 'kubernetes.io/arch': 'amd64' }, tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }] }, 'unrelated', 'win-job');
    const manifests = [...pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; }), client({}), tolerating];
    expect(lintBoth(manifests, 'NL130').map((f) => f.resource.name)).toEqual([CLIENT_REF.name]);
  });

  test('a Linux and a Windows DaemonSet behind one Service cover a client on either OS: no gap, no warning, no duplicate', () => {
    const [linuxAgent, service] = pair((ds) => { ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; });
    const windowsAgent = JSON.parse(JSON.stringify(linuxAgent));
    windowsAgent.metadata.name = `${linuxAgent.metadata.name}-windows`;
    windowsAgent.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'windows' };
    const manifests = [linuxAgent, windowsAgent, service, client({}), WINDOWS_WORKLOAD];
    const findings = lintManifests(manifests).filter((f) => ['NL005', ID, 'NL130', 'NL107'].includes(f.ruleId));
    expect(findings).toEqual([]);
    // without the Windows copy, the same client is warned about Windows nodes
    expect(lintBoth([linuxAgent, service, client({}), WINDOWS_WORKLOAD], 'NL130')).toHaveLength(1);
  });

  test('acknowledging the platform warning silences it, not a real gap beside it', () => {
    const manifests = [
      ...pair((ds) => { noTolerations(ds); ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' }; }),
      client({ tolerations: [GPU] }),
      WINDOWS_WORKLOAD,
    ];
    const relevant = () => lintManifests(manifests).filter((f) => f.ruleId === ID || f.ruleId === 'NL130').map((f) => [f.ruleId, f.path]);
    expect(relevant()).toEqual([[ID, `${POD}/tolerations/0`], ['NL130', POD]]);
    manifests[2].metadata.annotations = { 'cdk8s-node-local/acknowledge-NL130': 'the cluster has no Windows nodes' };
    expect(relevant()).toEqual([[ID, `${POD}/tolerations/0`]]);
  });

  test('a client that can land on EKS Fargate or virtual-kubelet nodes is not reported: no DaemonSet runs there', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{
            matchExpressions: [
              { key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate'] },
              { key: 'type', operator: 'NotIn', values: ['virtual-kubelet'] },
            ],
          }],
        },
      },
    };
    expect(lintClient((ds) => { ds.spec.template.spec.affinity = affinity; }, {})).toEqual([]);
  });
});

describe('NL013 client-coverage through the construct', () => {
  const AGENT_REF = { kind: 'DaemonSet', name: 'otel-agent', namespace: 'obs' };
  const PAIRS = { pairs: [{ service: { kind: 'Service', name: 'otel-agent', namespace: 'obs' }, daemonSet: AGENT_REF }] };

  function setup(agentProps: { tolerateAllTaints?: boolean } = {}) {
    const chart = Testing.chart();
    const agent = new NodeLocalDaemonService(chart, 'otel', {
      metadata: { name: 'otel-agent', namespace: 'obs' },
      containers: [{ image: 'otel/opentelemetry-collector-contrib:0.98.0' }],
      ports: [
        { port: 4317, name: 'otlp-grpc' },
        { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 },
      ],
      ...agentProps,
    });
    const checkout = new kplus.Deployment(chart, 'checkout', {
      metadata: { name: 'checkout', namespace: 'shop' },
      containers: [{ name: 'app', image: 'app:1' }],
    });
    return { chart, agent, checkout };
  }

  // the agent's own synth-time validation prints its warnings (NL102, NL103): not what these tests are about
  beforeEach(() => { jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => { jest.restoreAllMocks(); });

  const written = (chart: Chart) => chart.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson());
  const coverage = (manifests: any[]) => lintManifests(manifests, PAIRS).filter((f) => f.ruleId === ID || f.ruleId === 'NL107');
  const INTRO_FQDN = 'Deployment shop/checkout sends to Service obs/otel-agent (env OTEL_EXPORTER_OTLP_ENDPOINT of container "app" '
    + 'is "http://otel-agent.obs.svc.cluster.local:4317")';

  test('the default agent covers a connected client, whatever it tolerates', () => {
    const { chart, agent, checkout } = setup();
    checkout.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('gpu', 'true', { effect: kplus.TaintEffect.NO_SCHEDULE })));
    agent.connect(checkout, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    expect(coverage(Testing.synth(chart))).toEqual([]);
  });

  test('fails if the agent keeps to a node pool and does not tolerate the client\'s GPU taint', () => {
    const { chart, agent, checkout } = setup({ tolerateAllTaints: false });
    agent.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'agents')));
    checkout.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('gpu', 'true', { effect: kplus.TaintEffect.NO_SCHEDULE })));
    agent.connect(checkout, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    // the construct's own validation fails synthesis on it...
    expect(() => Testing.synth(chart)).toThrow(/\[test\/otel\] NL013: Deployment shop\/checkout .* in 2 ways: .* e\.g\. a node without the label pool/);
    // ...and the engine reports the same on the objects as they would be written
    const findings = coverage(written(chart));
    const agentName = 'DaemonSet obs/otel-agent, the agent behind that Service,';
    expect(findings.map((f) => [f.ruleId, f.severity, f.resource, f.path])).toEqual([
      [ID, Severity.ERROR, { kind: 'Deployment', name: 'checkout', namespace: 'shop' }, '/spec/template/spec/tolerations/0'],
    ]);
    expect(findings[0].message).toBe(`${INTRO_FQDN} and can run on nodes without DaemonSet obs/otel-agent in 2 ways: (1) it `
      + `tolerates the taint gpu=true:NoSchedule (spec.template.spec.tolerations[0]), which ${agentName} does not tolerate: on a `
      + `node with that taint the client runs without an agent, and ${DROPPED}; (2) it can be scheduled on nodes where `
      + `${agentName} does not run, e.g. a node without the label pool: the agent's required node affinity requires pool In `
      + '["agents"], and the client has no nodeSelector, required node affinity or nodeName that keeps it off such nodes; on such '
      + `a node the client runs without an agent, and ${DROPPED}`);
    expect(findings[0].fix).toMatch(/; \(2\) Add nodeSelector pool: agents to Deployment shop\/checkout, so it runs only where the agent runs, /);
  });

  test('a client that follows the agent to its pool is covered', () => {
    const { chart, agent, checkout } = setup({ tolerateAllTaints: false });
    agent.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'agents')));
    checkout.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'agents'), kplus.NodeLabelQuery.is('zone', 'a')));
    agent.connect(checkout, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    expect(coverage(Testing.synth(chart))).toEqual([]);
  });

  test('a client connected through the host IP is checked too', () => {
    const { chart, agent, checkout } = setup({ tolerateAllTaints: false });
    checkout.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('dedicated')));
    agent.connect(checkout, { port: 'statsd', env: 'STATSD_ADDRESS', via: ClientEndpoint.hostIp() });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/otel\] NL013: Deployment shop\/checkout sends to the agent of Service obs\/otel-agent through its node's IP/);
    const finding = single(coverage(written(chart)));
    expect(finding.path).toBe('/spec/template/spec/tolerations/0');
    expect(finding.message).toBe('Deployment shop/checkout sends to the agent of Service obs/otel-agent through its node\'s IP '
      + '(env STATSD_ADDRESS of container "app" is "$(NODE_LOCAL_HOST_IP):8125", which expands to "<node IP>:8125", '
      + 'and 8125 a host port of DaemonSet obs/otel-agent) and tolerates every taint with key dedicated '
      + '(spec.template.spec.tolerations[0]), which DaemonSet obs/otel-agent, the agent behind that Service, does not tolerate: '
      + 'on a node with that taint the client runs without an agent, and its traffic to the host port is lost (DataDog/helm-charts#1251)');
  });
});
