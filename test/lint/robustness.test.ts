import * as fc from 'fast-check';
import { Finding, Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';
import { ALL_RULES } from '../../src/rules';
import { DECLARED, pair } from '../rules/fixtures';

const RULE_IDS = new Set(ALL_RULES.map((r) => r.id));

/** Fails the test unless every finding is well-formed (one expect per call: expect is slow in a loop). */
function expectWellFormed(findings: Finding[]): void {
  const malformed = findings.filter((f) => !(
    RULE_IDS.has(f.ruleId)
    && (f.severity === Severity.ERROR || f.severity === Severity.WARNING)
    && typeof f.message === 'string' && f.message.length > 0
    && typeof f.fix === 'string' && f.fix.length > 0
    && typeof f.resource.kind === 'string'
    && (f.path === '' || f.path.startsWith('/'))
    && (f.manifestIndex === undefined || Number.isInteger(f.manifestIndex))
  ));
  expect(malformed).toEqual([]);
}

/** Lints in every mode; the lint itself must not throw. */
function lintEveryWay(manifests: any[], pairs?: unknown): void {
  expectWellFormed(lintManifests(manifests));
  expectWellFormed(lintManifests(manifests, DECLARED));
  if (pairs !== undefined) {
    expectWellFormed(lintManifests(manifests, { pairs } as any));
  }
}

/** Paths into the fixture where garbage is most likely to reach a rule. */
const PATHS: Array<Array<string | number>> = [
  [], ['metadata'], ['metadata', 'name'], ['metadata', 'namespace'], ['metadata', 'labels'], ['metadata', 'annotations'],
  ['metadata', 'ownerReferences'], ['kind'], ['apiVersion'],
  ['spec'], ['spec', 'selector'], ['spec', 'selector', 'matchLabels'], ['spec', 'selector', 'matchExpressions'],
  ['spec', 'selector', 'matchExpressions', 0], ['spec', 'ports'], ['spec', 'ports', 0], ['spec', 'ports', 0, 'port'],
  ['spec', 'ports', 0, 'targetPort'], ['spec', 'ports', 1, 'name'], ['spec', 'ports', 0, 'protocol'], ['spec', 'ports', 0, 'nodePort'],
  ['spec', 'type'], ['spec', 'clusterIP'], ['spec', 'clusterIPs'], ['spec', 'externalIPs'], ['spec', 'internalTrafficPolicy'],
  ['spec', 'updateStrategy'], ['spec', 'updateStrategy', 'type'], ['spec', 'updateStrategy', 'rollingUpdate'],
  ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'], ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
  ['spec', 'template'], ['spec', 'template', 'metadata'], ['spec', 'template', 'metadata', 'labels'],
  ['spec', 'template', 'spec'], ['spec', 'template', 'spec', 'containers'], ['spec', 'template', 'spec', 'containers', 0],
  ['spec', 'template', 'spec', 'containers', 0, 'ports'], ['spec', 'template', 'spec', 'containers', 0, 'ports', 0],
  ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe'], ['spec', 'template', 'spec', 'initContainers'],
  ['spec', 'template', 'spec', 'tolerations'], ['spec', 'template', 'spec', 'tolerations', 0],
  ['spec', 'template', 'spec', 'nodeSelector'], ['spec', 'template', 'spec', 'affinity'], ['spec', 'template', 'spec', 'hostNetwork'],
];

/**
 * Sets a value at a path, creating objects on the way (replacing whatever is in the way). When
 * the way is blocked (a typed array or a boxed string refuses the property), the mutation is
 * left out: only the engine must never throw, not this test helper.
 */
function setAt(root: any, path: Array<string | number>, value: unknown): any {
  if (path.length === 0) {
    return value;
  }
  const top = typeof root === 'object' && root !== null ? root : {};
  try {
    let node = top;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) {
        node[key] = {};
      }
      if (typeof node[key] !== 'object' || node[key] === null) {
        return top;
      }
      node = node[key];
    }
    node[path[path.length - 1]] = value;
  } catch {
    // the way was blocked: keep what was set so far
  }
  return top;
}

const garbage = fc.anything({
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withBoxedValues: true,
  withObjectString: true,
  maxDepth: 3,
});

const mutation = fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(...PATHS), garbage);

describe('robustness: no input makes the engine throw', () => {
  test('the correct pair with garbage at random places', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
      const manifests = pair();
      for (const [target, path, value] of mutations) {
        manifests[target] = setAt(manifests[target], path, value);
      }
      lintEveryWay(manifests);
    }), { numRuns: 1000 });
  });

  test('arbitrary lists of values, with arbitrary pairs', () => {
    fc.assert(fc.property(fc.array(garbage, { maxLength: 6 }), garbage, (manifests, pairs) => {
      lintEveryWay(manifests, pairs);
      lintEveryWay([...pair(), ...manifests], pairs);
    }), { numRuns: 300 });
  });

  test('arbitrary pairs options', () => {
    fc.assert(fc.property(fc.array(fc.record({ service: garbage, daemonSet: garbage }, { requiredKeys: [] })), (pairs) => {
      lintEveryWay(pair(), pairs);
    }), { numRuns: 300 });
  });

  test('values JSON cannot print: cycles, BigInt, symbols, functions, null-prototype objects', () => {
    const cyclic: any = { a: 1 };
    cyclic.self = cyclic;
    const bare = Object.create(null);
    bare.x = 1;
    const oddities = [cyclic, 10n, Symbol('s'), () => 1, bare, NaN, Infinity, -0, new Date(0), [cyclic]];
    for (const value of oddities) {
      for (const path of PATHS) {
        for (const target of [0, 1]) {
          const manifests = pair();
          manifests[target] = setAt(manifests[target], path, value);
          lintEveryWay(manifests, [{ service: value, daemonSet: value }]);
        }
      }
      lintEveryWay([value]);
    }
  });

  test('garbage inside the objects is reported, not thrown', () => {
    const findings = lintManifests([
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: 'foo' },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { internalTrafficPolicy: 'Local', ports: 7, selector: null } },
      { apiVersion: 'v1', kind: 'Service', metadata: 'x', spec: { internalTrafficPolicy: 'Local', ports: [null, { port: {} }], selector: { a: 'b' } } },
    ]);
    expectWellFormed(findings);
    expect(findings.map((f) => `${f.manifestIndex} ${f.ruleId} ${f.path}`)).toEqual([
      '1 NL004 /spec/selector',
      '1 NL008 /spec/ports',
      '2 NL004 /spec/selector',
      '2 NL008 /spec/ports/0',
      '2 NL009 /metadata/name',
    ]);
    // one finding per rule and object, naming every problem
    expect(findings.find((f) => f.manifestIndex === 2 && f.ruleId === 'NL008')!.message).toMatch(/^3 problems: \(1\) .*; \(2\) .*; \(3\) /);
  });
});
