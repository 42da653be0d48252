/**
 * Property-based tests of the client-coverage rules against a brute-force oracle: random client
 * and agent pod specs built from a small alphabet of label keys, values, taints and node names,
 * checked over every node of a universe drawn from the same alphabet plus fresh keys, values and
 * names (standing for every other node a cluster may have).
 */
import * as fc from 'fast-check';
import { client, requiredTerms } from './client-fixtures';
import { DECLARED, pair } from './fixtures';
import { LintContext } from '../../src/lint/context';
import { lintManifests } from '../../src/lint/lint';
import { compareLabels, readNodeRequirements } from '../../src/rules/placement';

const LABEL_KEYS = ['a', 'b'];
const LABEL_VALUES = ['x', '1', '3'];
const NUMBERS = ['2', '4'];
const NODE_NAMES = ['n1', 'n2'];
const TAINT_KEYS = ['a', 'b', 'node.kubernetes.io/unschedulable'];
const TAINT_VALUES = ['x', 'y', ''];
const EFFECTS = ['NoSchedule', 'NoExecute', 'PreferNoSchedule'];

/** The tolerations the DaemonSet controller adds (the universe only has one of their keys). */
const DAEMONSET_TOLERATIONS = [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }];

// ------------------------------------------------------------------ generators

const expression = fc.oneof(
  fc.record({ key: fc.constantFrom(...LABEL_KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...LABEL_VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...LABEL_KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
  fc.record({ key: fc.constantFrom(...LABEL_KEYS), operator: fc.constantFrom('Gt', 'Lt'), values: fc.constantFrom(...NUMBERS).map((n) => [n]) }),
);
const preciseExpression = fc.oneof(
  fc.record({ key: fc.constantFrom(...LABEL_KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...LABEL_VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...LABEL_KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const field = fc.record({ key: fc.constant('metadata.name'), operator: fc.constantFrom('In', 'NotIn'), values: fc.constantFrom(...NODE_NAMES).map((n) => [n]) });
const term = fc.record({
  matchExpressions: fc.array(expression, { maxLength: 2 }),
  matchFields: fc.option(fc.array(field, { maxLength: 1 }), { nil: undefined, freq: 4 }),
}).map((t) => (t.matchFields === undefined ? { matchExpressions: t.matchExpressions } : t));
const affinity = fc.option(fc.array(term, { minLength: 1, maxLength: 3 }).map(requiredTerms), { nil: undefined });
const labelMap = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { minKeys: 1, maxKeys: 2 });
const nodeSelector = fc.option(labelMap, { nil: undefined });
const nodeName = fc.option(fc.constantFrom(...NODE_NAMES), { nil: undefined, freq: 5 });
const toleration = fc.record({
  key: fc.constantFrom(...TAINT_KEYS, undefined),
  operator: fc.constantFrom('Exists', 'Equal', undefined),
  value: fc.constantFrom(...TAINT_VALUES, undefined),
  effect: fc.constantFrom(...EFFECTS, undefined),
  tolerationSeconds: fc.option(fc.constant(60), { nil: undefined, freq: 5 }),
}).map((t) => {
  // keep what the API server accepts: no value with Exists, Exists without a key
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) {
    if (v !== undefined) {
      result[k] = v;
    }
  }
  if (t.operator === 'Exists') {
    delete result.value;
  } else if (t.key === undefined) {
    result.operator = 'Exists';
    delete result.value;
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    delete result.tolerationSeconds;
  }
  return result;
});
/** Only what the rule decides exactly: nodeSelector, nodeName and In/NotIn/Exists/DoesNotExist terms. */
const labelsOnly = fc.record({
  nodeSelector,
  nodeName,
  affinity: fc.option(fc.array(fc.array(preciseExpression, { maxLength: 3 }).map((matchExpressions) => ({ matchExpressions })),
    { minLength: 1, maxLength: 3 }).map(requiredTerms), { nil: undefined }),
}).map((spec) => Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)));
const tolerationsOnly = fc.record({
  nodeName: fc.option(fc.constantFrom(...NODE_NAMES), { nil: undefined, freq: 8 }),
  tolerations: fc.array(toleration, { maxLength: 4 }),
}).map((spec) => Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)));
const podSpec = fc.record({
  nodeSelector,
  affinity,
  nodeName,
  tolerations: fc.option(fc.array(toleration, { maxLength: 3 }), { nil: undefined }),
}).map((spec) => Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)));

// ------------------------------------------------------------------ the oracle

interface Node {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly taint?: { readonly key: string; readonly value: string; readonly effect: string };
}

