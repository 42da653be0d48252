import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NodeLocalAlerts, NodeLocalAlertsProps, NodeLocalDaemonService, NodeLocalDaemonServiceProps, NodeLocalTraffic } from '../src';
import { expectExpressionsParse, expectValidPrometheusRule } from './support/prometheus';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

function agent(scope: Construct, id: string, name = id, props: Partial<NodeLocalDaemonServiceProps> = {}): NodeLocalDaemonService {
  return new NodeLocalDaemonService(scope, id, {
    metadata: { name },
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    ...props,
  });
}

/** An agent in namespace observability, alerts in namespace monitoring; returns the synthesized PrometheusRule. */
function synth(
  props: Partial<NodeLocalAlertsProps> = {},
  configure?: (agents: NodeLocalDaemonService[]) => void,
  agentProps: Partial<NodeLocalDaemonServiceProps> = {},
) {
  const app = Testing.app();
  const observability = new Chart(app, 'observability', { namespace: 'observability' });
  const agents = [agent(observability, 'otel-agent', 'otel-agent', agentProps)];
  const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
  const alerts = new NodeLocalAlerts(monitoring, 'alerts', { agents, ...props });
  configure?.(agents);
  const manifests = Testing.synth(monitoring);
  expect(manifests).toHaveLength(1);
  return { alerts, rule: manifests[0], agents, monitoring };
}

function rulesOf(rule: any, alert: string): any[] {
  return rule.spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert === alert);
}

function ruleOf(rule: any, alert: string): any {
  const rules = rulesOf(rule, alert);
  expect(rules).toHaveLength(1);
  return rules[0];
}

describe('snapshots', () => {
  test('one agent, the defaults', () => {
    expect(synth().rule).toMatchSnapshot();
  });
});

describe('the PrometheusRule', () => {
  test('is a valid monitoring.coreos.com/v1 PrometheusRule in the chart\'s namespace, the child Resource', () => {
    const { alerts, rule } = synth();
    expectValidPrometheusRule(rule);
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(ApiObject.of(alerts)).toBe(alerts.prometheusRule);
    expect(alerts.prometheusRule.node.id).toBe('Resource');
  });

  test('takes its name, namespace and labels from metadata: the release label kube-prometheus-stack selects rules by', () => {
    const { rule } = synth({ metadata: { name: 'node-local', namespace: 'prometheus', labels: { release: 'kube-prometheus-stack' } } });
    expect(rule.metadata).toEqual({ name: 'node-local', namespace: 'prometheus', labels: { release: 'kube-prometheus-stack' } });
  });

  test('has a group per agent, named after its Service, and one for kube-proxy, last', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'observability' });
    const agents = [agent(chart, 'otel-agent'), agent(chart, 'log-agent')];
    const alerts = new NodeLocalAlerts(chart, 'alerts', { agents });
    const rule = Testing.synth(chart).find(m => m.kind === 'PrometheusRule');
    expect(rule.spec.groups.map((g: any) => [g.name, g.rules.map((r: any) => r.alert)])).toEqual([
      ['node-local/observability/otel-agent', ['NodeLocalEndpointMissing', 'NodeLocalRolloutStuck']],
      ['node-local/observability/log-agent', ['NodeLocalEndpointMissing', 'NodeLocalRolloutStuck']],
      ['node-local/kube-proxy', ['NodeLocalTrafficDropped']],
    ]);
    expect(alerts.agents).toEqual(agents);
  });

  test('every expression parses as PromQL', () => {
    expectExpressionsParse(synth().rule);
  });
});

