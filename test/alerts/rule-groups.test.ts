// The rule groups for any manifests: what the targets read from the engine's pairs, and that every
// expression stays valid PromQL whatever the manifests hold.
import * as fc from 'fast-check';
import { alertsForManifests } from '../../src/alerts/from-manifests';
import { promDuration, regexLiteral, stringLiteral } from '../../src/alerts/promql';
import { ruleGroups } from '../../src/alerts/rule-groups';
import { DEFAULT_SETTINGS } from '../../src/alerts/settings';
import { readTargets } from '../../src/alerts/targets';
import { LintContext } from '../../src/lint/context';
import { promqlErrors } from '../support/prometheus';

function service(name: string, namespace: string | undefined, spec: Record<string, unknown> = { internalTrafficPolicy: 'Local' }, selector: Record<string, string> = { app: name }) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { selector, ports: [{ port: 4317 }], ...spec } };
}

function daemonSet(
  name: string,
  namespace: string | undefined,
  podSpec: Record<string, unknown> = {},
  labels: Record<string, string> = { app: name },
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'agent', image: 'agent:1', ports: [{ containerPort: 4317 }] }], ...podSpec } },
      ...extra,
    },
  };
}

function targetsOf(objects: unknown[], namespace = 'default') {
  return readTargets(new LintContext(objects, { namespace }), namespace);
}

describe('targets', () => {
  test('the traffic mode: Local drops, PreferSameNode falls back, Local wins when both are set, as in kube-proxy', () => {
    const { targets } = targetsOf([
      service('a', 'ns'), daemonSet('a', 'ns'),
      service('b', 'ns', { trafficDistribution: 'PreferSameNode' }), daemonSet('b', 'ns'),
      service('c', 'ns', { internalTrafficPolicy: 'Local', trafficDistribution: 'PreferSameNode' }), daemonSet('c', 'ns'),
      service('d', 'ns', { internalTrafficPolicy: 'Cluster', trafficDistribution: 'PreferClose' }), daemonSet('d', 'ns'),
    ]);
    expect(targets.map(t => [t.service, t.mode])).toEqual([['a', 'Local'], ['b', 'PreferSameNode'], ['c', 'Local']]);
    const declared = readTargets(new LintContext([service('d', 'ns', { internalTrafficPolicy: 'Cluster' }), daemonSet('d', 'ns')], {
      pairs: [{ service: { kind: 'Service', name: 'd', namespace: 'ns' }, daemonSet: { kind: 'DaemonSet', name: 'd', namespace: 'ns' } }],
    }), 'default');
    expect(declared.targets.map(t => t.mode)).toEqual(['Cluster']);
  });

  test('a DaemonSet that tolerates every taint has no taint list; one that does not lists its tolerations and the controller\'s', () => {
    const { targets } = targetsOf([
      service('all', 'ns'), daemonSet('all', 'ns', { tolerations: [{ operator: 'Exists' }] }),
      service('some', 'ns'), daemonSet('some', 'ns', { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }),
      service('split', 'ns'), daemonSet('split', 'ns', { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }] }),
    ]);
    expect(targets.map(t => t.daemonSets[0].tolerations === undefined)).toEqual([true, false, true]);
    expect(targets[1].daemonSets[0].tolerations).toEqual(expect.arrayContaining([
      { key: 'gpu', value: 'true', effects: ['NoSchedule'] },
      { key: 'node.kubernetes.io/unschedulable', value: undefined, effects: ['NoSchedule'] },
    ]));
  });

  test('a NoExecute toleration limited by tolerationSeconds does not keep the pod on the node', () => {
    const { targets } = targetsOf([service('a', 'ns'), daemonSet('a', 'ns', { tolerations: [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] })]);
    expect(targets[0].daemonSets[0].tolerations!.some(t => t.key === undefined && t.effects.includes('NoExecute'))).toBe(false);
  });

  test('nodeSelector, nodeName and required node affinity restrict the nodes; preferred affinity does not', () => {
    const affinity = (kind: string) => ({
      affinity: {
        nodeAffinity: {
          [kind]: kind.startsWith('required')
            ? { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['agents'] }] }] }
            : [{ weight: 1, preference: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['agents'] }] } }],
        },
      },
    });
    const { targets } = targetsOf([
      service('a', 'ns'), daemonSet('a', 'ns', { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      service('b', 'ns'), daemonSet('b', 'ns', { nodeName: 'node-1' }),
      service('c', 'ns'), daemonSet('c', 'ns', affinity('requiredDuringSchedulingIgnoredDuringExecution')),
      service('d', 'ns'), daemonSet('d', 'ns', affinity('preferredDuringSchedulingIgnoredDuringExecution')),
      service('e', 'ns'), daemonSet('e', 'ns'),
    ]);
    expect(targets.map(t => t.daemonSets[0].restricted)).toEqual([true, true, true, false, false]);
  });

  test('an OS or architecture requirement restricts the nodes; keeping off Fargate and virtual-kubelet nodes does not', () => {
    const notOn = (key: string, value: string) => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'NotIn', values: [value] }] }] } } },
    });
    const { targets } = targetsOf([
      service('a', 'ns'), daemonSet('a', 'ns', notOn('eks.amazonaws.com/compute-type', 'fargate')),
      service('b', 'ns'), daemonSet('b', 'ns', notOn('type', 'virtual-kubelet')),
      service('c', 'ns'), daemonSet('c', 'ns', { nodeSelector: { 'kubernetes.io/arch': 'amd64' } }),
      service('d', 'ns'), daemonSet('d', 'ns', notOn('kubernetes.io/os', 'windows')),
    ]);
    expect(targets.map(t => t.daemonSets[0].restricted)).toEqual([false, false, true, true]);
  });

  test('OnDelete does not roll out by itself; RollingUpdate and the default do', () => {
    const { targets } = targetsOf([
      service('a', 'ns'), daemonSet('a', 'ns', {}, undefined, { updateStrategy: { type: 'OnDelete' } }),
      service('b', 'ns'), daemonSet('b', 'ns', {}, undefined, { updateStrategy: { type: 'RollingUpdate' } }),
      service('c', 'ns'), daemonSet('c', 'ns'),
    ]);
    expect(targets.map(t => t.daemonSets[0].rollsOut)).toEqual([false, true, true]);
  });

  test('the pod selector is shown for kubectl only when it is plain matchLabels', () => {
    const withExpressions = daemonSet('b', 'ns');
    (withExpressions.spec.selector as any).matchExpressions = [{ key: 'app', operator: 'In', values: ['b'] }];
    const { targets } = targetsOf([service('a', 'ns'), daemonSet('a', 'ns', {}, { app: 'a', tier: 'node' }), service('b', 'ns'), withExpressions]);
    expect(targets.map(t => t.daemonSets[0].podSelector)).toEqual(['app=a,tier=node', undefined]);
  });

  test('a Service over two DaemonSets is one target with both', () => {
    const { targets } = targetsOf([
      service('node-agent', 'ns', undefined, { app: 'node-agent' }),
      daemonSet('node-agent-linux', 'ns', {}, { app: 'node-agent', os: 'linux' }),
      daemonSet('node-agent-windows', 'ns', {}, { app: 'node-agent', os: 'windows' }),
    ]);
    expect(targets).toHaveLength(1);
    expect(targets[0].daemonSets.map(d => d.name)).toEqual(['node-agent-linux', 'node-agent-windows']);
  });

  test('an object without namespace is a problem when the default namespace is unknown', () => {
    const { targets, problems } = readTargets(new LintContext([service('a', undefined), daemonSet('a', undefined)]), undefined);
    expect(targets).toEqual([]);
    expect(problems).toEqual(['Service a has no namespace, and the alerts select its pods by namespace: set metadata.namespace (or the chart\'s namespace)']);
  });

  test('names Kubernetes rejects are problems, named one by one', () => {
    const { targets, problems } = targetsOf([service('Agent', 'ns'), daemonSet('Agent', 'ns', {}, { app: 'Agent' })]);
    expect(targets).toEqual([]);
    expect(problems).toEqual([
      expect.stringMatching(/^Service ns\/Agent has the name "Agent", which Kubernetes rejects \(it must consist of lower case letters/),
      expect.stringMatching(/^DaemonSet ns\/Agent has the name "Agent", which Kubernetes rejects \(it must consist of lower case letters, digits, '-' and '\.'/),
    ]);
  });
});

