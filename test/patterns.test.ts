// The patterns of public charts' rendered output that the engine once got wrong, in fixtures of
// our own (test/fixtures/patterns): each is checked through the engine, the command and the
// cdk8s plugin, which must agree, and the construct meets the same cases in its own terms.
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeLocalDaemonService } from '../src';
import { cli } from './cli/support';
import { parseManifests } from '../src/cli/manifests';
import { LintContext } from '../src/lint/context';
import { Finding } from '../src/lint/finding';
import { lintManifests } from '../src/lint/lint';
import { LintOptions } from '../src/lint/lint-options';
import { NodeLocalValidation } from '../src/plugin/node-local-validation';

const DIR = path.join(__dirname, 'fixtures', 'patterns');

function objects(file: string): any[] {
  return parseManifests(file, fs.readFileSync(path.join(DIR, file), 'utf-8')).map((m) => m.object);
}

/** The findings of the three entry points on one file, as [rule, resource]; they must agree. */
async function findings(file: string, options: LintOptions = {}): Promise<Finding[]> {
  const engine = lintManifests(objects(file), options);
  const args = ['lint', '--format', 'json', ...(options.namespace ? ['--namespace', options.namespace] : []), path.join(DIR, file)];
  const command = JSON.parse((await cli(args)).stdout);
  expect(command.findings.map((f: any) => [f.ruleId, f.message])).toEqual(engine.map((f) => [f.ruleId, f.message]));
  if (options.namespace === undefined) {
    const violations: any[] = [];
    await new NodeLocalValidation().validate({
      manifests: [path.join(DIR, file)],
      report: { addViolation: (v: any) => violations.push(v), submit: () => undefined },
    });
    expect(violations.map((v) => [v.ruleName, v.recommendation])).toEqual(engine.map((f) => [`[${f.severity}] ${f.ruleId} ${f.ruleName}`, f.message]));
  }
  return engine;
}

function summary(list: Finding[]): string[] {
  return list.map((f) => `${f.ruleId} ${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`);
}

describe('an umbrella chart: a subchart\'s objects with namespace: default, the parent\'s with none', () => {
  test('the applications are clients of the agent in the same namespace, by its short name and $(VAR), and draw no finding', async () => {
    const context = new LintContext(objects('umbrella-chart.yaml'));
    expect(context.clients().map((l) => l.workload.object.display)).toEqual(['Deployment cart', 'Deployment checkout']);
    expect(context.clients()[0].evidence).toBe('env OTEL_EXPORTER_OTLP_ENDPOINT of container "cart" is "http://$(TELEMETRY_NAME):4317", '
      + 'which expands to "http://telemetry:4317"');
    expect(await findings('umbrella-chart.yaml')).toEqual([]);
  });

  test('applied to another namespace, the short names resolve to nothing there, and the finding says how to lint it', async () => {
    const list = await findings('umbrella-chart.yaml', { namespace: 'shop' });
    expect(summary(list)).toEqual(['NL020 Deployment cart', 'NL020 Deployment checkout']);
    expect(list[0].message).toContain('(Deployment cart has no metadata.namespace and is taken to be in "shop"; if it is applied to '
      + 'namespace default, as helm install -n default does, lint with --namespace default)');
  });
});

describe('words of paths and lists, an OS selector, a Fargate exclusion, a host-IP client with a port variable', () => {
  test('only the application that uses the node\'s IP and the agent\'s port is a client, and its gap is reported', async () => {
    const context = new LintContext(objects('words-in-values.yaml'));
    expect(context.clients().map((l) => [l.workload.object.display, l.via])).toEqual([['Deployment shop/payments', 'hostIp']]);
    const list = await findings('words-in-values.yaml');
    expect(summary(list)).toEqual([
      'NL102 DaemonSet monitoring/metrics-agent',
      'NL103 DaemonSet monitoring/metrics-agent',
      'NL013 Deployment shop/payments',
    ]);
    // the OS selector and the Fargate exclusion are not coverage gaps; the toleration is
    expect(list[1].message).not.toMatch(/kubernetes\.io\/os|fargate/);
    expect(list[1].message).toContain('it only tolerates [{"key":"gpu","operator":"Exists"}]');
    expect(list[2].message).toContain('(env STATSD_AGENT_HOST of container "payments" is the node\'s IP (status.hostIP) and env '
      + 'STATSD_AGENT_PORT of container "payments" is "8125", a host port of DaemonSet monitoring/metrics-agent)');
    expect(list[2].message).toContain('tolerates the taint dedicated=payments:NoSchedule');
  });
});

describe('a network plugin on the host network, a deliberate NodePort with PreferSameNode', () => {
  test('the host-network agent\'s rollout gap is a warning whose fix keeps it on the host network; the NodePort draws nothing', async () => {
    const list = await findings('host-network-and-node-port.yaml');
    expect(summary(list)).toEqual(['NL102 DaemonSet kube-system/cni-node']);
    expect(list[0].fix).toContain('the gap is inherent: keep it and acknowledge NL102');
    expect(list[0].fix).not.toMatch(/remove (hostNetwork|the host network)/i);
  });
});

describe('the construct meets the same cases', () => {
  function agentIn(chart: Chart, props: Partial<kplus.DaemonSetProps> = {}) {
    return new NodeLocalDaemonService(chart, 'agent', {
      metadata: { name: 'telemetry', namespace: 'obs' },
      containers: [{ name: 'collector', image: 'registry.example/collector:1.0.0', readiness: kplus.Probe.fromHttpGet('/', { port: 13133 }) }],
      ports: [{ name: 'otlp', port: 4317 }],
      ...props,
    });
  }

  test('an agent restricted to Linux nodes makes a client without that restriction a warning, never an error', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'obs');
    const agent = agentIn(chart, { nodeSelector: undefined });
    agent.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/os', 'linux')));
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const checkout = new kplus.Deployment(shop, 'checkout', { containers: [{ image: 'registry.example/checkout:1' }] });
    agent.connect(checkout, { port: 'otlp', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    const warningsOfSynth = (): string[] => {
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        expect(() => app.synth()).not.toThrow();
        return stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('NL130'));
      } finally {
        stderr.mockRestore();
      }
    };
    // nothing in the app runs on Windows: no warning about Windows nodes the cluster may not have
    expect(warningsOfSynth()).toEqual([]);
    const windows = new kplus.Deployment(shop, 'iis', { containers: [{ image: 'registry.example/iis:1' }] });
    windows.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/os', 'windows')));
    {
      const warnings = warningsOfSynth();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('can be scheduled on a node labeled kubernetes.io/os=windows');
      expect(warnings[0]).not.toContain('without the label kubernetes.io/os');
    }
  });
});