describe('NodeLocalEndpointMissing', () => {
  test('is labelled with the agent and a critical severity, and fires after 5m', () => {
    const rule = ruleOf(synth().rule, 'NodeLocalEndpointMissing');
    expect(rule.labels).toEqual({ namespace: 'observability', daemonset: 'otel-agent', service: 'otel-agent', severity: 'critical' });
    expect(rule.for).toBe('5m');
  });

  test('joins kube_pod_info to kube_pod_owner and kube_pod_status_ready by namespace and pod, and keeps the node', () => {
    const { expr } = ruleOf(synth().rule, 'NodeLocalEndpointMissing');
    expect(expr).toContain('kube_pod_info{job="kube-state-metrics", namespace="observability", node!=""}');
    expect(expr).toContain('and on (namespace, pod) kube_pod_owner{job="kube-state-metrics", namespace="observability", owner_kind="DaemonSet", owner_name="otel-agent"}');
    expect(expr).toContain('and on (namespace, pod) (kube_pod_status_ready{job="kube-state-metrics", namespace="observability", condition="true"} == 1)');
    expect(expr).toMatch(/^\(\n {2}group by \(node\) \(kube_node_info\{job="kube-state-metrics"\}\)/);
    expect(expr).toContain('unless on (node)\ngroup by (node) (');
  });

  test('checks every ready node but Fargate and virtual-kubelet ones: the agent tolerates every taint and has no nodeSelector', () => {
    const { expr } = ruleOf(synth().rule, 'NodeLocalEndpointMissing');
    expect(expr).toContain('kube_node_status_condition{job="kube-state-metrics", condition="Ready", status="true"} == 1');
    expect(expr).toContain('unless on (node) (kube_node_spec_taint{job="kube-state-metrics", key="eks.amazonaws.com/compute-type", value="fargate", effect="NoSchedule"}'
      + ' or kube_node_spec_taint{job="kube-state-metrics", key="virtual-kubelet.io/provider", effect=~"NoSchedule|NoExecute"})');
    expect(expr.match(/kube_node_spec_taint/g)).toHaveLength(2);
  });

  test('leaves out the nodes whose taints the agent does not tolerate, with tolerateAllTaints: false', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'observability' });
    const only = new NodeLocalDaemonService(chart, 'otel-agent', {
      metadata: { name: 'otel-agent' },
      containers: [{ image: IMAGE }],
      ports: [{ port: 4317, name: 'otlp-grpc' }],
      tolerateAllTaints: false,
      validation: { acknowledge: [{ ruleId: 'NL103', reason: 'no client runs on tainted nodes' }] },
    });
    only.daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'agents', { effect: kplus.TaintEffect.NO_SCHEDULE })));
    new NodeLocalAlerts(chart, 'alerts', { agents: [only] });
    const rule = Testing.synth(chart).find(m => m.kind === 'PrometheusRule');
    const { expr } = ruleOf(rule, 'NodeLocalEndpointMissing');
    expect(expr).toContain('  unless on (node)\n  (\n    kube_node_spec_taint{job="kube-state-metrics", effect=~"NoSchedule|NoExecute"}\n    unless (');
    expect(expr).toContain('kube_node_spec_taint{job="kube-state-metrics", key="dedicated", value="agents", effect="NoSchedule"}');
    // the tolerations the DaemonSet controller adds
    expect(expr).toContain('kube_node_spec_taint{job="kube-state-metrics", key="node.kubernetes.io/unschedulable", effect="NoSchedule"}');
    expect(expr).toContain('kube_node_spec_taint{job="kube-state-metrics", key="node.kubernetes.io/not-ready", effect="NoExecute"}');
    expectExpressionsParse(rule);
  });

  test('with a nodeSelector, checks only the nodes the agent has a pod on', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'observability' });
    const linux = new NodeLocalDaemonService(chart, 'otel-agent', {
      metadata: { name: 'otel-agent' },
      containers: [{ image: IMAGE }],
      ports: [{ port: 4317, name: 'otlp-grpc' }],
      validation: { acknowledge: [{ ruleId: 'NL103', reason: 'Linux nodes only' }] },
    });
    linux.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/os', 'linux')));
    new NodeLocalAlerts(chart, 'alerts', { agents: [linux] });
    const { expr } = ruleOf(Testing.synth(chart).find(m => m.kind === 'PrometheusRule'), 'NodeLocalEndpointMissing');
    expect(expr).not.toContain('kube_node_info');
    expect(expr).toMatch(/^\(\n {2}group by \(node\) \(\n {4}kube_pod_info\{job="kube-state-metrics", namespace="observability", node!=""\}\n {4}and on \(namespace, pod\) kube_pod_owner/);
  });

  test('says that the traffic is dropped, names the Service, the kubectl command and links to its README section', () => {
    const { annotations } = ruleOf(synth().rule, 'NodeLocalEndpointMissing');
    expect(annotations.summary).toBe('No ready pod of DaemonSet observability/otel-agent on node {{ $labels.node }}: traffic to Service observability/otel-agent from this node is dropped');
    expect(annotations.description).toContain('Service observability/otel-agent has internalTrafficPolicy: Local, so kube-proxy drops the in-cluster traffic');
    expect(annotations.description).toContain('kubectl -n observability get pods -o wide --field-selector spec.nodeName={{ $labels.node }} -l cdk8s.io/metadata.addr=');
    expect(annotations.runbook_url).toBe('https://github.com/maintainers/cdk8s-node-local/blob/main/README.md#nodelocalendpointmissing');
  });

  test('for a Service with trafficDistribution: PreferSameNode, says that traffic falls back, at the fallback severity', () => {
    const preferSameNode = { traffic: NodeLocalTraffic.preferSameNode() };
    const { rule } = synth({ endpointMissing: { fallbackSeverity: 'info' } }, undefined, preferSameNode);
    const missing = ruleOf(rule, 'NodeLocalEndpointMissing');
    expect(missing.labels.severity).toBe('info');
    expect(missing.annotations.summary).toBe('No ready pod of DaemonSet observability/otel-agent on node {{ $labels.node }}: traffic to Service observability/otel-agent from this node leaves the node');
    expect(missing.annotations.description).toContain('Service observability/otel-agent has trafficDistribution: PreferSameNode, so the traffic that pods on this node send to it goes to the agent on another node: it is delivered, but crosses nodes');
    expect(missing.annotations.description).not.toContain('drops');
    expect(ruleOf(rule, 'NodeLocalRolloutStuck').annotations.description).toContain('the traffic to Service observability/otel-agent goes to another node');
    expect(ruleOf(synth({}, undefined, preferSameNode).rule, 'NodeLocalEndpointMissing').labels.severity).toBe('warning');
  });

  test('takes its severity and for from endpointMissing', () => {
    const rule = ruleOf(synth({ endpointMissing: { severity: 'page', forDuration: Duration.minutes(10) } }).rule, 'NodeLocalEndpointMissing');
    expect(rule.labels.severity).toBe('page');
    expect(rule.for).toBe('10m');
    expect(rule.annotations.description).toContain('for 10m.');
  });
});

