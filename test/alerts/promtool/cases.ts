// promtool unit tests of the alerts, with series as kube-state-metrics and kube-proxy expose them.
// Each suite is one promtool test file; time runs in minutes from 0.
import { alertOf, ExpectedAlert, ruleOf } from './expect';
import { exampleRuleGroups, variantRuleGroups } from './rules';
import { agentPod, constant, daemonSetStatus, KSM_REPLICA, kubeProxyGauge, node, otherPod, Series } from './series';
import { RuleGroup } from '../../../src/alerts/rule';
import { KUBE_PROXY_GROUP } from '../../../src/alerts/rule-groups';
import { ENDPOINT_MISSING, ROLLOUT_STUCK, TRAFFIC_DROPPED } from '../../../src/alerts/settings';

/** One check: the alerts of one name, firing at one time. */
export interface AlertCheck {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: ExpectedAlert[];
}

/** A promtool test group: input series and the checks over them. */
export interface TestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: Series[];
  readonly alert_rule_test: AlertCheck[];
}

/** One promtool test file, over one rule file. */
export interface Suite {
  readonly file: string;
  readonly ruleFile: string;
  readonly groups: RuleGroup[];
  readonly tests: TestGroup[];
}

const MINUTES = 40;
const AGENT = { namespace: 'observability', daemonSet: 'otel-agent' };

function group(name: string, input_series: Series[], alert_rule_test: AlertCheck[]): TestGroup {
  return { name, interval: '1m', input_series, alert_rule_test };
}

function at(minute: number, alertname: string, exp_alerts: ExpectedAlert[]): AlertCheck {
  return { eval_time: `${minute}m`, alertname, exp_alerts };
}

/** Nodes node-a, node-b and node-c, ready for the whole test. */
function threeNodes(replica?: Record<string, string>): Series[] {
  return ['node-a', 'node-b', 'node-c'].flatMap(n => node(n, { minutes: MINUTES, replica }));
}

/** A ready agent pod on a node for the whole test. */
function readyPod(nodeName: string, replica?: Record<string, string>, agent = AGENT): Series[] {
  const all = constant(1, MINUTES);
  return agentPod({ ...agent, pod: `${agent.daemonSet}-${nodeName.slice(-1)}x7k2`, node: nodeName, exists: all, ready: all, replica });
}

function steadyStatus(desired: number, available: number, agent = AGENT): Series[] {
  const c = (n: number) => constant(n, MINUTES);
  return daemonSetStatus(agent.namespace, agent.daemonSet, {
    desired: c(desired),
    current: c(available),
    updated: c(desired),
    available: c(available),
    ready: c(available),
    unavailable: c(desired - available),
    misscheduled: c(0),
  });
}

