// `cdk8s-node-local lint --format sarif`: the log GitHub code scanning and CI dashboards ingest.
// Every log these tests produce is validated by Microsoft's SARIF Multitool (the last test).
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as fc from 'fast-check';
import { DAEMONSET, GAPPY_DAEMONSET, HEADLESS_SERVICE, SERVICE } from './fixtures';
import { SarifLogs } from './multitool';
import { cli, folder, lineOf, lines, removeFolder } from './support';
import { FINGERPRINT_KEY } from '../../src/cli/sarif';
import { NodeLocalLinter } from '../../src/lint/lint';

const logs = new SarifLogs();

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeFolder);
  dirs = [];
});

/** Runs `lint ARGS` in a folder holding the files, with `--format` FORMAT. */
async function lintIn(files: { [name: string]: string }, format: string, args: string[], stdin?: string, cwd?: string) {
  const dir = folder(files);
  dirs.push(dir);
  return { dir, ...(await cli(['lint', '--format', format, ...args], { cwd: cwd ? path.join(dir, cwd) : dir, stdin })) };
}

/** The SARIF log of `lint ARGS`, recorded for the Multitool. */
async function sarif(name: string, files: { [name: string]: string }, args: string[], options: { stdin?: string; cwd?: string } = {}) {
  const result = await lintIn(files, 'sarif', args, options.stdin, options.cwd);
  expect(result.stderr).toBe('');
  logs.record(name, result.stdout);
  return { code: result.code, log: JSON.parse(result.stdout), dir: result.dir };
}

async function jsonReport(files: { [name: string]: string }, args: string[], stdin?: string) {
  const result = await lintIn(files, 'json', args, stdin);
  return JSON.parse(result.stdout);
}

const ACK = (rule: string, reason: string) => `  annotations:\n    cdk8s-node-local/acknowledge-${rule}: ${JSON.stringify(reason)}\n`;
/** The DaemonSet with the rollout gap (NL102), acknowledged with a reason. */
const ACKNOWLEDGED_GAP = GAPPY_DAEMONSET.replace('  namespace: kube-system\n', `  namespace: kube-system\n${ACK('NL102', 'the agent holds a host port: it cannot surge')}`);

/** A client (Deployment) of the node-cache agent that runs on GPU nodes, where the agent does not run (NL013). */
const CLIENT = lines(
  'apiVersion: apps/v1', //                                1
  'kind: Deployment', //                                   2
  'metadata:', //                                          3
  '  name: checkout', //                                   4
  '  namespace: kube-system', //                           5
  'spec:', //                                              6
  '  selector:', //                                        7
  '    matchLabels: {app: checkout}', //                   8
  '  template:', //                                        9
  '    metadata:', //                                     10
  '      labels: {app: checkout}', //                     11
  '    spec:', //                                         12
  '      nodeSelector: {pool: gpu}', //                   13
  '      containers:', //                                 14
  '        - name: app', //                               15
  '          image: registry.example/checkout:1', //      16
  '          env:', //                                    17
  '            - name: DNS_SERVER', //                    18
  '              value: node-cache.kube-system.svc:53', // 19
);
const GENERAL_POOL_DAEMONSET = DAEMONSET.replace('      tolerations:\n', '      nodeSelector: {pool: general}\n      tolerations:\n');

const FILES = {
  'manifests/service.yaml': HEADLESS_SERVICE,
  'manifests/agent/daemonset.yaml': GAPPY_DAEMONSET,
};
const FILE_ARGS = ['manifests/service.yaml', 'manifests/agent/daemonset.yaml'];