describe('NodeLocalRolloutStuck', () => {
  test('watches the DaemonSet status of kube-state-metrics and fires after 15m without progress', () => {
    const rule = ruleOf(synth().rule, 'NodeLocalRolloutStuck');
    expect(rule.for).toBe('15m');
    expect(rule.labels).toEqual({ namespace: 'observability', daemonset: 'otel-agent', service: 'otel-agent', severity: 'warning' });
    expect(rule.expr).toContain('changes(kube_daemonset_status_updated_number_scheduled{job="kube-state-metrics", namespace="observability", daemonset="otel-agent"}[5m])');
    expect(rule.expr).toContain('changes(kube_daemonset_status_number_available{job="kube-state-metrics", namespace="observability", daemonset="otel-agent"}[5m])');
    expect(rule.expr).toContain('kube_daemonset_status_updated_number_scheduled{job="kube-state-metrics", namespace="observability", daemonset="otel-agent"} < kube_daemonset_status_desired_number_scheduled');
  });

  test('with OnDelete, old pods are no unfinished rollout: only unavailable pods count', () => {
    const { rule } = synth({}, ([a]) => {
      ApiObject.of(a.daemonSet).addJsonPatch(JsonPatch.replace('/spec/updateStrategy', { type: 'OnDelete' }));
    });
    const { expr } = ruleOf(rule, 'NodeLocalRolloutStuck');
    expect(expr).not.toContain('kube_daemonset_status_updated_number_scheduled{job="kube-state-metrics", namespace="observability", daemonset="otel-agent"} <');
    expect(expr).toContain('kube_daemonset_status_number_available{job="kube-state-metrics", namespace="observability", daemonset="otel-agent"} < kube_daemonset_status_desired_number_scheduled');
  });
});