function exampleSuite(): Suite {
  const groups = exampleRuleGroups();
  const missing = ruleOf(groups, ENDPOINT_MISSING);
  const stuck = ruleOf(groups, ROLLOUT_STUCK);
  const missingOn = (n: string) => alertOf(missing, { node: n }, 1);
  const tests: TestGroup[] = [
    group('three nodes, the agent ready on two and missing on node-c: fires for node-c only, after 5m', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'), ...steadyStatus(3, 2),
    ], [
      at(4, ENDPOINT_MISSING, []),
      at(6, ENDPOINT_MISSING, [missingOn('node-c')]),
      at(30, ENDPOINT_MISSING, [missingOn('node-c')]),
      // a pod missing for a quarter hour is a DaemonSet that does not progress either
      at(14, ROLLOUT_STUCK, []),
      at(16, ROLLOUT_STUCK, [alertOf(stuck, { namespace: 'observability', daemonset: 'otel-agent' }, 1)]),
    ]),
    group('the pod on node-c stays unready (crash-looping, failing its probe): fires for node-c', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'),
      ...agentPod({ ...AGENT, pod: 'otel-agent-cq9z4', node: 'node-c', exists: constant(1, MINUTES), ready: constant(0, MINUTES) }),
    ], [
      at(4, ENDPOINT_MISSING, []),
      at(6, ENDPOINT_MISSING, [missingOn('node-c')]),
    ]),
    group('the pod on node-c is unready for 3m, then ready: no alert', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'),
      ...agentPod({ ...AGENT, pod: 'otel-agent-cq9z4', node: 'node-c', exists: constant(1, MINUTES), ready: `0x3 ${constant(1, MINUTES - 4)}` }),
    ], [
      at(3, ENDPOINT_MISSING, []),
      at(6, ENDPOINT_MISSING, []),
      at(20, ENDPOINT_MISSING, []),
    ]),
    group('the pod for node-c is Pending without a node (the node is full): fires for node-c', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'),
      ...agentPod({ ...AGENT, pod: 'otel-agent-p4ndg', exists: constant(1, MINUTES), ready: constant(0, MINUTES) }),
    ], [
      at(6, ENDPOINT_MISSING, [missingOn('node-c')]),
    ]),
    group('a healthy surge rollout: every node keeps a ready pod while its new one starts, no alert', [
      ...threeNodes(),
      // node-a: new pod at 5m, ready at 7m; the old one is not ready from 8m (terminating), gone at 9m
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-a', node: 'node-a', exists: '1x8 stale', ready: '1x7 0' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-a', node: 'node-a', exists: `_x5 ${constant(1, MINUTES - 5)}`, ready: `_x5 0 0 ${constant(1, MINUTES - 7)}` }),
      // node-b: the same four minutes later, node-c eight minutes later
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-b', node: 'node-b', exists: '1x12 stale', ready: '1x11 0' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-b', node: 'node-b', exists: `_x9 ${constant(1, MINUTES - 9)}`, ready: `_x9 0 0 ${constant(1, MINUTES - 11)}` }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-c', node: 'node-c', exists: '1x16 stale', ready: '1x15 0' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-c', node: 'node-c', exists: `_x13 ${constant(1, MINUTES - 13)}`, ready: `_x13 0 0 ${constant(1, MINUTES - 15)}` }),
      ...daemonSetStatus('observability', 'otel-agent', {
        desired: constant(3, MINUTES),
        current: constant(3, MINUTES),
        misscheduled: constant(0, MINUTES),
        updated: `0x4 1x3 2x3 3x${MINUTES - 13}`,
        available: constant(3, MINUTES),
        ready: constant(3, MINUTES),
        unavailable: constant(0, MINUTES),
      }),
      ...['node-a', 'node-b', 'node-c'].flatMap(n => kubeProxyGauge({ node: n, pod: `kube-proxy-${n.slice(-1)}8s2f`, internal: constant(0, MINUTES) })),
    ], [6, 8, 10, 12, 14, 16, 20, 25, 30, 35].flatMap(minute => [
      at(minute, ENDPOINT_MISSING, []),
      at(minute, ROLLOUT_STUCK, []),
      at(minute, TRAFFIC_DROPPED, []),
    ])),
    group('a rollout that replaces pods (maxUnavailable 1): each node lacks a ready pod for 2m, shorter than the 5m: no alert', [
      ...threeNodes(),
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-a', node: 'node-a', exists: '1x4 stale', ready: '1x3 0' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-a', node: 'node-a', exists: `_x5 ${constant(1, MINUTES - 5)}`, ready: `_x5 0 ${constant(1, MINUTES - 6)}` }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-b', node: 'node-b', exists: '1x7 stale', ready: '1x6 0' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-b', node: 'node-b', exists: `_x8 ${constant(1, MINUTES - 8)}`, ready: `_x8 0 ${constant(1, MINUTES - 9)}` }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-c', node: 'node-c', exists: '1x10 stale', ready: '1x9 0' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-c', node: 'node-c', exists: `_x11 ${constant(1, MINUTES - 11)}`, ready: `_x11 0 ${constant(1, MINUTES - 12)}` }),
    ], [5, 8, 10, 12, 15, 20].map(minute => at(minute, ENDPOINT_MISSING, []))),
    group('node-c is not ready (its kubelet stopped): its pods are not ready, but the node is the root cause: no alert', [
      node('node-a', { minutes: MINUTES }), node('node-b', { minutes: MINUTES }),
      node('node-c', { minutes: MINUTES, ready: `1x2 ${constant(0, MINUTES - 3)}` }),
      ...readyPod('node-a'), ...readyPod('node-b'),
      ...agentPod({ ...AGENT, pod: 'otel-agent-cq9z4', node: 'node-c', exists: constant(1, MINUTES), ready: `1x2 ${constant(0, MINUTES - 3)}` }),
    ].flat(), [
      at(10, ENDPOINT_MISSING, []),
    ]),
    group('EKS Fargate and virtual-kubelet nodes never run DaemonSet pods, even one that tolerates every taint: no alert for them', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'), ...readyPod('node-c'),
      ...node('fargate-ip-10-0-4-21.ec2.internal', { minutes: MINUTES, taints: [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }] }),
      ...node('virtual-node-aci-linux', { minutes: MINUTES, taints: [{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }] }),
    ], [
      at(10, ENDPOINT_MISSING, []),
    ]),
    group('two kube-state-metrics replicas export every series twice: one alert for node-c', [
      ...threeNodes(), ...threeNodes(KSM_REPLICA),
      ...readyPod('node-a'), ...readyPod('node-b'), ...readyPod('node-a', KSM_REPLICA), ...readyPod('node-b', KSM_REPLICA),
    ], [
      at(6, ENDPOINT_MISSING, [missingOn('node-c')]),
    ]),
    group('a rollout stuck on a new pod that never becomes ready: NodeLocalRolloutStuck once no progress lasted 5m + 15m', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'),
      ...agentPod({ ...AGENT, pod: 'otel-agent-old-c', node: 'node-c', exists: '1x1 stale', ready: '1x1' }),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-c', node: 'node-c', exists: `_x2 ${constant(1, MINUTES - 2)}`, ready: `_x2 ${constant(0, MINUTES - 2)}` }),
      ...daemonSetStatus('observability', 'otel-agent', {
        desired: constant(3, MINUTES),
        current: constant(3, MINUTES),
        misscheduled: constant(0, MINUTES),
        updated: `0x1 ${constant(1, MINUTES - 2)}`,
        available: `3x1 ${constant(2, MINUTES - 2)}`,
        ready: `3x1 ${constant(2, MINUTES - 2)}`,
        unavailable: `0x1 ${constant(1, MINUTES - 2)}`,
      }),
    ], [
      at(6, ENDPOINT_MISSING, []),
      at(8, ENDPOINT_MISSING, [missingOn('node-c')]),
      at(21, ROLLOUT_STUCK, []),
      at(23, ROLLOUT_STUCK, [alertOf(stuck, { namespace: 'observability', daemonset: 'otel-agent' }, 1)]),
    ]),
    group('a surge rollout stuck on node-b: the old pods still serve, no endpoint is missing, but the rollout is', [
      ...threeNodes(), ...readyPod('node-a'), ...readyPod('node-b'), ...readyPod('node-c'),
      ...agentPod({ ...AGENT, pod: 'otel-agent-new-b', node: 'node-b', exists: `_x2 ${constant(1, MINUTES - 2)}`, ready: `_x2 ${constant(0, MINUTES - 2)}` }),
      ...daemonSetStatus('observability', 'otel-agent', {
        desired: constant(3, MINUTES),
        current: constant(3, MINUTES),
        misscheduled: constant(0, MINUTES),
        updated: `0x1 ${constant(1, MINUTES - 2)}`,
        available: constant(3, MINUTES),
        ready: constant(3, MINUTES),
        unavailable: constant(0, MINUTES),
      }),
    ], [
      at(30, ENDPOINT_MISSING, []),
      at(21, ROLLOUT_STUCK, []),
      at(23, ROLLOUT_STUCK, [alertOf(stuck, { namespace: 'observability', daemonset: 'otel-agent' }, 0)]),
    ]),
  ];

  const dropped = ruleOf(groups, TRAFFIC_DROPPED);
  const proxies = (internal: Record<string, string>) => ['node-a', 'node-b', 'node-c'].flatMap(n => [
    otherPod('kube-system', `kube-proxy-${n.slice(-1)}8s2f`, n, 'DaemonSet', MINUTES),
    ...kubeProxyGauge({ node: n, pod: `kube-proxy-${n.slice(-1)}8s2f`, internal: internal[n] ?? constant(0, MINUTES) }),
  ]);
  const droppedOn = (n: string, value: number, extra: Record<string, string>) => alertOf(dropped, { node: n, ...extra }, value);
  const proxyOf = (n: string) => ({ namespace: 'kube-system', pod: `kube-proxy-${n.slice(-1)}8s2f`, instance: n });
  tests.push(
    group('kube-proxy on node-c counts 2 node-local Service ports without a local endpoint: fires for node-c', [
      ...proxies({ 'node-c': `0x2 ${constant(2, MINUTES - 3)}` }),
    ], [
      at(7, TRAFFIC_DROPPED, []),
      at(9, TRAFFIC_DROPPED, [droppedOn('node-c', 2, proxyOf('node-c'))]),
    ]),
    group('a dual-stack kube-proxy reports per IP family: one alert', [
      otherPod('kube-system', 'kube-proxy-c8s2f', 'node-c', 'DaemonSet', MINUTES),
      ...kubeProxyGauge({ node: 'node-c', pod: 'kube-proxy-c8s2f', internal: constant(1, MINUTES), ipFamily: 'IPv4' }),
      ...kubeProxyGauge({ node: 'node-c', pod: 'kube-proxy-c8s2f', internal: constant(1, MINUTES), ipFamily: 'IPv6' }),
    ], [
      at(6, TRAFFIC_DROPPED, [droppedOn('node-c', 1, proxyOf('node-c'))]),
    ]),
    group('kube-proxy scraped without pod labels (a static scrape config): the node is its instance', [
      ...kubeProxyGauge({ node: 'node-c', internal: constant(3, MINUTES), static: true }),
    ], [
      at(6, TRAFFIC_DROPPED, [droppedOn('node-c', 3, { instance: 'node-c' })]),
    ]),
    group('kube-proxy counts a port for 2m (a rollout step): no alert', [
      ...proxies({ 'node-b': `0x3 1 1 ${constant(0, MINUTES - 6)}` }),
    ], [4, 6, 8, 10].map(minute => at(minute, TRAFFIC_DROPPED, []))),
  );
  return { file: 'example.test.yaml', ruleFile: 'example.rules.yaml', groups, tests };
}

