// The cdk8s CLI validation plugin: its report, through a fake context shaped like cdk8s-cli's
// and through cdk8s-cli's own ValidationContext and plugin loader.
import * as fs from 'fs';
import * as path from 'path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import * as lint from '../../src/lint/lint';
import { NodeLocalValidation } from '../../src/plugin/node-local-validation';
import { DAEMONSET, GAPPY_DAEMONSET, HEADLESS_SERVICE, SERVICE } from '../cli/fixtures';
import { folder, removeFolder } from '../cli/support';

interface Report {
  readonly violations: any[];
  readonly submitted: Array<{ status: string; metadata?: { [key: string]: string } }>;
}

/** A context with what cdk8s-cli's `ValidationContext` gives a plugin: manifests and report. */
function fakeContext(manifests: string[]): { context: any; report: Report } {
  const report: Report = { violations: [], submitted: [] };
  const context = {
    manifests,
    pkg: 'cdk8s-node-local',
    version: '0.0.0',
    metadata: {},
    report: {
      addViolation: (v: any) => report.violations.push(v),
      submit: (status: string, metadata?: { [key: string]: string }) => report.submitted.push({ status, metadata }),
    },
    logger: { log: () => undefined },
  };
  return { context, report };
}

let dir: string;
afterEach(() => dir && removeFolder(dir));

/** Writes the files as `cdk8s synth` would (dist/<chart>.k8s.yaml) and validates them. */
async function validate(files: { [name: string]: string }, props?: any) {
  dir = folder(files);
  const { context, report } = fakeContext(Object.keys(files).map(f => path.join(dir, f)));
  await new NodeLocalValidation(props).validate(context);
  return report;
}

describe('the report', () => {
  test('has one violation per finding: rule, recommendation, fix, resource, manifest and field', async () => {
    const report = await validate({ 'dist/node-cache.k8s.yaml': `${HEADLESS_SERVICE}---\n${DAEMONSET}` });
    expect(report.violations).toEqual([{
      ruleName: '[error] NL002 service-not-cluster-ip',
      recommendation: expect.stringContaining('Service kube-system/node-cache has clusterIP "None"'),
      fix: expect.stringContaining('Remove spec.clusterIP from Service kube-system/node-cache'),
      violatingResources: [{
        // the DaemonSet has the same name: the kind and namespace tell them apart
        resourceName: 'Service kube-system/node-cache',
        locations: ['/spec/clusterIP (line 8)'],
        manifestPath: path.join(dir, 'dist/node-cache.k8s.yaml'),
      }],
    }]);
  });

  test('fails the synthesis on an error, with counts in its metadata', async () => {
    const report = await validate({ 'a.k8s.yaml': `${HEADLESS_SERVICE}---\n${DAEMONSET}` });
    expect(report.submitted).toEqual([{ status: 'failure', metadata: { errors: '1', warnings: '0', resources: '2', namespace: 'default', strict: 'false' } }]);
  });

  test('passes a correct pair, with no violation', async () => {
    const report = await validate({ 'a.k8s.yaml': `${SERVICE}---\n${DAEMONSET}` });
    expect(report.violations).toEqual([]);
    expect(report.submitted).toEqual([{ status: 'success', metadata: { errors: '0', warnings: '0', resources: '2', namespace: 'default', strict: 'false' } }]);
  });

  test('reports warnings and passes', async () => {
    const report = await validate({ 'a.k8s.yaml': `${SERVICE}---\n${GAPPY_DAEMONSET}` });
    expect(report.violations.map(v => v.ruleName)).toEqual(['[warning] NL102 rollout-gap']);
    expect(report.submitted[0].status).toBe('success');
  });

  test('fails on warnings with strict: true', async () => {
    const report = await validate({ 'a.k8s.yaml': `${SERVICE}---\n${GAPPY_DAEMONSET}` }, { strict: true });
    expect(report.submitted).toEqual([{ status: 'failure', metadata: { errors: '0', warnings: '1', resources: '2', namespace: 'default', strict: 'true' } }]);
  });

  test('checks all manifests together: a Service and its DaemonSet in different charts pair', async () => {
    const report = await validate({ 'dist/dns.k8s.yaml': SERVICE, 'dist/agents.k8s.yaml': DAEMONSET });
    expect(report.violations).toEqual([]);
    expect(report.submitted[0].status).toBe('success');
  });

  test('names a resource by its name alone when no other object has it, so cdk8s shows its construct path', async () => {
    const renamed = HEADLESS_SERVICE.replace('  name: node-cache', '  name: node-cache-dns');
    const report = await validate({ 'dist/dns.k8s.yaml': renamed, 'dist/agents.k8s.yaml': DAEMONSET });
    expect(report.violations.map(v => v.violatingResources[0].resourceName)).toEqual(['node-cache-dns']);
  });

  test('reports a manifest it cannot read as a failure, without throwing', async () => {
    const report = await validate({ 'a.k8s.yaml': 'apiVersion: v1\nkind: [\n' });
    expect(report.violations).toEqual([{
      ruleName: '[error] unreadable-manifest',
      recommendation: expect.stringMatching(/^.*a.k8s.yaml:\d+:\d+: cannot parse yaml: .*: the node-local rules cannot check it$/),
      fix: expect.any(String),
      violatingResources: [{ resourceName: path.join(dir, 'a.k8s.yaml'), manifestPath: path.join(dir, 'a.k8s.yaml'), locations: [] }],
    }]);
    expect(report.submitted).toEqual([{
      status: 'failure',
      metadata: { errors: '0', warnings: '0', resources: '0', unreadable: '1', namespace: 'default', strict: 'false' },
    }]);
  });

  test('an unreadable manifest does not drop the findings of the others', async () => {
    const report = await validate({ 'broken.k8s.yaml': 'kind: [\n', 'a.k8s.yaml': `${HEADLESS_SERVICE}---\n${DAEMONSET}` });
    expect(report.violations.map(v => v.ruleName)).toEqual(['[error] unreadable-manifest', '[error] NL002 service-not-cluster-ip']);
    expect(report.submitted).toEqual([{
      status: 'failure',
      metadata: { errors: '1', warnings: '0', resources: '2', unreadable: '1', namespace: 'default', strict: 'false' },
    }]);
  });

  test('an empty app passes', async () => {
    const report = await validate({ 'a.k8s.yaml': '' });
    expect(report.submitted[0].status).toBe('success');
  });
});

