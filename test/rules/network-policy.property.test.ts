// Properties of the NetworkPolicy analysis that no list of cases covers: it never throws,
// policies add up (an allow-all policy clears every denial), what the manifests fully decide
// is never "unproven", and the order of the policies does not change the verdict.
import fc from 'fast-check';
import { client } from './client-fixtures';
import { ADDR, DS_ADDR, NAMESPACE, pair } from './fixtures';
import { namespace, remoteClient } from './policy-fixtures';
import { lintManifests } from '../../src/lint/lint';

const POLICY_RULES = ['NL016', 'NL017', 'NL109'];
const RUNS = 300;

const selector = fc.constantFrom<Record<string, unknown>>(
  {}, { matchLabels: { app: 'web' } }, { matchLabels: { [ADDR]: DS_ADDR } }, { matchLabels: { app: 'checkout' } },
  { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'checkout'] }] },
  { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] },
);
const namespaceSelector = fc.constantFrom<Record<string, unknown>>(
  {}, { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACE } },
  { matchLabels: { team: 'shop' } }, { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector }),
  fc.record({ namespaceSelector, podSelector: selector }),
);
const port = fc.constantFrom<Record<string, unknown>>(
  { port: 8053 }, { protocol: 'UDP', port: 8053 }, { protocol: 'UDP', port: 'dns' }, { port: 'dns-tcp' },
  { protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 8000, endPort: 9000 }, { protocol: 'UDP' },
);
const rule = (peersKey: 'from' | 'to') => fc.record({ [peersKey]: fc.array(peer, { maxLength: 3 }), ports: fc.array(port, { maxLength: 3 }) }, { requiredKeys: [] });
const policy = fc.record({
  namespace: fc.constantFrom(NAMESPACE, 'shop'),
  podSelector: selector,
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress'], { minLength: 1 }), { nil: undefined }),
  ingress: fc.option(fc.array(rule('from'), { maxLength: 3 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 3 }), { nil: undefined }),
}).map(({ namespace: ns, ...spec }) => ({ ns, spec }));

function manifestsOf(policies: Array<{ ns: string; spec: Record<string, unknown>; name?: string }>): any[] {
  const objects = policies.map(({ ns, spec, name }, i) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: name ?? `p${i}`, namespace: ns },
    spec: Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)),
  }));
  return [
    ...pair(), client(), remoteClient('shop'),
    namespace(NAMESPACE, { team: 'infra' }), namespace('shop', { team: 'shop' }),
    ...objects,
  ];
}

function policyFindings(manifests: any[]): string[] {
  return lintManifests(manifests).filter((f) => POLICY_RULES.includes(f.ruleId)).map((f) => f.ruleId).sort();
}

describe('NetworkPolicy analysis properties', () => {
  test('never throws, whatever the policies hold', () => {
    fc.assert(fc.property(fc.array(fc.anything(), { maxLength: 4 }), fc.anything(), (specs, extra) => {
      const manifests = [...pair(), client(), ...specs.map((spec, i) => ({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${i}`, namespace: NAMESPACE }, spec,
      })), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: extra } }];
      expect(() => lintManifests(manifests)).not.toThrow();
    }), { numRuns: RUNS });
  });

  test('policies add up: an allow-all policy in each namespace clears every finding', () => {
    fc.assert(fc.property(fc.array(policy, { maxLength: 5 }), (policies) => {
      const allowAll = [NAMESPACE, 'shop'].map((ns) => ({ ns, spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ['Ingress', 'Egress'] } }));
      expect(policyFindings(manifestsOf([...policies, ...allowAll]))).toEqual([]);
    }), { numRuns: RUNS });
  });

  test('with every Namespace among the manifests and no ipBlock, the only doubt left is which port a client uses', () => {
    fc.assert(fc.property(fc.array(policy, { maxLength: 5 }), (policies) => {
      const unproven = lintManifests(manifestsOf(policies)).filter((f) => f.ruleId === 'NL109');
      for (const finding of unproven) {
        expect(finding.message).toContain('the rule cannot tell which port it uses');
        expect(finding.message).not.toContain('maybe not');
      }
    }), { numRuns: RUNS });
  });

  test('the order of the policies does not change the verdict', () => {
    fc.assert(fc.property(fc.array(policy, { maxLength: 5 }), fc.integer(), (generated, seed) => {
      // each policy keeps its name wherever it lands: findings are reported on a policy by name
      const policies = generated.map((p, i) => ({ ...p, name: `p${i}` }));
      const shuffled = [...policies].sort((a, b) => (JSON.stringify(a).length * seed) % 7 - (JSON.stringify(b).length * seed) % 7);
      expect(policyFindings(manifestsOf(shuffled))).toEqual(policyFindings(manifestsOf(policies)));
    }), { numRuns: RUNS });
  });
});