describe('NodeLocalTrafficDropped', () => {
  test('reads kube-proxy\'s gauge for internal traffic, once, with the node from kube_pod_info or instance', () => {
    const rule = ruleOf(synth().rule, 'NodeLocalTrafficDropped');
    expect(rule.labels).toEqual({ severity: 'warning' });
    expect(rule.expr).toContain('kubeproxy_sync_proxy_rules_no_local_endpoints_total{job="kube-proxy", traffic_policy="internal"}) > 0)\n  * on (namespace, pod) group_left (node)');
    expect(rule.expr).toContain('"node", "$1", "instance", "(.*)"');
  });

  test('can be left out, when another NodeLocalAlerts of the cluster has it', () => {
    const { rule } = synth({ trafficDropped: { enabled: false } });
    expect(rulesOf(rule, 'NodeLocalTrafficDropped')).toEqual([]);
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['node-local/observability/otel-agent']);
  });
});

describe('options', () => {
  test('alertLabels are added to every alert', () => {
    const { rule } = synth({ alertLabels: { team: 'platform', cluster: 'prod-eu' } });
    for (const r of rule.spec.groups.flatMap((g: any) => g.rules)) {
      expect(r.labels).toMatchObject({ team: 'platform', cluster: 'prod-eu' });
    }
  });

  test('the job labels of kube-state-metrics and kube-proxy, quoted however they are written', () => {
    const { rule } = synth({ kubeStateMetricsJob: 'integrations/kubernetes/kube-state-metrics', kubeProxyJob: 'kube "proxy"\\' });
    const all = rule.spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.expr).join('\n');
    expect(all).toContain('job="integrations/kubernetes/kube-state-metrics"');
    expect(all).toContain('job="kube \\"proxy\\"\\\\"');
    expect(all).not.toContain('job="kube-state-metrics"');
    expectExpressionsParse(rule);
  });

  test('a disabled alert is not written, and a group left empty neither', () => {
    const { rule } = synth({ endpointMissing: { enabled: false }, rolloutStuck: { enabled: false } });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['node-local/kube-proxy']);
  });

  test('runbookBaseUrl: each alert links to its anchor on that page', () => {
    const { rule } = synth({ runbookBaseUrl: 'https://wiki.example.com/node-local' });
    expect(rule.spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.annotations.runbook_url)).toEqual([
      'https://wiki.example.com/node-local#nodelocalendpointmissing',
      'https://wiki.example.com/node-local#nodelocalrolloutstuck',
      'https://wiki.example.com/node-local#nodelocaltrafficdropped',
    ]);
  });

  test('every default runbook_url is a section of the README', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
    const anchors = new Set([...readme.matchAll(/^#+ (.*)$/gm)].map(m => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const r of synth().rule.spec.groups.flatMap((g: any) => g.rules)) {
      expect(anchors).toContain(r.annotations.runbook_url.split('#')[1]);
    }
  });
});