/** One suite per variant agent, each over the rule file of its own group (and kube-proxy's). */
function variantSuites(): Suite[] {
  const groups = variantRuleGroups();
  const all = constant(1, MINUTES);
  const log = { namespace: 'logging', daemonSet: 'log-agent' };
  const cache = { namespace: 'kube-system', daemonSet: 'node-cache' };
  const trace = { namespace: 'tracing', daemonSet: 'trace-agent' };
  const stats = { namespace: 'metrics', daemonSet: 'stats-agent' };
  const linux = { namespace: 'monitoring', daemonSet: 'node-agent-linux' };
  const windows = { namespace: 'monitoring', daemonSet: 'node-agent-windows' };
  const missing = (daemonSet: string, n: string) => alertOf(ruleOf(groups, ENDPOINT_MISSING, daemonSet), { node: n }, 1);
  const variant = (service: string, test: TestGroup): Suite => {
    const own = groups.filter(g => g.name === `node-local/${service}` || g.name === KUBE_PROXY_GROUP);
    if (own.length !== 2) {
      throw new Error(`no rule group for ${service}`);
    }
    const file = service.replace('/', '-');
    return { file: `${file}.test.yaml`, ruleFile: `${file}.rules.yaml`, groups: own, tests: [test] };
  };
  return [
    variant('logging/log-agent', group('tolerations: a node with a taint the agent does not tolerate is not its node; a cordoned node, or one with a tolerated taint, is', [
      node('node-a', { minutes: MINUTES }),
      node('gpu-1', { minutes: MINUTES, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }),
      node('system-1', { minutes: MINUTES, taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
      node('node-d', { minutes: MINUTES, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      node('spot-1', { minutes: MINUTES, taints: [{ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'PreferNoSchedule' }] }),
      ...readyPod('node-a', undefined, log),
    ].flat(), [
      at(6, ENDPOINT_MISSING, [missing('log-agent', 'node-d'), missing('log-agent', 'spot-1'), missing('log-agent', 'system-1')]),
    ])),
    variant('kube-system/node-cache', group('nodeSelector: only the nodes the agent has a pod on are its nodes; an unready pod there fires', [
      node('linux-a', { minutes: MINUTES }), node('linux-b', { minutes: MINUTES }), node('windows-c', { minutes: MINUTES }),
      ...readyPod('linux-a', undefined, cache),
      ...agentPod({ ...cache, pod: 'node-cache-b2x9q', node: 'linux-b', exists: all, ready: constant(0, MINUTES) }),
    ].flat(), [
      at(4, ENDPOINT_MISSING, []),
      at(6, ENDPOINT_MISSING, [missing('node-cache', 'linux-b')]),
    ])),
    variant('tracing/trace-agent', group('PreferSameNode: traffic falls back to another node, the alert says so at the fallback severity', [
      ...threeNodes(), ...readyPod('node-a', undefined, trace), ...readyPod('node-b', undefined, trace),
    ], [
      at(6, ENDPOINT_MISSING, [missing('trace-agent', 'node-c')]),
    ])),
    variant('metrics/stats-agent', group('OnDelete: pods of the old template are normal, only unavailable ones count', [
      ...threeNodes(), ...readyPod('node-a', undefined, stats), ...readyPod('node-b', undefined, stats), ...readyPod('node-c', undefined, stats),
      ...daemonSetStatus('metrics', 'stats-agent', {
        desired: constant(3, MINUTES),
        current: constant(3, MINUTES),
        misscheduled: constant(0, MINUTES),
        updated: `0x4 ${constant(1, MINUTES - 5)}`,
        available: constant(3, MINUTES),
        ready: constant(3, MINUTES),
        unavailable: constant(0, MINUTES),
      }),
    ], [
      at(35, ROLLOUT_STUCK, []),
    ])),
    variant('monitoring/node-agent', group('a Service over a Linux and a Windows DaemonSet: a node has an endpoint when either has a ready pod there', [
      node('linux-a', { minutes: MINUTES }), node('linux-b', { minutes: MINUTES }), node('windows-c', { minutes: MINUTES }),
      ...readyPod('linux-a', undefined, linux),
      ...agentPod({ ...linux, pod: 'node-agent-linux-b2x9q', node: 'linux-b', exists: all, ready: constant(0, MINUTES) }),
      ...readyPod('windows-c', undefined, windows),
    ].flat(), [
      at(6, ENDPOINT_MISSING, [missing('node-agent-linux', 'linux-b')]),
    ])),
  ];
}

/** Every suite. */
export function suites(): Suite[] {
  return [exampleSuite(), ...variantSuites()];
}
