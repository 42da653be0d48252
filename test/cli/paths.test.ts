// Which files a run reads: symbolic links inside directories are followed, each file is read once
// by its real path, link loops are stopped, and an entry that cannot be read is named (exit 2)
// without hiding the other files.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DAEMONSET, HEADLESS_SERVICE, SERVICE } from './fixtures';
import { cli, folder, removeFolder } from './support';

let dir: string;
afterEach(() => dir && removeFolder(dir));

async function json(...args: string[]) {
  const result = await cli(['lint', '--format', 'json', ...args], { cwd: dir });
  return { ...result, report: result.stdout === '' ? undefined : JSON.parse(result.stdout) };
}

test('a symlinked .yaml inside a directory is read', async () => {
  dir = folder({ 'elsewhere/service.yaml': HEADLESS_SERVICE, 'chart/daemonset.yaml': DAEMONSET });
  fs.symlinkSync(path.join(dir, 'elsewhere', 'service.yaml'), path.join(dir, 'chart', 'service.yaml'));
  const { code, report } = await json('chart');
  expect(code).toBe(1);
  expect(report.summary).toMatchObject({ resources: 2, files: 2 });
  expect(report.findings[0]).toMatchObject({ ruleId: 'NL002', file: path.join('chart', 'service.yaml') });
});

test('a symlinked directory inside a directory is walked', async () => {
  dir = folder({ 'real/service.yaml': SERVICE, 'chart/daemonset.yaml': DAEMONSET });
  fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'chart', 'linked'));
  const { code, report } = await json('chart');
  expect(code).toBe(0);
  expect(report.summary).toMatchObject({ resources: 2, files: 2 });
});

test('a link loop is stopped, and each file is read once', async () => {
  dir = folder({ 'chart/a/service.yaml': SERVICE, 'chart/daemonset.yaml': DAEMONSET });
  fs.symlinkSync(path.join(dir, 'chart'), path.join(dir, 'chart', 'a', 'loop'));
  const { code, report, stderr } = await json('chart');
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(report.summary).toMatchObject({ resources: 2, files: 2 });
});

test.each([
  ['a file and a symlink to it', ['service.yaml', 'link.yaml']],
  ['a directory and a file in it', ['.', 'service.yaml']],
  ['a file named twice', ['service.yaml', './service.yaml']],
])('%s are one file', async (_, names) => {
  dir = folder({ 'service.yaml': SERVICE, 'daemonset.yaml': DAEMONSET });
  fs.symlinkSync(path.join(dir, 'service.yaml'), path.join(dir, 'link.yaml'));
  const { code, report } = await json(...names, 'daemonset.yaml');
  expect(code).toBe(0); // read twice, the Service would clash with itself
  expect(report.summary).toMatchObject({ resources: 2, files: 2 });
});

test('fails if a symlinked .yaml in a directory points nowhere, naming it; the other files are still checked', async () => {
  dir = folder({ 'chart/service.yaml': HEADLESS_SERVICE, 'chart/daemonset.yaml': DAEMONSET });
  fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'chart', 'broken.yaml'));
  fs.symlinkSync(path.join(dir, 'gone.txt'), path.join(dir, 'chart', 'notes.txt')); // not a manifest: ignored
  const { code, report, stderr } = await json('chart');
  expect(code).toBe(2);
  expect(stderr).toBe(`cdk8s-node-local: cannot read ${path.join('chart', 'broken.yaml')}: a symbolic link to a file that does not exist; fix or remove the link\n`);
  expect(report.findings.map((f: any) => f.ruleId)).toEqual(['NL002']);
  expect(report.unreadable).toEqual([{ file: path.join('chart', 'broken.yaml'), error: expect.stringContaining('a symbolic link to a file that does not exist') }]);
});

test('fails if a directory inside cannot be listed, naming it (not an internal error)', async () => {
  dir = folder({ 'chart/service.yaml': SERVICE, 'chart/locked/daemonset.yaml': DAEMONSET });
  // CI runs as root, which lists any directory: refuse it the way the kernel does
  const readdir = fs.promises.readdir;
  const spy = jest.spyOn(fs.promises, 'readdir').mockImplementation(((p: fs.PathLike, options: any) => {
    if (String(p).endsWith('locked')) {
      return Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    }
    return readdir(p, options);
  }) as any);
  try {
    const { code, stderr } = await json('chart');
    expect(code).toBe(2);
    expect(stderr).toBe(`cdk8s-node-local: cannot read directory ${path.join('chart', 'locked')}: permission denied; make it readable\n`);
  } finally {
    spy.mockRestore();
  }
});

test('a named pipe is read as a stream, as lint <(helm template ...) gives one', async () => {
  dir = folder({ 'service.yaml': HEADLESS_SERVICE, 'daemonset.yaml': DAEMONSET });
  execFileSync('mkfifo', [path.join(dir, 'rendered.yaml')]);
  const writer = spawn('sh', ['-c', 'cat service.yaml > rendered.yaml'], { cwd: dir });
  const { code, report } = await json('rendered.yaml', 'daemonset.yaml');
  writer.kill();
  expect(code).toBe(1);
  expect(report.findings[0]).toMatchObject({ ruleId: 'NL002', file: 'rendered.yaml' });
});