describe('the log', () => {
  test('is one SARIF 2.1.0 run whose driver names the tool and lists every rule', async () => {
    const { log } = await sarif('findings in two files', FILES, FILE_ARGS);
    expect(log).toMatchObject({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' });
    expect(log.runs).toHaveLength(1);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
    expect(log.runs[0].tool.driver).toMatchObject({
      name: 'cdk8s-node-local',
      version: pkg.version,
      informationUri: 'https://github.com/maintainers/cdk8s-node-local',
    });
    expect(log.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual(NodeLocalLinter.rules().map(r => r.id));
  });

  test('each rule has its descriptions, its help with the fix, its level and a link to its section of docs/rules.md', async () => {
    const { log } = await sarif('rules', FILES, FILE_ARGS);
    // the anchors GitHub gives the catalog's headings, `## NL002 service-not-cluster-ip`
    const catalog = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf-8');
    const anchors = new Set([...catalog.matchAll(/^## (.+)$/gm)].map(m => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    const rules = new Map(NodeLocalLinter.rules().map(r => [r.id, r]));

    for (const descriptor of log.runs[0].tool.driver.rules) {
      const rule = rules.get(descriptor.id)!;
      expect(descriptor.name).toBe(rule.name);
      expect(descriptor.shortDescription.text).toContain(rule.summary);
      expect(descriptor.fullDescription.text.length).toBeGreaterThan(0);
      // GitHub cuts descriptions at 1024 characters
      expect(descriptor.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(descriptor.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(descriptor.help.text).toContain(rule.fix);
      expect(descriptor.help.markdown).toContain(`**Fix:** ${rule.fix}`);
      expect(descriptor.help.markdown).toContain(`**What it cannot know:** ${rule.limits}`);
      expect(descriptor.defaultConfiguration.level).toBe(rule.severity);
      const [page, anchor] = descriptor.helpUri.split('#');
      expect(page).toBe('https://github.com/maintainers/cdk8s-node-local/blob/main/docs/rules.md');
      expect(anchors).toContain(anchor);
      expect(anchor.startsWith(descriptor.id.toLowerCase())).toBe(true);
    }
  });

  test('its results match the JSON report one to one: rule, level, file and line', async () => {
    const files = { ...FILES, 'manifests/agent/more.yaml': `${SERVICE.replace(/node-cache/g, 'other')}---\n${GAPPY_DAEMONSET.replace(/node-cache/g, 'other')}` };
    const args = [...FILE_ARGS, 'manifests/agent/more.yaml'];
    const { log } = await sarif('three files', files, args);
    const report = await jsonReport(files, args);
    const run = log.runs[0];

    const fromSarif = run.results.map((r: any) => {
      const location = r.locations[0].physicalLocation;
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(location.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(run.artifacts[location.artifactLocation.index].location.uri).toBe(location.artifactLocation.uri);
      return [r.ruleId, r.level, decodeURIComponent(location.artifactLocation.uri), location.region.startLine];
    });
    const fromJson = report.findings.map((f: any) => [f.ruleId, f.severity, f.file.split(path.sep).join('/'), f.fieldLine]);
    expect(fromSarif).toEqual(fromJson);
    // NL002 on the first file, NL102 on the DaemonSets of the two others
    expect(fromJson.map((f: any) => f[0])).toEqual(['NL002', 'NL102', 'NL102']);
    expect(new Set(fromJson.map((f: any) => f[2]))).toEqual(new Set(args));
  });

  test('a message says what is wrong and how to fix it', async () => {
    const { log } = await sarif('messages', FILES, FILE_ARGS);
    const report = await jsonReport(FILES, FILE_ARGS);
    log.runs[0].results.forEach((r: any, i: number) => {
      expect(r.message.text).toBe(`${report.findings[i].message}. Fix: ${report.findings[i].fix}.`);
    });
  });

  test('every file read is an artifact, in input order, findings or not', async () => {
    const files = { 'a.yaml': SERVICE, 'b.yaml': DAEMONSET };
    const { log } = await sarif('no findings', files, ['a.yaml', 'b.yaml']);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].artifacts).toEqual([
      { location: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' }, roles: ['analysisTarget'] },
      { location: { uri: 'b.yaml', uriBaseId: '%SRCROOT%' }, roles: ['analysisTarget'] },
    ]);
  });

  test('exit codes are those of the other formats', async () => {
    expect((await sarif('an error', FILES, FILE_ARGS)).code).toBe(1);
    const warningOnly = { 'service.yaml': SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET };
    expect((await sarif('a warning', warningOnly, ['service.yaml', 'daemonset.yaml'])).code).toBe(0);
    expect((await sarif('a warning, strict', warningOnly, ['--strict', 'service.yaml', 'daemonset.yaml'])).code).toBe(1);
  });
});

describe('locations', () => {
  test('paths are relative to the working directory, under %SRCROOT%, which names that directory', async () => {
    const { log, dir } = await sarif('from a subdirectory', FILES, ['service.yaml', 'agent/daemonset.yaml'], { cwd: 'manifests' });
    const run = log.runs[0];
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(path.join(dir, 'manifests')).href}/` } });
    expect(run.artifacts.map((a: any) => a.location)).toEqual([
      { uri: 'service.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'agent/daemonset.yaml', uriBaseId: '%SRCROOT%' },
    ]);
  });

  test('names with spaces, # and % are percent-encoded and decode to the name given', async () => {
    const name = 'my charts/50% #1 ünï.yaml';
    const { log } = await sarif('odd file names', { [name]: HEADLESS_SERVICE }, [name]);
    const uri = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe('my%20charts/50%25%20%231%20%C3%BCn%C3%AF.yaml');
    expect(decodeURIComponent(uri)).toBe(name);
  });

  test('a file outside the working directory is an absolute file URI, without uriBaseId', async () => {
    const { log, dir } = await sarif('outside the working directory', { 'work/.keep': '', 'elsewhere/service.yaml': HEADLESS_SERVICE },
      ['../elsewhere/service.yaml'], { cwd: 'work' });
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: pathToFileURL(path.join(dir, 'elsewhere', 'service.yaml')).href, index: 0,
    });
  });

  test('standard input has a stable name, the JSON report\'s <stdin>', async () => {
    const first = await sarif('stdin', {}, [], { stdin: HEADLESS_SERVICE });
    const second = await sarif('stdin, again', {}, ['-'], { stdin: `${HEADLESS_SERVICE}---\n${DAEMONSET}` });
    const report = await jsonReport({}, [], HEADLESS_SERVICE);
    for (const { log } of [first, second]) {
      const location = log.runs[0].results[0].locations[0].physicalLocation;
      expect(location.artifactLocation).toEqual({ uri: '%3Cstdin%3E', index: 0 });
      expect(decodeURIComponent(location.artifactLocation.uri)).toBe(report.findings[0].file);
      expect(location.region.startLine).toBe(report.findings[0].fieldLine);
      expect(log.runs[0].artifacts[0].description.text).toBe('Standard input.');
    }
  });

  test('a finding on a Service relates to its DaemonSet, and one on the DaemonSet to the Service', async () => {
    const { log } = await sarif('related locations', FILES, FILE_ARGS);
    const [onService, onDaemonSet] = log.runs[0].results;
    expect(onService.ruleId).toBe('NL002');
    expect(onService.relatedLocations).toEqual([{
      id: 1,
      physicalLocation: { artifactLocation: { uri: 'manifests/agent/daemonset.yaml', uriBaseId: '%SRCROOT%', index: 1 }, region: { startLine: 2 } },
      message: { text: "The pair's DaemonSet kube-system/node-cache." },
    }]);
    expect(onDaemonSet.ruleId).toBe('NL102');
    expect(onDaemonSet.relatedLocations).toEqual([{
      id: 1,
      physicalLocation: { artifactLocation: { uri: 'manifests/service.yaml', uriBaseId: '%SRCROOT%', index: 0 }, region: { startLine: 2 } },
      message: { text: "The pair's Service kube-system/node-cache." },
    }]);
  });

  test('a finding on a client relates to the agent\'s DaemonSet and Service', async () => {
    const files = { 'service.yaml': SERVICE, 'daemonset.yaml': GENERAL_POOL_DAEMONSET, 'app/client.yaml': CLIENT };
    const { log } = await sarif('a client', files, ['service.yaml', 'daemonset.yaml', 'app/client.yaml']);
    const result = log.runs[0].results.find((r: any) => r.ruleId === 'NL013');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'app/client.yaml', uriBaseId: '%SRCROOT%', index: 2 }, region: { startLine: 13 },
    });
    const related = result.relatedLocations.map((l: any) => [
      l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine, l.message.text,
    ]);
    expect(related).toEqual([
      ['daemonset.yaml', 2, "The agent's DaemonSet kube-system/node-cache."],
      ['service.yaml', 2, "The agent's Service kube-system/node-cache."],
    ]);
  });
});

describe('fingerprints', () => {
  const fingerprints = (log: any) => log.runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
  const startLines = (log: any) => log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
  const UNRELATED = lines('# Source: chart/templates/configmap.yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  a: "1"', '---');

  test('are unchanged when an unrelated document is inserted at the top of a file, while the lines move', async () => {
    const text = `${HEADLESS_SERVICE}---\n${GAPPY_DAEMONSET}`;
    const before = await sarif('before the insertion', { 'all.yaml': text }, ['all.yaml']);
    const after = await sarif('after the insertion', { 'all.yaml': `${UNRELATED}${text}` }, ['all.yaml']);
    expect(fingerprints(before.log)).toHaveLength(2);
    expect(fingerprints(after.log)).toEqual(fingerprints(before.log));
    expect(startLines(after.log)).toEqual(startLines(before.log).map((l: number) => l + lineOf(UNRELATED, '---')));
  });

  test('identify the rule, file, object and field: two findings never share one', async () => {
    const files = { ...FILES, 'manifests/copy.yaml': HEADLESS_SERVICE.replace(/node-cache/g, 'other') };
    const { log } = await sarif('distinct fingerprints', files, [...FILE_ARGS, 'manifests/copy.yaml']);
    const all = fingerprints(log);
    expect(new Set(all).size).toBe(all.length);
    // the key is ours: GitHub's upload-sarif computes primaryLocationLineHash itself, from the line's text
    for (const result of log.runs[0].results) {
      expect(Object.keys(result.partialFingerprints)).toEqual([FINGERPRINT_KEY]);
    }
  });

  test('are unchanged by any number of unrelated documents inserted above and between', async () => {
    const base = await sarif('fingerprint property: base', { 'all.yaml': `${HEADLESS_SERVICE}---\n${GAPPY_DAEMONSET}` }, ['all.yaml']);
    // unique names: two documents with one name would be a duplicate object (NL018), a finding of its own
    const unrelated = (i: number) => lines('---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: unrelated-${i}`, '---');
    const names = fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { maxLength: 8 });
    await fc.assert(fc.asyncProperty(names, fc.nat(8), async (ids, split) => {
      const above = ids.slice(0, split).map(unrelated);
      const between = ids.slice(split).map(unrelated);
      const text = `${above.join('')}${HEADLESS_SERVICE}${between.join('')}---\n${GAPPY_DAEMONSET}`;
      const { log } = await sarif('fingerprint property', { 'all.yaml': text }, ['all.yaml']);
      expect(fingerprints(log)).toEqual(fingerprints(base.log));
      removeFolder(dirs.pop()!);
    }), { numRuns: 10 });
  });
});

describe('acknowledged findings', () => {
  test('are results with an inSource suppression whose justification is the reason', async () => {
    const files = { 'service.yaml': SERVICE, 'daemonset.yaml': ACKNOWLEDGED_GAP };
    const { code, log } = await sarif('an acknowledged finding', files, ['service.yaml', 'daemonset.yaml']);
    expect(code).toBe(0);
    const [result] = log.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'NL102', level: 'warning' });
    expect(result.suppressions).toEqual([{
      kind: 'inSource',
      status: 'accepted',
      justification: 'the agent holds a host port: it cannot surge',
      location: {
        physicalLocation: {
          artifactLocation: { uri: 'daemonset.yaml', uriBaseId: '%SRCROOT%', index: 1 },
          region: { startLine: lineOf(ACKNOWLEDGED_GAP, 'cdk8s-node-local/acknowledge-NL102') },
        },
      },
    }]);
    // the other formats leave it out, as before
    expect((await jsonReport(files, ['service.yaml', 'daemonset.yaml'])).findings).toEqual([]);
  });

  test('an acknowledged error does not fail the command, and findings not acknowledged have no suppression', async () => {
    const service = HEADLESS_SERVICE.replace('  namespace: kube-system\n', `  namespace: kube-system\n${ACK('NL002', 'clients use the pod IPs on purpose')}`);
    const files = { 'service.yaml': service, 'daemonset.yaml': GAPPY_DAEMONSET };
    const { code, log } = await sarif('an acknowledged error', files, ['service.yaml', 'daemonset.yaml']);
    expect(code).toBe(0);
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.suppressions?.[0].justification])).toEqual([
      ['NL002', 'clients use the pod IPs on purpose'],
      ['NL102', undefined],
    ]);
  });

  test('a client finding acknowledged on the pair\'s Service is suppressed where the annotation is', async () => {
    const service = SERVICE.replace('  namespace: kube-system\n', `  namespace: kube-system\n${ACK('NL013', 'gpu nodes resolve through the cluster DNS')}`);
    const files = { 'service.yaml': service, 'daemonset.yaml': GENERAL_POOL_DAEMONSET, 'client.yaml': CLIENT };
    const { log } = await sarif('an acknowledged client finding', files, ['service.yaml', 'daemonset.yaml', 'client.yaml']);
    const result = log.runs[0].results.find((r: any) => r.ruleId === 'NL013');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('client.yaml');
    expect(result.suppressions[0]).toMatchObject({ justification: 'gpu nodes resolve through the cluster DNS' });
    expect(result.suppressions[0].location.physicalLocation.artifactLocation.uri).toBe('service.yaml');
  });

  test('a reason with quotes, newlines and control characters stays valid JSON and is kept as written', async () => {
    const reason = 'line one\nline "two" \u0007 ::error::x, %0A';
    const files = { 'service.yaml': SERVICE, 'daemonset.yaml': GAPPY_DAEMONSET.replace('  namespace: kube-system\n', `  namespace: kube-system\n${ACK('NL102', reason)}`) };
    const { log } = await sarif('a hostile reason', files, ['service.yaml', 'daemonset.yaml']);
    expect(log.runs[0].results[0].suppressions[0].justification).toBe(reason);
  });
});

