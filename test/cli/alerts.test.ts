// `cdk8s-node-local alerts`: the PrometheusRule for the pairs the engine finds in any YAML.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse, stringify } from 'yaml';
import { DAEMONSET, SERVICE } from './fixtures';
import { cli, expectInputError, folder, lines, removeFolder } from './support';
import { NodeLocalAlerts, NodeLocalDaemonService } from '../../src';
import { ALERTS_USAGE } from '../../src/cli/alerts';
import { USAGE } from '../../src/cli/main';
import { checkRules, findPromtool } from '../alerts/promtool/promtool';
import { expectExpressionsParse, expectValidPrometheusRule } from '../support/prometheus';

let dir: string;
afterEach(() => dir && removeFolder(dir));

async function alerts(files: { [name: string]: string }, ...args: string[]) {
  dir = folder(files);
  return cli(['alerts', ...args], { cwd: dir });
}

/** Runs the command and parses its PrometheusRule. */
async function rule(files: { [name: string]: string }, ...args: string[]) {
  const result = await alerts(files, ...args);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  const parsed = parse(result.stdout);
  expectValidPrometheusRule(parsed);
  expectExpressionsParse(parsed);
  return parsed;
}

function allRules(r: any): any[] {
  return r.spec.groups.flatMap((g: any) => g.rules);
}

/**
 * An OpenTelemetry Collector agent as a Helm chart renders it: chart labels, the pod selector of
 * the chart, tolerations of every taint, a surge rollout; `namespace` absent when the chart leaves
 * it to `helm install -n`.
 */
function helmAgent(namespace?: string): string {
  const ns = namespace ? [`  namespace: ${namespace}`] : [];
  return lines(
    '---',
    '# Source: opentelemetry-collector/templates/service.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: otel-opentelemetry-collector-agent',
    ...ns,
    '  labels:',
    '    helm.sh/chart: opentelemetry-collector-0.110.0',
    '    app.kubernetes.io/name: opentelemetry-collector',
    '    app.kubernetes.io/instance: otel',
    '    app.kubernetes.io/version: "0.98.0"',
    '    app.kubernetes.io/managed-by: Helm',
    '    component: agent-collector',
    'spec:',
    '  type: ClusterIP',
    '  internalTrafficPolicy: Local',
    '  selector:',
    '    app.kubernetes.io/name: opentelemetry-collector',
    '    app.kubernetes.io/instance: otel',
    '    component: agent-collector',
    '  ports:',
    '    - name: otlp',
    '      port: 4317',
    '      targetPort: 4317',
    '      protocol: TCP',
    '      appProtocol: grpc',
    '    - name: otlp-http',
    '      port: 4318',
    '      targetPort: 4318',
    '      protocol: TCP',
    '---',
    '# Source: opentelemetry-collector/templates/daemonset.yaml',
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: otel-opentelemetry-collector-agent',
    ...ns,
    '  labels:',
    '    helm.sh/chart: opentelemetry-collector-0.110.0',
    '    app.kubernetes.io/name: opentelemetry-collector',
    '    app.kubernetes.io/instance: otel',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app.kubernetes.io/name: opentelemetry-collector',
    '      app.kubernetes.io/instance: otel',
    '      component: agent-collector',
    '  updateStrategy:',
    '    type: RollingUpdate',
    '    rollingUpdate:',
    '      maxSurge: 1',
    '      maxUnavailable: 0',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app.kubernetes.io/name: opentelemetry-collector',
    '        app.kubernetes.io/instance: otel',
    '        component: agent-collector',
    '    spec:',
    '      tolerations:',
    '        - operator: Exists',
    '      containers:',
    '        - name: opentelemetry-collector',
    '          image: otel/opentelemetry-collector-k8s:0.98.0',
    '          ports:',
    '            - name: otlp',
    '              containerPort: 4317',
    '              protocol: TCP',
    '            - name: otlp-http',
    '              containerPort: 4318',
    '              protocol: TCP',
    '          readinessProbe:',
    '            httpGet:',
    '              path: /',
    '              port: 13133',
  );
}