describe('properties (the properties: of cdk8s.yaml)', () => {
  test('strict defaults to false', () => {
    expect(new NodeLocalValidation().strict).toBe(false);
    expect(new NodeLocalValidation({}).strict).toBe(false);
    expect(new NodeLocalValidation({ strict: true }).strict).toBe(true);
  });

  test('fails if a property is unknown', () => {
    expect(() => new NodeLocalValidation({ strct: true } as any)).toThrow(/^unknown property "strct" of NodeLocalValidation in cdk8s.yaml; allowed: strict, namespace, kubernetesVersion$/);
  });

  test('namespace defaults to default and kubernetesVersion to unknown', () => {
    const plugin = new NodeLocalValidation();
    expect([plugin.namespace, plugin.kubernetesVersion]).toEqual(['default', undefined]);
  });

  test.each([['1.34', '1.34'], ['v1.34', '1.34'], ['1.34.2', '1.34']])('kubernetesVersion %s is read as %s', (given, version) => {
    expect(new NodeLocalValidation({ kubernetesVersion: given }).kubernetesVersion).toBe(version);
  });

  test('passes namespace and kubernetesVersion to the engine, and reports the namespace', async () => {
    const engine = jest.spyOn(lint, 'lintManifests');
    try {
      const report = await validate({ 'a.k8s.yaml': `${SERVICE}---\n${DAEMONSET}`.replace(/  namespace: kube-system\n/g, '') },
        { namespace: 'observability', kubernetesVersion: 'v1.34' });
      expect(engine).toHaveBeenCalledWith(expect.any(Array), { namespace: 'observability', kubernetesVersion: '1.34' });
      expect(report.submitted[0].metadata).toMatchObject({ namespace: 'observability' });
    } finally {
      engine.mockRestore();
    }
  });

  test.each([[5], ['strict'], [true], [['strict']]])('fails if the properties are not a map (%j)', (props) => {
    expect(() => new NodeLocalValidation(props as any)).toThrow(/^the properties of NodeLocalValidation in cdk8s.yaml must be a map, got .+; write them as "properties:" followed by indented "name: value" lines \(allowed: strict, namespace, kubernetesVersion\)$/);
  });

  test('properties left empty (null) are no properties', () => {
    expect(new NodeLocalValidation(null as any).strict).toBe(false);
  });

  test.each([['Bad_NS'], ['a'.repeat(64)], [''], [7]])('fails if namespace is %j', (namespace) => {
    expect(() => new NodeLocalValidation({ namespace } as any)).toThrow(/^property namespace of NodeLocalValidation/);
  });

  test.each([[1.34], ['1'], ['latest'], ['1.34.2.1']])('fails if kubernetesVersion is %j, with a hint to quote it', (kubernetesVersion) => {
    expect(() => new NodeLocalValidation({ kubernetesVersion } as any))
      .toThrow(/^property kubernetesVersion of NodeLocalValidation must be a Kubernetes version, got .+; give MAJOR\.MINOR such as 1\.34 .*quoted in cdk8s.yaml \(kubernetesVersion: "1\.34"\)$/);
  });

  test('fails if strict is not a boolean', () => {
    expect(() => new NodeLocalValidation({ strict: 'yes' } as any))
      .toThrow(/^property strict of NodeLocalValidation must be true or false, got "yes"; write strict: true \(no quotes\) in cdk8s.yaml$/);
  });
});

