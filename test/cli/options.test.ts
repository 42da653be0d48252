// -n/--namespace and --kube-version: validated, normalised, handed to the engine as LintOptions,
// and the namespace assumed is said in the summary.
import { DAEMONSET, SERVICE } from './fixtures';
import { cli, expectInputError } from './support';
import * as lint from '../../src/lint/lint';

const NO_NAMESPACE = `${SERVICE}---\n${DAEMONSET}`.replace(/  namespace: kube-system\n/g, '');

let engine: jest.SpyInstance;
beforeEach(() => {
  engine = jest.spyOn(lint, 'lintWithAcknowledged');
});
afterEach(() => engine.mockRestore());

describe('--namespace', () => {
  test.each([
    [['-n', 'observability'], 'observability'],
    [['--namespace', 'observability'], 'observability'],
    [['--namespace=observability'], 'observability'],
    [['-n=kube-system'], 'kube-system'],
    [[], 'default'],
  ])('%j: objects without a namespace are in %s', async (flags, namespace) => {
    const result = await cli(['lint', ...flags], { stdin: NO_NAMESPACE });
    expect(result.stderr).toBe('');
    expect(engine).toHaveBeenCalledWith(expect.any(Array), expect.objectContaining({ namespace }));
    expect(result.stdout).toBe(`0 errors, 0 warnings in 2 resources from 1 file (namespace "${namespace}" assumed for objects without one)\n`);
  });

  test('the summary says nothing is assumed when every object has a namespace', async () => {
    const result = await cli(['lint', '-n', 'other'], { stdin: `${SERVICE}---\n${DAEMONSET}` });
    expect(result.stdout).toBe('0 errors, 0 warnings in 2 resources from 1 file\n');
  });

  test('a cluster-scoped object has no namespace to assume', async () => {
    const priorityClass = 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: node-agents\nvalue: 1000000\n';
    const result = await cli(['lint', '-n', 'other'], { stdin: `${SERVICE}---\n${DAEMONSET}---\n${priorityClass}` });
    expect(result.stdout).toBe('0 errors, 0 warnings in 3 resources from 1 file\n');
  });

  test('the JSON summary names the namespace', async () => {
    const result = await cli(['lint', '--format', 'json', '-n', 'observability'], { stdin: NO_NAMESPACE });
    expect(JSON.parse(result.stdout).summary).toMatchObject({ namespace: 'observability' });
  });

  test.each([
    ['Bad_NS'],
    ['a'.repeat(64)],
    ['-leading'],
    ['kube.system'],
  ])('fails if the namespace is %j, which is not a DNS-1123 label', async (value) => {
    expectInputError(await cli(['lint', `--namespace=${value}`], { stdin: SERVICE }),
      /^cdk8s-node-local: --namespace: "[^"]*" is not a valid namespace name: at most 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit \(e\.g\. kube-system\)\n$/);
  });

  test('fails if -n has no value', async () => {
    expectInputError(await cli(['lint', '-n']), /^cdk8s-node-local: -n needs a value \(e\.g\. -n kube-system\)\n$/);
    expectInputError(await cli(['lint', '--namespace=']), /--namespace needs a value/);
  });
});

describe('--kube-version', () => {
  test.each([
    ['1.34', '1.34'],
    ['v1.34', '1.34'],
    ['1.34.2', '1.34'],
    ['v1.27.0', '1.27'],
    ['1.0', '1.0'],
  ])('%s is read as %s', async (value, version) => {
    const result = await cli(['lint', '--kube-version', value], { stdin: `${SERVICE}---\n${DAEMONSET}` });
    expect(result.stderr).toBe('');
    expect(engine).toHaveBeenCalledWith(expect.any(Array), expect.objectContaining({ kubernetesVersion: version }));
  });

  test('without it, the version is unknown', async () => {
    await cli(['lint'], { stdin: `${SERVICE}---\n${DAEMONSET}` });
    expect(engine.mock.calls[0][1]).not.toHaveProperty('kubernetesVersion');
  });

  test.each([['1'], ['1.34.2.1'], ['v'], ['latest'], ['1.x'], ['01.34'], ['1.34-rc1']])('fails if the version is %j', async (value) => {
    expectInputError(await cli(['lint', `--kube-version=${value}`], { stdin: SERVICE }),
      /^cdk8s-node-local: --kube-version: "[^"]*" is not a Kubernetes version; give MAJOR\.MINOR such as 1\.34 \(v1\.34 and 1\.34\.2 are read as 1\.34\)\n$/);
  });
});