/** Every node of the universe: the alphabet's labels and names plus fresh ones, with no taint or one taint. */
function universe(): Node[] {
  const labelValues = [undefined, ...LABEL_VALUES, 'w', '7'];
  const labelSets: Array<Map<string, string>> = [];
  for (const a of labelValues) {
    for (const b of labelValues) {
      const labels = new Map<string, string>();
      if (a !== undefined) {
        labels.set('a', a);
      }
      if (b !== undefined) {
        labels.set('b', b);
      }
      labelSets.push(labels);
    }
  }
  const taints: Array<Node['taint']> = [undefined];
  for (const key of [...TAINT_KEYS, 'fresh-key']) {
    for (const value of [...TAINT_VALUES, 'fresh']) {
      for (const effect of EFFECTS) {
        taints.push({ key, value, effect });
      }
    }
  }
  const nodes: Node[] = [];
  for (const name of [...NODE_NAMES, 'n3']) {
    for (const labels of labelSets) {
      for (const taint of taints) {
        nodes.push({ name, labels, taint });
      }
    }
  }
  return nodes;
}
const NODES = universe();

function matchesExpression(e: any, node: Node): boolean {
  const value = node.labels.get(e.key);
  switch (e.operator) {
    case 'In': return value !== undefined && e.values.includes(value);
    case 'NotIn': return value === undefined || !e.values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && /^[0-9]+$/.test(value) && Number(value) > Number(e.values[0]);
    case 'Lt': return value !== undefined && /^[0-9]+$/.test(value) && Number(value) < Number(e.values[0]);
    default: throw new Error(`unexpected operator ${e.operator}`);
  }
}

function matchesField(f: any, node: Node): boolean {
  return f.operator === 'In' ? node.name === f.values[0] : node.name !== f.values[0];
}

/** Whether a pod spec accepts a node by its labels and name (nodeSelector, nodeName, required node affinity). */
function labelsFit(spec: any, node: Node): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    if (node.labels.get(k) !== v) {
      return false;
    }
  }
  if (spec.nodeName !== undefined && spec.nodeName !== node.name) {
    return false;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) {
    return true;
  }
  return required.nodeSelectorTerms.some((t: any) => {
    const expressions = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) {
      return false; // an empty term matches no node
    }
    return expressions.every((e: any) => matchesExpression(e, node)) && fields.every((f: any) => matchesField(f, node));
  });
}

function tolerates(t: any, taint: NonNullable<Node['taint']>, durable: boolean): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) {
    return false;
  }
  if (durable && taint.effect === 'NoExecute' && t.tolerationSeconds !== undefined) {
    return false; // evicted when the time runs out
  }
  if (t.key !== undefined && t.key !== taint.key) {
    return false;
  }
  return t.operator === 'Exists' || (t.value ?? '') === taint.value;
}

/** Whether a pod can stay on a node given its taint: the agent is a DaemonSet (and must stay), the client a Deployment. */
function taintFits(spec: any, node: Node, role: 'client' | 'agent'): boolean {
  const taint = node.taint;
  if (taint === undefined || taint.effect === 'PreferNoSchedule') {
    return true;
  }
  if (role === 'client' && spec.nodeName !== undefined && taint.effect === 'NoSchedule') {
    return true; // nodeName bypasses the scheduler; the kubelet only checks NoExecute
  }
  const tolerations = [...(spec.tolerations ?? []), ...(role === 'agent' ? DAEMONSET_TOLERATIONS : [])];
  return tolerations.some((t) => tolerates(t, taint, role === 'agent'));
}

/** A node of the universe the client can run on and the agent cannot, or undefined. */
function counterexample(clientSpec: any, agentSpec: any): Node | undefined {
  return NODES.find((n) => labelsFit(clientSpec, n) && taintFits(clientSpec, n, 'client')
    && !(labelsFit(agentSpec, n) && taintFits(agentSpec, n, 'agent')));
}

// ------------------------------------------------------------------ the properties

/** The coverage findings for an agent and a client with these scheduling fields. */
function coverage(agentSpec: any, clientSpec: any) {
  const manifests = [
    ...pair((ds) => {
      delete ds.spec.template.spec.tolerations;
      Object.assign(ds.spec.template.spec, agentSpec);
    }),
    client(clientSpec),
  ];
  return lintManifests(manifests, DECLARED).filter((f) => f.ruleId === 'NL013' || f.ruleId === 'NL107');
}