describe('reads the agents as they are written, at synthesis', () => {
  test('a name patched after the alerts were created is the name watched', () => {
    const { rule } = synth({}, ([a]) => {
      ApiObject.of(a.daemonSet).addJsonPatch(JsonPatch.replace('/metadata/name', 'collector'));
    });
    const missing = ruleOf(rule, 'NodeLocalEndpointMissing');
    expect(missing.labels.daemonset).toBe('collector');
    expect(missing.expr).toContain('owner_name="collector"');
    expect(ruleOf(rule, 'NodeLocalRolloutStuck').expr).toContain('daemonset="collector"');
  });

  test('the namespace of the agent\'s own metadata wins over its chart\'s', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'default' });
    const a = new NodeLocalDaemonService(chart, 'dns', {
      metadata: { name: 'node-dns', namespace: 'kube-system' },
      containers: [{ image: IMAGE }],
      ports: [{ port: 53, name: 'dns', protocol: kplus.Protocol.UDP }],
    });
    new NodeLocalAlerts(chart, 'alerts', { agents: [a] });
    const rule = Testing.synth(chart).find(m => m.kind === 'PrometheusRule');
    expect(ruleOf(rule, 'NodeLocalEndpointMissing').labels).toMatchObject({ namespace: 'kube-system', daemonset: 'node-dns', service: 'node-dns' });
    expect(rule.metadata.namespace).toBe('default');
  });

  test('fails synthesis, naming the agent, when it has no namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents');
    const a = agent(chart, 'otel-agent');
    new NodeLocalAlerts(chart, 'alerts', { agents: [a] });
    expect(() => Testing.synth(chart)).toThrow(/Service otel-agent has no namespace, and the alerts select its pods by namespace: set metadata\.namespace \(or the chart's namespace\) \(the alerts watch this agent\)/);
  });
});

describe('an agent that cannot serialize', () => {
  test('fails synthesis with cdk8s\' own error, not one of the alerts', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'observability' });
    const a = agent(chart, 'otel-agent');
    new NodeLocalAlerts(chart, 'alerts', { agents: [a] });
    ApiObject.of(a.service).addJsonPatch(JsonPatch.test('/spec/type', 'NodePort'));
    let error: Error | undefined;
    try {
      Testing.synth(chart);
    } catch (e: any) {
      error = e;
    }
    expect(error?.message).toBeDefined();
    expect(error!.message).not.toMatch(/alerts watch/);
    expect(error!.message).toMatch(/test operation failed/i);
  });
});