describe('with cdk8s-cli', () => {
  test('fills the report of cdk8s-cli\'s ValidationContext, which adds the construct path', async () => {
    dir = folder({ 'dist/dns.k8s.yaml': HEADLESS_SERVICE.replace('  name: node-cache', '  name: node-cache-dns'), 'dist/agents.k8s.yaml': DAEMONSET });
    const manifest = path.join(dir, 'dist/dns.k8s.yaml');
    const context = new ValidationContext([manifest, path.join(dir, 'dist/agents.k8s.yaml')], 'cdk8s-node-local', '0.0.0',
      { 'node-cache-dns': { path: 'dns/node-cache/Resource' } }, false);

    await new NodeLocalValidation().validate(context);

    expect(context.report.success).toBe(false);
    const json = context.report.toJson();
    expect(json.summary).toEqual({
      status: 'failure',
      plugin: 'cdk8s-node-local',
      version: '0.0.0',
      metadata: { errors: '1', warnings: '0', resources: '2', namespace: 'default', strict: 'false' },
    });
    expect(json.violations).toEqual([expect.objectContaining({
      ruleName: '[error] NL002 service-not-cluster-ip',
      violatingConstructs: [{
        resourceName: 'node-cache-dns',
        constructPath: 'dns/node-cache/Resource',
        manifestPath: manifest,
        locations: ['/spec/clusterIP (line 8)'],
      }],
    })]);
    expect(context.report.toString()).toContain('[error] NL002 service-not-cluster-ip (1 occurrences)');
  });

  test('is loaded by cdk8s-cli\'s plugin manager by local path, class name and properties', () => {
    // what `validations: [{package: ./path, version, class, properties}]` makes cdk8s-cli do;
    // the manager is internal to cdk8s-cli, hence the path
    const cliRoot = path.dirname(require.resolve('cdk8s-cli/package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PluginManager } = require(path.join(cliRoot, 'lib', 'plugins', '_manager.js'));
    dir = folder({ 'plugin/index.js': `module.exports = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src'))});\n` });
    fs.writeFileSync(path.join(dir, 'plugin', 'package.json'), '{"name": "local-plugin", "main": "index.js"}');

    const plugin = new PluginManager(path.join(dir, 'plugins')).load({
      pkg: path.join(dir, 'plugin'), version: '0.0.0', class: 'NodeLocalValidation', properties: { strict: true },
    });

    expect(plugin.instance).toBeInstanceOf(NodeLocalValidation);
    expect(plugin.instance.strict).toBe(true);
    expect(typeof plugin.instance.validate).toBe('function');
  });
});