describe('the same rules as the construct', () => {
  test('for the YAML the construct writes: the rule groups are equal', async () => {
    const app = Testing.app();
    const chart = new Chart(app, 'observability', { namespace: 'observability' });
    const agent = new NodeLocalDaemonService(chart, 'otel-agent', {
      metadata: { name: 'otel-agent' },
      containers: [{ image: 'otel/opentelemetry-collector-contrib:0.98.0' }],
      ports: [{ port: 4317, name: 'otlp-grpc' }, { port: 6831, name: 'jaeger', protocol: kplus.Protocol.UDP }],
    });
    new NodeLocalAlerts(chart, 'alerts', { agents: [agent] });
    const manifests = Testing.synth(chart);
    const fromConstruct = manifests.find(m => m.kind === 'PrometheusRule');
    const agentYaml = manifests.filter(m => m.kind !== 'PrometheusRule').map(m => stringify(m)).join('---\n');

    const fromCommand = await rule({ 'agent.yaml': agentYaml }, 'agent.yaml');
    expect(fromCommand.spec).toEqual(fromConstruct.spec);
  });

  test('for a Helm-rendered agent: a group for its Service, with the alerts for its DaemonSet', async () => {
    const r = await rule({ 'rendered.yaml': helmAgent('observability') }, 'rendered.yaml');
    expect(r.metadata).toEqual({ name: 'node-local-alerts' });
    expect(r.spec.groups.map((g: any) => [g.name, g.rules.map((x: any) => x.alert)])).toEqual([
      ['node-local/observability/otel-opentelemetry-collector-agent', ['NodeLocalEndpointMissing', 'NodeLocalRolloutStuck']],
      ['node-local/kube-proxy', ['NodeLocalTrafficDropped']],
    ]);
    const [missing] = allRules(r);
    expect(missing.labels).toEqual({
      severity: 'critical',
      namespace: 'observability',
      daemonset: 'otel-opentelemetry-collector-agent',
      service: 'otel-opentelemetry-collector-agent',
    });
    expect(missing.expr).toContain('owner_name="otel-opentelemetry-collector-agent"');
    // it tolerates every taint: only Fargate and virtual-kubelet nodes are left out
    expect(missing.expr.match(/kube_node_spec_taint/g)).toHaveLength(2);
    expect(missing.annotations.description).toContain(
      '--field-selector spec.nodeName={{ $labels.node }} -l app.kubernetes.io/name=opentelemetry-collector,app.kubernetes.io/instance=otel,component=agent-collector.');
  });

  test('for a Helm-rendered agent whose Service prefers the same node: the traffic falls back, a warning', async () => {
    const preferSameNode = helmAgent('observability').replace('  internalTrafficPolicy: Local\n', '  trafficDistribution: PreferSameNode\n');
    const [missing] = allRules(await rule({ 'rendered.yaml': preferSameNode }, 'rendered.yaml'));
    expect(missing.labels.severity).toBe('warning');
    expect(missing.annotations.summary).toContain('from this node leaves the node');
  });

  const promtool = findPromtool();
  (promtool ? test : test.skip)('promtool check rules accepts the rules of a Helm-rendered agent', async () => {
    const r = await rule({ 'rendered.yaml': helmAgent('observability') }, 'rendered.yaml');
    const result = checkRules(promtool!, r.spec.groups);
    expect(result.output).toContain('SUCCESS: 3 rules found');
  });
});