describe('rule groups', () => {
  test('a DaemonSet behind two Services has one NodeLocalRolloutStuck, naming both Services', () => {
    const { targets } = targetsOf([
      service('otlp', 'ns', undefined, { app: 'agent' }), service('jaeger', 'ns', undefined, { app: 'agent' }), daemonSet('agent', 'ns'),
    ]);
    const groups = ruleGroups(targets, DEFAULT_SETTINGS);
    expect(groups.map(g => [g.name, g.rules.map(r => r.alert)])).toEqual([
      ['node-local/ns/otlp', ['NodeLocalEndpointMissing', 'NodeLocalRolloutStuck']],
      ['node-local/ns/jaeger', ['NodeLocalEndpointMissing']],
      ['node-local/kube-proxy', ['NodeLocalTrafficDropped']],
    ]);
    expect(groups[0].rules[1].labels.service).toBe('otlp,jaeger');
    expect(groups[0].rules[1].annotations.description).toContain('traffic to Service ns/otlp and Service ns/jaeger is dropped');
  });

  test('the same Service twice (two objects of one name) is watched once', () => {
    const { targets } = targetsOf([service('a', 'ns'), daemonSet('a', 'ns')]);
    expect(ruleGroups([...targets, ...targets], DEFAULT_SETTINGS).map(g => g.name)).toEqual(['node-local/ns/a', 'node-local/kube-proxy']);
  });

  test('a Service over two DaemonSets: each DaemonSet\'s nodes, ready with a pod of either', () => {
    const { targets } = targetsOf([
      service('node-agent', 'ns', undefined, { app: 'node-agent' }),
      daemonSet('node-agent-linux', 'ns', { nodeSelector: { 'kubernetes.io/os': 'linux' } }, { app: 'node-agent', os: 'linux' }),
      daemonSet('node-agent-windows', 'ns', { nodeSelector: { 'kubernetes.io/os': 'windows' } }, { app: 'node-agent', os: 'windows' }),
    ]);
    const [missingLinux, missingWindows] = ruleGroups(targets, DEFAULT_SETTINGS)[0].rules;
    expect(missingLinux.labels.daemonset).toBe('node-agent-linux');
    expect(missingWindows.labels.daemonset).toBe('node-agent-windows');
    for (const rule of [missingLinux, missingWindows]) {
      expect(rule.expr).toContain(`owner_name="${rule.labels.daemonset}"`);
      expect(rule.expr).toContain('owner_name=~"node-agent-linux|node-agent-windows"');
    }
  });
});

