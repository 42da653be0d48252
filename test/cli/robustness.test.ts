// Whatever the input, the command answers with an exit code and its report or one line: it
// never throws and never prints a stack trace.
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { cli } from './support';

/** Values in the places the rules read, so the rules see garbage where they expect structure. */
const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 70000 }), fc.string({ maxLength: 6 }),
  fc.constantFrom('None', 'Local', 'Cluster', 'UDP', 'TCP', 'dns', 'RollingUpdate', 'Exists', '100%'));
const anyValue = fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 3 }));
const labels = fc.oneof(anyValue, fc.constant({ app: 'a' }));
const port = fc.record({ name: anyValue, port: anyValue, protocol: anyValue, targetPort: anyValue, containerPort: anyValue, hostPort: anyValue },
  { requiredKeys: [] });
const container = fc.record({
  name: anyValue,
  image: anyValue,
  ports: fc.oneof(anyValue, fc.array(port, { maxLength: 2 })),
  readinessProbe: anyValue,
}, { requiredKeys: [] });

const service = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 7 as any),
  kind: fc.constant('Service'),
  metadata: fc.oneof(anyValue, fc.record({ name: fc.constantFrom('s', ''), namespace: anyValue }, { requiredKeys: [] })),
  spec: fc.oneof(anyValue, fc.record({
    internalTrafficPolicy: fc.oneof(fc.constant('Local'), anyValue),
    clusterIP: anyValue,
    clusterIPs: anyValue,
    type: anyValue,
    selector: labels,
    ports: fc.oneof(anyValue, fc.array(port, { maxLength: 3 })),
  }, { requiredKeys: ['internalTrafficPolicy'] })),
}, { requiredKeys: ['kind'] });

const daemonSet = fc.record({
  apiVersion: fc.constantFrom('apps/v1', 'v1'),
  kind: fc.constantFrom('DaemonSet', 'Deployment'),
  metadata: fc.oneof(anyValue, fc.record({ name: fc.constantFrom('d', ''), namespace: anyValue }, { requiredKeys: [] })),
  spec: fc.oneof(anyValue, fc.record({
    selector: fc.oneof(anyValue, fc.record({ matchLabels: labels })),
    updateStrategy: fc.oneof(anyValue, fc.record({
      type: anyValue,
      rollingUpdate: fc.oneof(anyValue, fc.record({ maxSurge: anyValue, maxUnavailable: anyValue }, { requiredKeys: [] })),
    }, { requiredKeys: [] })),
    template: fc.oneof(anyValue, fc.record({
      metadata: fc.oneof(anyValue, fc.record({ labels })),
      spec: fc.oneof(anyValue, fc.record({
        hostNetwork: anyValue,
        tolerations: anyValue,
        containers: fc.oneof(anyValue, fc.array(container, { maxLength: 2 })),
        initContainers: fc.oneof(anyValue, fc.array(container, { maxLength: 1 })),
      }, { requiredKeys: [] })),
    }, { requiredKeys: [] })),
  }, { requiredKeys: [] })),
}, { requiredKeys: ['kind'] });

/** What a terminal would act on, besides the report's own line breaks. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** The contract on any input: exit 0, 1 or 2; one line on stderr for 2; no stack, nothing raw. */
function expectContract(result: { code: number; stdout: string; stderr: string }): void {
  expect([0, 1, 2]).toContain(result.code);
  if (result.code === 2) {
    expect(result.stderr).toMatch(/^cdk8s-node-local: [^\n]+\n$/);
    expect(result.stdout).toBe('');
  } else {
    expect(result.stderr).toBe('');
  }
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |TypeError|RangeError/);
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
}

test('never throws and keeps its exit code contract on generated manifests', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.oneof(service, daemonSet, anyValue), { minLength: 1, maxLength: 4 }), async (docs) => {
    const text = docs.map(d => stringify(d)).join('---\n');
    const result = await cli(['lint', '--format', 'json'], { stdin: text });
    expectContract(result);
    if (result.code !== 2) {
      const report = JSON.parse(result.stdout);
      expect(result.code).toBe(report.summary.errors > 0 ? 1 : 0);
      for (const f of report.findings) {
        expect(f.line).toBeGreaterThan(0);
        expect(f.fieldLine).toBeGreaterThanOrEqual(f.line);
      }
    }
  }), { numRuns: 300 });
});

/** Pieces of YAML, Kubernetes and terminal escapes, so random text often parses and often breaks. */
const PIECES = ['apiVersion: v1\n', 'kind: Service\n', 'kind: DaemonSet\n', 'metadata:\n', '  name: ', 'spec:\n', '  ports:\n', '    - port: ',
  ':', ': ', '- ', '\n', '  ', '"', "'", '[', ']', '{', '}', ', ', '&a ', '*a', '<<: ', '!!int ', '!!binary ', '---\n', '...\n', '# c\n', '|\n',
  '>\n', 'x', 'on', '1:30', '0x1F', '.inf', '~', '\t', '\r', '\u001b[2J', '\u202e', '\u0000', '\ufeff', '\u0085', 'internalTrafficPolicy: Local\n'];

test('keeps its contract on random YAML-like text', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), async (pieces) => {
    expectContract(await cli(['lint'], { stdin: pieces.join('') }));
  }), { numRuns: 400 });
});

test('keeps its contract on random bytes', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
    expectContract(await cli(['lint'], { stdin: Buffer.from(bytes) }));
  }), { numRuns: 300 });
});