describe('options', () => {
  test('objects without namespace are in --namespace, as helm install -n puts them; default: default', async () => {
    const inDefault = await rule({ 'rendered.yaml': helmAgent() }, 'rendered.yaml');
    expect(allRules(inDefault)[0].labels.namespace).toBe('default');
    const inObservability = await rule({ 'rendered.yaml': helmAgent() }, '-n', 'observability', 'rendered.yaml');
    expect(allRules(inObservability)[0].labels.namespace).toBe('observability');
    expect(allRules(inObservability)[0].expr).toContain('kube_pod_owner{job="kube-state-metrics", namespace="observability"');
    const long = await rule({ 'rendered.yaml': helmAgent() }, '--namespace=observability', 'rendered.yaml');
    expect(long.spec).toEqual(inObservability.spec);
  });

  test('--namespace does not move objects that have one', async () => {
    const r = await rule({ 'rendered.yaml': helmAgent('observability') }, '-n', 'other', 'rendered.yaml');
    expect(allRules(r)[0].labels.namespace).toBe('observability');
  });

  test('--rule-namespace, --name and --label set the PrometheusRule\'s metadata', async () => {
    const r = await rule({ 'rendered.yaml': helmAgent('observability') },
      '--rule-namespace', 'monitoring', '--name', 'otel-alerts', '--label', 'release=kube-prometheus-stack', '--label', 'team=platform', 'rendered.yaml');
    expect(r.metadata).toEqual({ name: 'otel-alerts', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack', team: 'platform' } });
  });

  test('--kube-state-metrics-job and --kube-proxy-job replace the job labels', async () => {
    const r = await rule({ 'rendered.yaml': helmAgent('observability') },
      '--kube-state-metrics-job', 'integrations/kubernetes/kube-state-metrics', '--kube-proxy-job=integrations/kubernetes/kube-proxy', 'rendered.yaml');
    const exprs = allRules(r).map(x => x.expr).join('\n');
    expect(exprs).toContain('job="integrations/kubernetes/kube-state-metrics"');
    expect(exprs).toContain('job="integrations/kubernetes/kube-proxy"');
    expect(exprs).not.toMatch(/job="kube-(state-metrics|proxy)"/);
  });

  test('--disable leaves an alert out, and the group that is left empty', async () => {
    const r = await rule({ 'rendered.yaml': helmAgent('observability') }, '--disable', 'NodeLocalTrafficDropped', '--disable', 'NodeLocalRolloutStuck', 'rendered.yaml');
    expect(r.spec.groups.map((g: any) => [g.name, g.rules.map((x: any) => x.alert)])).toEqual([
      ['node-local/observability/otel-opentelemetry-collector-agent', ['NodeLocalEndpointMissing']],
    ]);
  });

  test('reads standard input, and several files together: a Service and its DaemonSet in two files', async () => {
    const piped = await cli(['alerts'], { stdin: `${SERVICE}---\n${DAEMONSET}` });
    expect(piped.code).toBe(0);
    const split = await alerts({ 'service.yaml': SERVICE, 'daemonset.yaml': DAEMONSET }, 'service.yaml', 'daemonset.yaml');
    expect(split).toEqual(piped);
    expect(parse(split.stdout).spec.groups[0].name).toBe('node-local/kube-system/node-cache');
  });

  test('a group per node-local Service, in input order', async () => {
    const logAgent = helmAgent('logging').replace(/otel-opentelemetry-collector-agent/g, 'log-agent');
    const r = await rule({ 'a.yaml': helmAgent('observability'), 'b.yaml': logAgent }, 'a.yaml', 'b.yaml');
    expect(r.spec.groups.map((g: any) => g.name)).toEqual([
      'node-local/observability/otel-opentelemetry-collector-agent', 'node-local/logging/log-agent', 'node-local/kube-proxy',
    ]);
  });

  test('--help prints the usage, and the main usage names the command', async () => {
    expect(await cli(['alerts', '--help'])).toEqual({ code: 0, stdout: ALERTS_USAGE, stderr: '' });
    expect(USAGE).toContain('cdk8s-node-local alerts [OPTION ...] [FILE ...]');
  });
});

describe('errors: exit 2, one line on stderr, nothing on stdout', () => {
  test('no node-local Service', async () => {
    const cluster = SERVICE.replace('  internalTrafficPolicy: Local\n', '');
    expectInputError(await alerts({ 'a.yaml': `${cluster}---\n${DAEMONSET}` }, 'a.yaml'),
      /no node-local Service with a DaemonSet in a\.yaml: the alerts watch Services with internalTrafficPolicy: Local/);
  });

  test('a node-local Service that selects no DaemonSet', async () => {
    expectInputError(await alerts({ 'a.yaml': SERVICE }, 'a.yaml'), /no node-local Service with a DaemonSet in a\.yaml: .*lint tells why/);
  });

  test('no object at all', async () => {
    expectInputError(await alerts({ 'a.yaml': '# nothing\n' }, 'a.yaml'), /no kubernetes objects in a\.yaml/);
  });

  test('a file that does not exist', async () => {
    expectInputError(await alerts({}, 'missing.yaml'), /cannot read missing\.yaml: no such file or directory/);
  });

  test('a name Kubernetes would reject, which the annotations must not carry', async () => {
    const bad = helmAgent('observability').replace(/name: otel-opentelemetry-collector-agent/g, 'name: "otel-{{agent}}"');
    expectInputError(await alerts({ 'a.yaml': bad }, 'a.yaml'), /Service observability\/otel-\{\{agent\}\} has the name "otel-\{\{agent\}\}", which Kubernetes rejects \(.*\): fix the name in the manifest \(and 1 more\)$/m);
  });

  test.each([
    [['--namespace'], /--namespace needs a value, e\.g\. --namespace observability/],
    [['-n', 'Bad_NS'], /-n "Bad_NS" is not a namespace name/],
    [['--rule-namespace', 'a.b'], /--rule-namespace "a\.b" is not a namespace name/],
    [['--name', 'Node Local'], /--name "Node Local" is not a valid PrometheusRule name/],
    [['--label', 'release'], /--label "release" is not KEY=VALUE, e\.g\. --label release=kube-prometheus-stack/],
    [['--label', 'release=kube prometheus'], /--label "release=kube prometheus" is not a Kubernetes label/],
    [['--kube-proxy-job', ''], /--kube-proxy-job "" must be a non-empty string/],
    [['--disable', 'NodeLocalSomething'], /--disable "NodeLocalSomething" is not an alert; allowed: NodeLocalEndpointMissing, NodeLocalRolloutStuck, NodeLocalTrafficDropped/],
    [['--disable', 'NodeLocalEndpointMissing', '--disable', 'NodeLocalRolloutStuck', '--disable', 'NodeLocalTrafficDropped'], /every alert is disabled/],
    [['--strict'], /unknown option --strict for alerts; allowed: --namespace/],
  ])('the command line %p', async (args, message) => {
    expectInputError(await alerts({ 'a.yaml': helmAgent('observability') }, 'a.yaml', ...args), message);
  });
});
