import { client, CLIENT, CLIENT_REF, PAIR, noTolerations, POD, requiredAffinity, requiredTerms } from './client-fixtures';
import { DS, lintBoth, pair, single, SVC, SVC_NAME } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL107';
const GEN_GT_3 = { key: 'generation', operator: 'Gt', values: ['3'] };
const AFFINITY = `${POD}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution`;

/** The NL013 and NL107 findings for the fixture pair (the agent mutated) and a client with the pod spec fields given. */
function lintClient(agent: (ds: any) => void, podSpec: Record<string, unknown>) {
  const manifests = [...pair(agent), client(podSpec)];
  return [...lintBoth(manifests, 'NL013'), ...lintBoth(manifests, ID)];
}

function agentAffinity(...terms: Array<Array<Record<string, unknown>>>): (ds: any) => void {
  return (ds) => { ds.spec.template.spec.affinity = requiredAffinity(...terms); };
}

describe('NL107 client-coverage-unproven', () => {
  test('warns if the agent requires a Gt expression the client does not have', () => {
    expect(single(lintClient(agentAffinity([GEN_GT_3]), {}))).toEqual({
      ruleId: ID,
      ruleName: 'client-coverage-unproven',
      severity: Severity.WARNING,
      resource: CLIENT_REF,
      pair: PAIR,
      path: POD,
      manifestIndex: 2,
      message: `${CLIENT} sends to ${SVC} (env DNS_SERVER of container "app" is "${SVC_NAME}:53"), but the rule cannot prove that `
        + `${DS}, the agent behind that Service, runs on every node the client can be scheduled on: the agent requires `
        + 'matchExpressions generation Gt ["3"] (required node affinity), which the rule only recognises when the client has the '
        + 'same expression; on a node without the agent, the client runs alone and its traffic to the Local Service is dropped '
        + '(DataDog/helm-charts#1251)',
      fix: `Give ${CLIENT} a nodeSelector or required node affinity made of In, NotIn, Exists and DoesNotExist expressions (or the `
        + `agent's own expressions) that implies the nodes of ${DS}, or let ${DS} run on every node; if the cluster's nodes `
        + `guarantee it, acknowledge NL107 for ${CLIENT} with the reason`,
    });
  });

  test('the same expression in the client proves it, in any order of values', () => {
    expect(lintClient(agentAffinity([GEN_GT_3, { key: 'pool', operator: 'In', values: ['a', 'b'] }]), {
      affinity: requiredAffinity([{ key: 'pool', operator: 'In', values: ['b'] }, { key: 'generation', operator: 'Gt', values: ['3'] }]),
    })).toEqual([]);
    const fields = [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }] }];
    const agent = (ds: any): void => {
      ds.spec.template.spec.affinity = requiredTerms(fields);
    };
    expect(single(lintClient(agent, {})).message).toContain('the agent requires matchFields metadata.name NotIn ["node-1"] (required node affinity)');
    expect(lintClient(agent, { affinity: requiredTerms(fields) })).toEqual([]);
  });

  test('an expression of the client that differs from the agent\'s proves nothing', () => {
    const finding = single(lintClient(agentAffinity([GEN_GT_3]), { affinity: requiredAffinity([{ key: 'generation', operator: 'Gt', values: ['5'] }]) }));
    expect(finding.ruleId).toBe(ID);
    expect(finding.path).toBe(`${AFFINITY}/nodeSelectorTerms/0/matchExpressions/0`);
    expect(finding.message).toContain('the client\'s required node affinity has matchExpressions generation Gt ["5"], which the rule does not reason about; '
      + 'the agent requires matchExpressions generation Gt ["3"] (required node affinity), which the rule only recognises');
  });

  test('an error still shows when a requirement the rule does reason about fails', () => {
    const finding = single(lintClient(agentAffinity([GEN_GT_3, { key: 'pool', operator: 'In', values: ['a'] }]), { nodeSelector: { pool: 'b' } }));
    expect(finding.ruleId).toBe('NL013');
    expect(finding.message).toContain('e.g. a node labeled pool=b: the agent\'s required node affinity requires pool In ["a"]');
  });

  test('an agent term the rule cannot read does not hide another term that covers the client', () => {
    const agent = agentAffinity([GEN_GT_3], [{ key: 'pool', operator: 'In', values: ['a'] }]);
    expect(lintClient(agent, { nodeSelector: { pool: 'a' } })).toEqual([]);
    expect(single(lintClient(agent, {})).ruleId).toBe(ID);
  });

  test('warns if the client\'s own expression decides the outcome', () => {
    const finding = single(lintClient((ds) => { ds.spec.template.spec.nodeSelector = { pool: 'a' }; }, {
      affinity: requiredAffinity([{ key: 'pool', operator: 'Lt', values: ['10'] }]),
    }));
    expect(finding.ruleId).toBe(ID);
    expect(finding.path).toBe(`${AFFINITY}/nodeSelectorTerms/0/matchExpressions/0`);
    expect(finding.message).toContain('the client\'s required node affinity has matchExpressions pool Lt ["10"], which the rule does not reason about');
  });

  test('a client expression the rule cannot read does not matter when the agent runs everywhere', () => {
    expect(lintClient(() => undefined, { affinity: requiredAffinity([GEN_GT_3, { key: 'x', operator: 'Near', values: ['y'] }]) })).toEqual([]);
  });

  test('malformed expressions are not guessed at', () => {
    const finding = single(lintClient(agentAffinity([{ key: 'pool', operator: 'In', values: [] }]), {}));
    expect(finding.ruleId).toBe(ID);
    expect(finding.message).toContain('the agent requires matchExpressions pool In [] (required node affinity)');
    const unreadable = (ds: any): void => {
      ds.spec.template.spec.affinity = requiredTerms('pool=a');
    };
    expect(single(lintClient(unreadable, {})).ruleId).toBe(ID);
    for (const expressions of [[{ operator: 'Exists' }], [{ key: 'pool', operator: 'In', values: [BigInt(1)] }], 'pool=a']) {
      const agent = (ds: any): void => {
        ds.spec.template.spec.affinity = requiredTerms([{ matchExpressions: expressions }]);
      };
      expect(single(lintClient(agent, {})).ruleId).toBe(ID);
    }
  });

  test('warns if a taint gap only matters when the client fits some node, which its expressions leave open', () => {
    const finding = single(lintClient(noTolerations, {
      tolerations: [{ key: 'gpu', operator: 'Exists' }],
      affinity: requiredAffinity([GEN_GT_3]),
    }));
    expect(finding.ruleId).toBe(ID);
    expect(finding.path).toBe(`${AFFINITY}/nodeSelectorTerms/0/matchExpressions/0`);
    expect(finding.message).toContain('and tolerates every taint with key gpu, which DaemonSet infra/node-dns-agent-c8f2a4b1, the agent behind that '
      + 'Service, does not tolerate, but the rule cannot tell whether the client fits any node: its required node affinity has '
      + 'matchExpressions generation Gt ["3"], which the rule does not reason about');
  });

  test('warns if the comparison is too large to enumerate', () => {
    // 7 terms of 5 keys each split the client's nodes into 5^7 pieces before the last two terms cover them all
    const decoys = Array.from({ length: 7 }, (_, t) => Array.from({ length: 5 }, (__, k) => ({ key: `k${t}-${k}`, operator: 'In', values: ['x'] })));
    const finding = single(lintClient(agentAffinity(...decoys, [{ key: 'pool', operator: 'Exists' }], [{ key: 'pool', operator: 'DoesNotExist' }]), {}));
    expect(finding.ruleId).toBe(ID);
    expect(finding.message).toContain('the agent\'s 9 required node affinity terms are too many to compare with the client\'s 1');
    // the same terms without the decoys are compared exactly: together they cover every node
    expect(lintClient(agentAffinity([{ key: 'pool', operator: 'Exists' }], [{ key: 'pool', operator: 'DoesNotExist' }]), {})).toEqual([]);
  });
});
