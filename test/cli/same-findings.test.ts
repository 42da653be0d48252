// One engine, three entry points: on the same objects, the command, the cdk8s plugin and the
// engine run over what cdk8s synthesizes report the same findings; the command adds file and line.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Include, JsonPatch, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { cli, folder, removeFolder } from './support';
import { NodeLocalDaemonService } from '../../src';
import { Finding } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';
import { NodeLocalValidation } from '../../src/plugin/node-local-validation';

/** A log agent's chart as `helm template` renders it: ServiceAccount, ConfigMap, Service, DaemonSet. */
const HELM_RENDERED = path.join(__dirname, 'fixtures', 'helm-rendered.yaml');

/** What a finding says, whoever reports it. */
function said(f: { ruleId: string; severity: string; message: string; fix: string; path: string; resource: any }) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    fix: f.fix,
    path: f.path,
    resource: { kind: f.resource.kind, name: f.resource.name ?? null, namespace: f.resource.namespace ?? null },
  };
}

async function lintJson(file: string) {
  const result = await cli(['lint', '--format', 'json', file]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

async function plugin(yaml: string) {
  const dir = folder({ 'app.k8s.yaml': yaml });
  try {
    const violations: any[] = [];
    await new NodeLocalValidation().validate({
      manifests: [path.join(dir, 'app.k8s.yaml')],
      report: { addViolation: (v: any) => violations.push(v), submit: () => undefined },
    });
    return violations;
  } finally {
    removeFolder(dir);
  }
}

test('a Helm chart\'s rendered output: the command, the plugin on a cdk8s app that includes it, and the engine agree', async () => {
  const text = fs.readFileSync(HELM_RENDERED, 'utf-8');

  // the command, on the file
  const report = await lintJson(HELM_RENDERED);
  expect(report.findings.map((f: any) => [f.ruleId, f.file, f.line, f.fieldLine])).toEqual([
    ['NL006', HELM_RENDERED, 37, 55],
    ['NL102', HELM_RENDERED, 63, 72],
    ['NL103', HELM_RENDERED, 63, 84],
    ['NL111', HELM_RENDERED, 63, 84],
  ]);
  expect(text.split('\n')[36]).toBe('apiVersion: v1');
  expect(text.split('\n')[54]).toBe('      targetPort: forward');

  // a cdk8s app that includes the chart's output, as synthesized
  const chart = Testing.chart();
  new Include(chart, 'log-agent', { url: HELM_RENDERED });
  const synthesized = Testing.synth(chart);
  const engine: Finding[] = lintManifests(synthesized);
  expect(report.findings.map(said)).toEqual(engine.map(said));

  // the plugin, on the manifest cdk8s writes for that app
  const violations = await plugin(Yaml.stringify(...synthesized));
  expect(violations.map(v => [v.ruleName, v.recommendation, v.fix])).toEqual(
    engine.map(f => [`[${f.severity}] ${f.ruleId} ${f.ruleName}`, f.message, f.fix]));
});

test('the YAML a NodeLocalDaemonService synthesizes, broken through an escape hatch: the command finds what the engine finds for the pair', async () => {
  const chart = Testing.chart();
  const agent = new NodeLocalDaemonService(chart, 'agent', {
    metadata: { name: 'node-cache', namespace: 'kube-system' },
    containers: [{ name: 'node-cache', image: 'registry.k8s.io/dns/k8s-dns-node-cache:1.23.1' }],
    ports: [{ name: 'dns', port: 53, protocol: kplus.Protocol.UDP }],
  });
  ApiObject.of(agent.service).addJsonPatch(JsonPatch.add('/spec/clusterIp', 'None'));
  // the construct refuses to synthesize it...
  expect(() => Testing.synth(chart)).toThrow(/\[test\/agent\] NL002: Service kube-system\/node-cache has clusterIP "None"/);
  // ...so take the objects as synthesis would have written them
  const objects = chart.node.findAll().filter(ApiObject.isApiObject).map(o => o.toJson());
  // the construct's own view: the pair named explicitly
  const engine = lintManifests(objects, {
    pairs: [{
      service: { kind: 'Service', name: agent.serviceName, namespace: 'kube-system' },
      daemonSet: { kind: 'DaemonSet', name: 'node-cache', namespace: 'kube-system' },
    }],
  });
  expect(engine.map(f => f.ruleId)).toEqual(expect.arrayContaining(['NL002', 'NL101']));

  const dir = folder({ 'agent.k8s.yaml': Yaml.stringify(...objects) });
  try {
    const report = await lintJson(path.join(dir, 'agent.k8s.yaml'));
    expect(report.findings.map(said)).toEqual(engine.map(said));
    expect(report.findings.every((f: any) => f.line > 0 && f.fieldLine >= f.line)).toBe(true);
  } finally {
    removeFolder(dir);
  }
});