describe('client coverage, property-based', () => {
  test('the oracle sees the gaps of the example cases', () => {
    const gpu = { tolerations: [{ key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] };
    expect(counterexample(gpu, {})).toBeDefined();
    expect(counterexample(gpu, { tolerations: [{ operator: 'Exists' }] })).toBeUndefined();
    expect(counterexample({}, { nodeSelector: { a: 'x' } })).toBeDefined();
    expect(counterexample({ nodeSelector: { a: 'x', b: '1' } }, { nodeSelector: { a: 'x' } })).toBeUndefined();
  });

  test('no finding means covered on every node of the universe, and an error always has a node that proves it', () => {
    fc.assert(fc.property(podSpec, podSpec, (agentSpec, clientSpec) => {
      const findings = coverage(agentSpec, clientSpec);
      const gap = counterexample(clientSpec, agentSpec);
      if (findings.length === 0) {
        expect(gap).toBeUndefined();
      }
      if (findings.some((f) => f.ruleId === 'NL013')) {
        expect(gap).toBeDefined();
      }
    }), { numRuns: 400 });
  });

  test('labels alone, with only what the rule decides exactly: an error exactly when the universe has a gap, never a warning', () => {
    const everything = { tolerations: [{ operator: 'Exists' }] };
    fc.assert(fc.property(labelsOnly, labelsOnly, (agentSpec, clientSpec) => {
      const findings = coverage({ ...agentSpec, ...everything }, clientSpec);
      expect(findings.filter((f) => f.ruleId === 'NL107')).toEqual([]);
      expect(findings.length > 0).toBe(counterexample(clientSpec, { ...agentSpec, ...everything }) !== undefined);
    }), { numRuns: 400 });
  });

  test('labels alone: the node a gap is shown with is a node the client fits and the agent does not', () => {
    fc.assert(fc.property(labelsOnly, labelsOnly, (agentSpec, clientSpec) => {
      const agent = pair((ds) => Object.assign(ds.spec.template.spec, agentSpec))[0];
      const [agentWorkload, clientWorkload] = new LintContext([agent, client(clientSpec)]).workloads;
      const verdict = compareLabels(readNodeRequirements(clientWorkload), readNodeRequirements(agentWorkload));
      expect(verdict.kind).not.toBe('unproven');
      if (verdict.kind === 'gap') {
        const labels = new Map<string, string>();
        let name = 'another-node';
        for (const [key, value] of verdict.witness) {
          if (key === '\u0000nodeName') {
            name = value!;
          } else if (value !== undefined) {
            labels.set(key, value);
          }
        }
        const node: Node = { name, labels };
        expect([labelsFit(clientSpec, node), labelsFit(agentSpec, node)]).toEqual([true, false]);
      }
    }), { numRuns: 400 });
  });

  test('taints alone: an error exactly when the universe has a gap, one per toleration at fault', () => {
    fc.assert(fc.property(tolerationsOnly, tolerationsOnly, (agentSpec, clientSpec) => {
      const { nodeName: _pinned, ...agentTolerations } = agentSpec as any;
      const findings = coverage(agentTolerations, clientSpec);
      expect(findings.every((f) => f.ruleId === 'NL013')).toBe(true);
      expect(findings.length > 0).toBe(counterexample(clientSpec, agentTolerations) !== undefined);
      // each toleration reported is at fault on its own: a client with just that toleration has a gap
      for (const f of findings.filter((x) => /\/tolerations\/[0-9]+$/.test(x.path))) {
        const index = Number(f.path.split('/').pop());
        expect(counterexample({ tolerations: [(clientSpec as any).tolerations[index]] }, agentTolerations)).toBeDefined();
      }
    }), { numRuns: 400 });
  });

  test('an agent that tolerates every taint and selects no nodes covers every client', () => {
    fc.assert(fc.property(podSpec, fc.constantFrom([{ operator: 'Exists' }], [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }]),
      (clientSpec, tolerations) => {
        expect(coverage({ tolerations }, clientSpec)).toEqual([]);
      }), { numRuns: 200 });
  });

  test('never throws on garbage in the scheduling fields of either side', () => {
    const garbage = fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true });
    const fields = fc.record({
      nodeSelector: garbage,
      affinity: fc.oneof(garbage, fc.array(garbage, { maxLength: 3 }).map(requiredTerms)),
      nodeName: garbage,
      tolerations: fc.oneof(garbage, fc.array(garbage, { maxLength: 3 })),
      hostNetwork: garbage,
    }, { requiredKeys: [] });
    fc.assert(fc.property(fields, fields, (agentSpec, clientSpec) => {
      for (const finding of coverage(agentSpec, clientSpec)) {
        expect(finding.message.length).toBeGreaterThan(0);
        expect(finding.path.startsWith('/spec/template/spec')).toBe(true);
      }
    }), { numRuns: 300 });
  });
});