describe('whatever the manifests hold', () => {
  const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
  const text = fc.string({ unit: 'binary', maxLength: 30 });
  const toleration = fc.record({
    key: fc.option(text, { nil: undefined }),
    operator: fc.constantFrom(undefined, 'Exists', 'Equal', 'Bogus'),
    value: fc.option(text, { nil: undefined }),
    effect: fc.constantFrom(undefined, '', 'NoSchedule', 'NoExecute', 'PreferNoSchedule'),
    tolerationSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
  }, { requiredKeys: [] });

  test('every expression parses, and every taint key and value in it is one of the tolerations\' own', () => {
    let literals = 0;
    const decode = (literal: string) => literal.slice(1, -1).replace(/\\(.)/g, (_, c) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
    const tolerationLists = fc.array(toleration, { maxLength: 4 });
    fc.assert(fc.property(label, label, label, tolerationLists, fc.boolean(), (namespace, name, job, tolerations, restricted) => {
      const objects = [service(name, namespace), daemonSet(name, namespace, { tolerations, ...(restricted ? { nodeSelector: { pool: 'x' } } : {}) })];
      const { manifest, problems } = alertsForManifests(objects, 'default', { name: 'n' }, { ...DEFAULT_SETTINGS, kubeStateMetricsJob: `${job}"\\\n` });
      expect(problems).toEqual([]);
      const rules = (manifest as any).spec.groups.flatMap((g: any) => g.rules);
      for (const rule of rules) {
        expect(promqlErrors(rule.expr)).toEqual([]);
        expect(rule.expr).toContain(`job=${stringLiteral(`${job}"\\\n`)}`);
      }
      const keys = new Set([...tolerations.map(t => t.key), 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure',
        'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable',
        'eks.amazonaws.com/compute-type', 'virtual-kubelet.io/provider']);
      const values = new Set([...tolerations.map(t => t.value ?? ''), 'fargate']);
      for (const [, literal] of (rules[0].expr as string).matchAll(/\bkey=("(?:[^"\\]|\\.)*")/g)) {
        expect(keys).toContain(decode(literal));
        if (tolerations.some(t => t.key === decode(literal))) {
          literals++;
        }
      }
      for (const [, literal] of (rules[0].expr as string).matchAll(/\bvalue=("(?:[^"\\]|\\.)*")/g)) {
        expect(values).toContain(decode(literal));
      }
    }), { numRuns: 150 });
    expect(literals).toBeGreaterThan(0); // the property did meet the tolerations' own keys
  });

  test('any value as a pod spec: the targets never throw, and what they write parses', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (podSpec, strategy) => {
      const ds = daemonSet('agent', 'ns');
      (ds.spec.template as any).spec = podSpec;
      (ds.spec as any).updateStrategy = strategy;
      const { targets } = targetsOf([service('agent', 'ns'), ds]);
      for (const rule of ruleGroups(targets, DEFAULT_SETTINGS).flatMap(g => g.rules)) {
        expect(promqlErrors(rule.expr)).toEqual([]);
      }
    }), { numRuns: 150 });
  });
});

describe('PromQL pieces', () => {
  test('a string literal parses as one string, and decodes to the text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      const literal = stringLiteral(s);
      expect(promqlErrors(`up{job=${literal}}`)).toEqual([]);
      const decoded = literal.slice(1, -1).replace(/\\(.)/g, (_, c) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
      expect(decoded).toBe(s);
    }));
  });

  test('a regex literal matches exactly its text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (s, other) => {
      const re = new RegExp(`^(?:${regexLiteral(s)})$`);
      expect(re.test(s)).toBe(true);
      expect(re.test(other)).toBe(other === s);
    }));
  });

  test('a duration is Prometheus\' format, largest units first, and reads back to the same milliseconds', () => {
    expect(promDuration(0)).toBe('0s');
    expect(promDuration(90_000)).toBe('1m30s');
    expect(promDuration(86_400_000 + 1)).toBe('1d1ms');
    const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => {
      const text = promDuration(ms);
      expect(text).toMatch(/^(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/);
      const back = [...text.matchAll(/(\d+)(ms|d|h|m|s)/g)].reduce((n, [, count, unit]) => n + Number(count) * units[unit], 0);
      expect(back).toBe(ms);
    }));
  });
});