describe('bad props', () => {
  function fails(props: any, message: RegExp): void {
    const chart = Testing.chart();
    const a = agent(chart, 'otel-agent');
    const before = chart.node.children.length;
    expect(() => new NodeLocalAlerts(chart, 'alerts', { agents: [a], ...props })).toThrow(message);
    expect(chart.node.children.length).toBe(before);
  }

  test('fails if agents is empty', () => fails({ agents: [] }, /^agents is empty: give the NodeLocalDaemonService constructs to watch, e\.g\. agents: \[agent\]$/));
  test('fails if agents is not a list', () => fails({ agents: 'otel-agent' }, /^agents is "otel-agent": give the NodeLocalDaemonService constructs/));
  test('fails if props are missing', () => {
    expect(() => new NodeLocalAlerts(Testing.chart(), 'alerts', undefined as any)).toThrow(/^agents is undefined: /);
  });
  test('fails if an agent is not a NodeLocalDaemonService', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'app', { containers: [{ image: IMAGE }] });
    expect(() => new NodeLocalAlerts(chart, 'alerts', { agents: [deployment as any] })).toThrow(/^agents\[0\] is .*, not a NodeLocalDaemonService: give the construct itself/);
  });
  test('fails if an agent is given twice', () => {
    const chart = Testing.chart();
    const a = agent(chart, 'otel-agent');
    expect(() => new NodeLocalAlerts(chart, 'alerts', { agents: [a, a] })).toThrow(/^agents\[1\] is agents\[0\] again \(test\/otel-agent\): give each agent once$/);
  });
  test('fails if a severity is empty', () => fails({ endpointMissing: { severity: ' ' } }, /^endpointMissing\.severity is " ": it must be a non-empty string, e\.g\. 'critical' or 'warning'$/));
  test('fails if the fallback severity is not a string', () => fails({ endpointMissing: { fallbackSeverity: 3 } }, /^endpointMissing\.fallbackSeverity is 3: it must be a non-empty string/));
  test('fails if a severity spans lines', () => fails({ rolloutStuck: { severity: 'a\nb' } }, /^rolloutStuck\.severity is "a\\nb": it must be one line/));
  test('fails if forDuration is not a Duration', () => fails({ trafficDropped: { forDuration: '5m' } }, /^trafficDropped\.forDuration is "5m", not a Duration: use e\.g\. Duration\.minutes\(10\)$/));
  test('fails if forDuration is not whole milliseconds', () => fails({ endpointMissing: { forDuration: Duration.millis(0.5) } }, /^endpointMissing\.forDuration is 0\.5 ms: Prometheus counts `for` in whole milliseconds/));
  test('fails if enabled is not a boolean', () => fails({ rolloutStuck: { enabled: 'no' } }, /^rolloutStuck\.enabled is "no": use true or false$/));
  test('fails if an alert\'s options are not an object', () => fails({ rolloutStuck: 15 }, /^rolloutStuck is 15: give an object such as/));
  test('fails if every alert is disabled', () => fails(
    { endpointMissing: { enabled: false }, rolloutStuck: { enabled: false }, trafficDropped: { enabled: false } },
    /^endpointMissing, rolloutStuck and trafficDropped are all disabled: the PrometheusRule would hold no alert/));
  test('fails if a job label is empty', () => fails({ kubeStateMetricsJob: '' }, /^kubeStateMetricsJob is "": it must be a non-empty string, e\.g\. 'kube-state-metrics'$/));
  test('fails if an alert label is not a Prometheus label name', () => fails({ alertLabels: { 'team-name': 'x' } }, /^alertLabels \{"team-name":"x"\} has the label "team-name", which is not a Prometheus label name/));
  test('fails if an alert label is reserved by Prometheus', () => fails({ alertLabels: { __name__: 'x' } }, /has the label "__name__", which starts with __, which Prometheus reserves/));
  test('fails if an alert label replaces one the rules set', () => fails({ alertLabels: { severity: 'page' } }, /has the label "severity", which the rules set themselves; .* \(set the severity of each alert instead\)$/));
  test('fails if an alert label value is empty', () => fails({ alertLabels: { team: '' } }, /has the label "team" with the value "", which must be a non-empty string$/));
  test('fails if runbookBaseUrl is not a URL', () => fails({ runbookBaseUrl: 'wiki/node-local' }, /^runbookBaseUrl "wiki\/node-local" is not a URL: give an absolute http or https URL/));
  test('fails if runbookBaseUrl has a fragment', () => fails({ runbookBaseUrl: 'https://wiki.example.com/p#alerts' }, /has a #fragment: give the page, each alert links to its own anchor/));
  test('fails if runbookBaseUrl is not http', () => fails({ runbookBaseUrl: 'ftp://wiki.example.com/p' }, /is not an http or https URL$/));
  test('fails if metadata.name is not a valid name', () => fails({ metadata: { name: 'Node_Local' } }, /^metadata\.name "Node_Local" is not a valid PrometheusRule name/));
  test('fails if metadata.namespace is not a namespace name', () => fails({ metadata: { namespace: 'monitoring.svc' } }, /^metadata\.namespace "monitoring\.svc" is not a namespace name/));
  test('fails if a label of metadata is not a Kubernetes label', () => fails({ metadata: { labels: { release: 'kube prometheus' } } }, /^metadata\.labels has "release": "kube prometheus", which is not a Kubernetes label/));
});

describe('two NodeLocalAlerts in one app', () => {
  test('each watches its own agents', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'observability' });
    const a = agent(chart, 'otel-agent');
    const b = agent(chart, 'log-agent');
    new NodeLocalAlerts(chart, 'otel-alerts', { agents: [a] });
    new NodeLocalAlerts(chart, 'log-alerts', { agents: [b], trafficDropped: { enabled: false } });
    const rules = Testing.synth(chart).filter(m => m.kind === 'PrometheusRule');
    expect(rules.map(r => r.spec.groups.map((g: any) => g.name))).toEqual([
      ['node-local/observability/otel-agent', 'node-local/kube-proxy'],
      ['node-local/observability/log-agent'],
    ]);
  });
});