describe('the validator', () => {
  const log = (result: Record<string, unknown>) => JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'x', version: '1', informationUri: 'https://example.com', rules: [{ id: 'A' }] } }, results: [result] }],
  });

  test('reports a log the schema rejects, which the Multitool would skip without a word', async () => {
    const broken = new SarifLogs();
    broken.record('an unknown level', log({ ruleId: 'A', level: 'fatal', message: { text: 'm.' } }));
    expect(await broken.validate()).toEqual([expect.objectContaining({ log: 'an unknown level', level: 'error', ruleId: 'schema' })]);
  });

  test('reports errors of the SARIF rules and GitHub\'s ingestion rules, each on its log', async () => {
    const broken = new SarifLogs();
    broken.record('fine', JSON.stringify((await sarif('fine', FILES, FILE_ARGS)).log));
    broken.record('bad index', log({ ruleId: 'A', ruleIndex: 3, level: 'error', message: { text: 'm.' }, locations: [] }));
    const issues = await broken.validate();
    expect(issues.filter(i => i.log === 'fine')).toEqual([]);
    const errors = issues.filter(i => i.level === 'error').map(i => `${i.log}: ${i.ruleId}`);
    expect(errors).toEqual(expect.arrayContaining(['bad index: SARIF1009', 'bad index: GH2012']));
  }, 120_000);

  test('the Multitool accepts every log above under the SARIF and GitHub rules, without an error or a warning', async () => {
    expect(logs.count).toBeGreaterThanOrEqual(25);
    expect(await logs.validate()).toEqual([]);
  }, 120_000);
});
