import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { buildExample } from '../examples/otel-agent';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps, NodeLocalRollout, Severity } from '../src';
import * as lint from '../src/lint/lint';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';
const ADDR = 'cdk8s.io/metadata.addr';

/** Everything written to standard error while `fn` runs. */
function captureStderr<T>(fn: () => T): { result?: T; error?: Error; stderr: string[] } {
  const stderr: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    return { result: fn(), stderr };
  } catch (error) {
    return { error: error as Error, stderr };
  } finally {
    spy.mockRestore();
  }
}

function agentIn(chart: Chart, props: Partial<NodeLocalDaemonServiceProps> = {}): NodeLocalDaemonService {
  return new NodeLocalDaemonService(chart, 'agent', {
    metadata: { name: 'otel-agent', namespace: 'obs' },
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    ...props,
  });
}

/** A broken pairing made through the construct or its escape hatches, and what must be reported. */
interface Case {
  readonly ruleId: string;
  readonly props?: Partial<NodeLocalDaemonServiceProps>;
  readonly mutate?: (agent: NodeLocalDaemonService, chart: Chart) => void;
  readonly message: RegExp;
}

const ERRORS: Case[] = [
  {
    ruleId: 'NL001',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/spec/internalTrafficPolicy', 'Cluster')),
    message: /^NL001: Service obs\/otel-agent has internalTrafficPolicy "Cluster", not "Local": .*; fix: Set spec\.internalTrafficPolicy/,
  },
  {
    ruleId: 'NL002',
    // cdk8s-plus writes spec.clusterIP from the camelCase field clusterIp: patches use that name
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.add('/spec/clusterIp', 'None')),
    message: /^NL002: Service obs\/otel-agent has clusterIP "None": a headless Service has no cluster IP/,
  },
  {
    ruleId: 'NL003',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', 'Local')),
    message: /^NL003: Service obs\/otel-agent is a ClusterIP Service with externalTrafficPolicy "Local" /,
  },
  {
    ruleId: 'NL004',
    mutate: a => a.service.selectLabel('tier', 'agent'),
    message: /^NL004: Service obs\/otel-agent selector \{cdk8s\.io\/metadata\.addr=test-agent-DaemonSet-c86bd27a, tier=agent\} does not select the pods of DaemonSet obs\/otel-agent/,
  },
  {
    ruleId: 'NL005',
    mutate: (a, chart) => new ApiObject(chart, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'obs' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web', [ADDR]: a.daemonSet.podMetadata.getLabel(ADDR)! } },
          spec: { containers: [{ name: 'web', image: 'web:1' }] },
        },
      },
    }),
    message: /^NL005: Service obs\/otel-agent .*Deployment obs\/web/,
  },
  {
    ruleId: 'NL006',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', k8s.IntOrString.fromString('otlp'))),
    message: /^NL006: Service obs\/otel-agent port "otlp-grpc" \(4317\/TCP\) targets the port named "otlp", but no container of DaemonSet obs\/otel-agent declares a TCP port with that name/,
  },
  {
    ruleId: 'NL007',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.add('/spec/ports/-', { name: 'again', port: 4317, protocol: 'TCP' })),
    message: /^NL007: Service obs\/otel-agent spec\.ports\[1\] repeats 4317\/TCP of spec\.ports\[0\]: the API server rejects the Service; fix: /,
  },
  {
    ruleId: 'NL008',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 70000)),
    message: /^NL008: Service obs\/otel-agent spec\.ports\[0\] has port 70000, not an integer in 1-65535: the API server rejects the Service; fix: /,
  },
  {
    ruleId: 'NL009',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/metadata/name', 'Otel_Agent')),
    message: /^NL009: Service obs\/Otel_Agent has the name "Otel_Agent", which is not a DNS-1035 label/,
  },
  {
    ruleId: 'NL010',
    mutate: a => ApiObject.of(a.daemonSet).addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true)),
    message: /^NL010: DaemonSet obs\/otel-agent rolls out with maxSurge 1 while its pods hold ports on the node \(hostNetwork: true\)/,
  },
  {
    ruleId: 'NL011',
    mutate: a => ApiObject.of(a.daemonSet).addJsonPatch(JsonPatch.replace('/spec/updateStrategy/rollingUpdate/maxUnavailable', k8s.IntOrString.fromNumber(1))),
    message: /^NL011: DaemonSet obs\/otel-agent has maxSurge 1 and maxUnavailable 1: a DaemonSet may only surge or only take pods down, not both/,
  },
  {
    ruleId: 'NL012',
    mutate: a => ApiObject.of(a.daemonSet).addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { app: 'other' })),
    message: /^NL012: DaemonSet obs\/otel-agent spec\.selector does not match its own pod template labels/,
  },
  {
    ruleId: 'NL015',
    mutate: a => ApiObject.of(a.daemonSet).addJsonPatch(JsonPatch.replace('/spec/updateStrategy', { type: 'Recreate' })),
    message: /^NL015: DaemonSet obs\/otel-agent has updateStrategy type "Recreate"/,
  },
];

const WARNINGS: Case[] = [
  {
    ruleId: 'NL101',
    props: { ports: [{ port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP }] },
    message: /^NL101: DaemonSet obs\/otel-agent container "main" serves Service obs\/otel-agent port "statsd" \(8125\/UDP\) but has no readinessProbe/,
  },
  {
    ruleId: 'NL102',
    props: { rollout: NodeLocalRollout.replace() },
    message: /^NL102: DaemonSet obs\/otel-agent has maxUnavailable 1: the old pod on each node stops before the new one is ready/,
  },
  {
    ruleId: 'NL102',
    props: { rollout: NodeLocalRollout.onDelete() },
    message: /^NL102: DaemonSet obs\/otel-agent has updateStrategy type "OnDelete"/,
  },
  {
    ruleId: 'NL103',
    props: { tolerateAllTaints: false },
    message: /^NL103: DaemonSet obs\/otel-agent /,
  },
  {
    ruleId: 'NL104',
    props: { serviceMetadata: { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } } },
    message: /^NL104: Service obs\/otel-agent has the annotation service\.kubernetes\.io\/topology-mode: "Auto"/,
  },
  {
    ruleId: 'NL106',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', k8s.IntOrString.fromNumber(9999))),
    message: /^NL106: Service obs\/otel-agent port "otlp-grpc" \(4317\/TCP\) forwards to 9999\/TCP, which no container of DaemonSet obs\/otel-agent declares/,
  },
  {
    ruleId: 'NL108',
    mutate: a => ApiObject.of(a.service).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true)),
    message: /^NL108: Service obs\/otel-agent has publishNotReadyAddresses: true/,
  },
];

function build(c: Case, validation?: NodeLocalDaemonServiceProps['validation']) {
  const chart = Testing.chart();
  const agent = agentIn(chart, { ...c.props, validation });
  c.mutate?.(agent, chart);
  return { chart, agent };
}

/** The messages of cdk8s' validation error, without its `[construct path]` prefix. */
function validationErrors(error: Error | undefined): string[] {
  expect(error?.message).toMatch(/^Validation failed with the following errors:\n/);
  return error!.message.split('\n').slice(1).map(line => {
    expect(line).toMatch(/^ {2}\[test\/agent\] /);
    return line.replace(/^ {2}\[test\/agent\] /, '');
  });
}

describe('a correct pairing draws no finding', () => {
  test('default props', () => {
    const chart = Testing.chart();
    agentIn(chart);
    const { error, stderr } = captureStderr(() => Testing.synth(chart));
    expect(error).toBeUndefined();
    expect(stderr).toEqual([]);
    expect(lintManifests(Testing.synth(chart))).toEqual([]);
  });

  test('the README example', () => {
    const app = Testing.app();
    buildExample(app);
    const { error, stderr } = captureStderr(() => app.synthYaml());
    expect(error).toBeUndefined();
    expect(stderr).toEqual([]);
    expect(lintManifests(app.charts.flatMap(c => Testing.synth(c)))).toEqual([]);
  });

  test('a DNS-style agent on 53/UDP and 53/TCP', () => {
    const chart = Testing.chart();
    agentIn(chart, { ports: [{ port: 53, name: 'dns', protocol: kplus.Protocol.UDP }, { port: 53, name: 'dns-tcp' }] });
    const { error, stderr } = captureStderr(() => Testing.synth(chart));
    expect(error).toBeUndefined();
    expect(stderr).toEqual([]);
  });
});

describe('errors fail synthesis', () => {
  test.each(ERRORS.map(c => [c.ruleId, c] as const))('%s', (ruleId, c) => {
    const { chart } = build(c);
    const { error } = captureStderr(() => Testing.synth(chart));
    const errors = validationErrors(error);
    expect(errors).toContainEqual(expect.stringMatching(c.message));
    expect(errors.find(e => e.startsWith(`${ruleId}: `))).toMatch(/; fix: \S/);
  });

  test('the same objects, as plain manifests, draw the same findings', () => {
    for (const c of ERRORS) {
      const { chart } = build(c, { acknowledge: [] });
      const { error } = captureStderr(() => Testing.synth(chart));
      const fromConstruct = validationErrors(error).filter(e => /^NL0/.test(e));
      // the construct's pass sees the whole app: reproduce it with lintManifests on the chart's objects
      const manifests = chart.node.findAll().filter(ApiObject.isApiObject).map(o => o.toJson());
      const errorsFromEngine = lintManifests(manifests, {
        pairs: [{ service: { kind: 'Service', name: manifests.find(m => m.kind === 'Service').metadata.name, namespace: 'obs' }, daemonSet: { kind: 'DaemonSet', name: 'otel-agent', namespace: 'obs' } }],
      }).filter(f => f.severity === Severity.ERROR).map(f => `${f.ruleId}: ${f.message}; fix: ${f.fix}`);
      expect(fromConstruct).toEqual(errorsFromEngine);
    }
  });
});

describe('warnings are printed and do not fail synthesis', () => {
  test.each(WARNINGS.map(c => [c.ruleId, c] as const))('%s', (ruleId, c) => {
    const { chart } = build(c);
    const { error, stderr } = captureStderr(() => Testing.synth(chart));
    expect(error).toBeUndefined();
    const printed = stderr.filter(line => line.startsWith(`[test/agent] warning ${ruleId}: `));
    expect(printed).toHaveLength(1);
    expect(printed[0].replace('[test/agent] warning ', '')).toMatch(c.message);
    expect(printed[0]).toMatch(/; fix: \S.*\n$/);
  });

  test('once per synthesis', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    agentIn(chart, { rollout: NodeLocalRollout.replace() });
    new Chart(app, 'other');
    const { stderr } = captureStderr(() => app.synthYaml());
    expect(stderr).toHaveLength(1);
    expect(captureStderr(() => app.synthYaml()).stderr).toHaveLength(1);
  });

  test.each(WARNINGS.map(c => [c.ruleId, c] as const))('strict: %s fails synthesis', (ruleId, c) => {
    const { chart } = build(c, { strict: true });
    const { error, stderr } = captureStderr(() => Testing.synth(chart));
    expect(validationErrors(error)).toContainEqual(expect.stringMatching(c.message));
    expect(stderr.filter(line => line.includes(` ${ruleId}: `))).toEqual([]);
  });
});

describe('acknowledge', () => {
  test('silences a warning for this construct and keeps the reason in the manifests', () => {
    const chart = Testing.chart();
    agentIn(chart, {
      rollout: NodeLocalRollout.replace(),
      validation: { strict: true, acknowledge: [{ ruleId: 'NL102', reason: 'the agent holds a node lock; a gap is fine' }] },
    });
    const { result, error, stderr } = captureStderr(() => Testing.synth(chart));
    expect(error).toBeUndefined();
    expect(stderr).toEqual([]);
    for (const manifest of result!.filter(m => m.kind !== 'ResourceQuota')) {
      expect(manifest.metadata.annotations).toEqual({ 'cdk8s-node-local/acknowledge-NL102': 'the agent holds a node lock; a gap is fine' });
    }
    // the command and the plugin read the same annotation
    expect(lintManifests(result!)).toEqual([]);
  });

  test('silences an error', () => {
    const chart = Testing.chart();
    const agent = agentIn(chart, { validation: { acknowledge: [{ ruleId: 'NL006', reason: 'the port name is added by a mutating webhook' }] } });
    ApiObject.of(agent.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', k8s.IntOrString.fromString('otlp')));
    expect(captureStderr(() => Testing.synth(chart)).error).toBeUndefined();
  });

  test('does not silence the same rule for another agent', () => {
    const chart = Testing.chart();
    agentIn(chart, { rollout: NodeLocalRollout.replace(), validation: { acknowledge: [{ ruleId: 'NL102', reason: 'accepted' }] } });
    new NodeLocalDaemonService(chart, 'other', { containers: [{ image: IMAGE }], ports: [{ port: 1 }], rollout: NodeLocalRollout.replace() });
    const { stderr } = captureStderr(() => Testing.synth(chart));
    expect(stderr).toEqual([expect.stringMatching(/^\[test\/other\] warning NL102: /)]);
  });

  test('fails if the rule id is unknown', () => {
    expect(() => agentIn(Testing.chart(), { validation: { acknowledge: [{ ruleId: 'NL999', reason: 'x' }] } }))
      .toThrow(/^validation\.acknowledge\[0\]\.ruleId "NL999" is not a rule: use one of NL000, NL001, .* \(see docs\/rules\.md\)$/);
  });

  test('fails if the reason is empty', () => {
    expect(() => agentIn(Testing.chart(), { validation: { acknowledge: [{ ruleId: 'NL102', reason: ' ' }] } }))
      .toThrow("validation.acknowledge[0].reason \" \" for NL102 is not a reason: say why the rule does not apply to this agent, e.g. reason: 'the agent binds host port 53, so it cannot surge'");
  });
});

describe('the whole app is validated as it will be written', () => {
  test('a workload in another chart that steals the selector is found', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'test');
    const agent = agentIn(chart, { metadata: { name: 'otel-agent' } });
    const other = new Chart(app, 'apps');
    const web = new kplus.Deployment(other, 'web', { containers: [{ image: 'web:1' }] });
    web.podMetadata.addLabel(ADDR, agent.daemonSet.podMetadata.getLabel(ADDR)!);
    const { error } = captureStderr(() => app.synthYaml());
    expect(error?.message).toMatch(/\[test\/agent\] NL005: /);
  });

  test('changes made after construction are seen', () => {
    const chart = Testing.chart();
    const agent = agentIn(chart);
    expect(captureStderr(() => Testing.synth(chart)).error).toBeUndefined();
    ApiObject.of(agent.service).addJsonPatch(JsonPatch.replace('/spec/internalTrafficPolicy', 'Cluster'));
    expect(captureStderr(() => Testing.synth(chart)).error?.message).toMatch(/\[test\/agent\] NL001: /);
  });
});

describe('clients', () => {
  function agentAndClient(agentProps: Partial<NodeLocalDaemonServiceProps>, validation?: NodeLocalDaemonServiceProps['validation']) {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const agent = agentIn(chart, { ...agentProps, validation });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const client = new kplus.Deployment(shop, 'checkout', { metadata: { name: 'checkout' }, containers: [{ image: 'checkout:1' }] });
    agent.connect(client, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    return { app, agent, client };
  }

  test('a client that tolerates a taint the agent does not fails synthesis, on the agent', () => {
    const { app, client } = agentAndClient({ tolerateAllTaints: false });
    client.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('nvidia.com/gpu', 'true', { effect: kplus.TaintEffect.NO_SCHEDULE })));
    const { error } = captureStderr(() => app.synthYaml());
    expect(error?.message).toMatch(/\n {2}\[test\/agent\] NL013: Deployment shop\/checkout .*nvidia\.com\/gpu/);
  });

  test('a client on a node pool the agent excludes fails synthesis', () => {
    const { app, agent, client } = agentAndClient({});
    agent.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'agents')));
    client.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'batch')));
    const { error } = captureStderr(() => app.synthYaml());
    expect(error?.message).toMatch(/\[test\/agent\] NL013: Deployment shop\/checkout .*pool/);
  });

  test('a client whose node selector implies the agent\'s is covered', () => {
    const { app, agent, client } = agentAndClient({}, { acknowledge: [{ ruleId: 'NL103', reason: 'agents run on the agents pool only' }] });
    agent.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'agents')));
    client.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'agents')));
    const { error, stderr } = captureStderr(() => app.synthYaml());
    expect(error).toBeUndefined();
    expect(stderr).toEqual([]);
  });

  test('acknowledging the rule on the agent silences it for its clients, in the construct and in the YAML', () => {
    const { app, client } = agentAndClient({ tolerateAllTaints: false }, {
      acknowledge: [
        { ruleId: 'NL013', reason: 'gpu nodes run their own agent' },
        { ruleId: 'NL103', reason: 'gpu nodes run their own agent' },
      ],
    });
    client.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('nvidia.com/gpu')));
    const { error, stderr } = captureStderr(() => app.synthYaml());
    expect(error).toBeUndefined();
    expect(stderr).toEqual([]);
    expect(lintManifests(app.charts.flatMap(c => Testing.synth(c)))).toEqual([]);
  });
});

describe('one engine run per synthesis', () => {
  // cdk8s validates every construct once per App.synth() and again per Chart.toJson(): the
  // agents share one run, whichever chart is synthesized, so synthesis stays linear in the agents
  function appWithAgents(count: number) {
    const app = Testing.app();
    const agents = new Chart(app, 'agents');
    for (let i = 0; i < count; i++) {
      new NodeLocalDaemonService(agents, `agent-${i}`, { containers: [{ image: IMAGE }], ports: [{ port: 4317 }] });
    }
    const outer = new Chart(app, 'outer');
    const nested = new Chart(outer, 'nested');
    new NodeLocalDaemonService(nested, 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 4317 }] });
    const empty = new Chart(app, 'empty');
    return { app, agents, outer, nested, empty };
  }

  test.each([
    ['App.synthYaml()', (s: ReturnType<typeof appWithAgents>) => s.app.synthYaml()],
    ['App.synth()', (s: ReturnType<typeof appWithAgents>) => s.app.synth()],
    ['Testing.synth of the agents\' chart', (s: ReturnType<typeof appWithAgents>) => Testing.synth(s.agents)],
    ['Testing.synth of a chart with no agent', (s: ReturnType<typeof appWithAgents>) => Testing.synth(s.empty)],
    ['Testing.synth of a chart whose agent is in a nested chart', (s: ReturnType<typeof appWithAgents>) => Testing.synth(s.outer)],
  ])('%s', (_, synthesize) => {
    const setup = appWithAgents(5);
    const engine = jest.spyOn(lint, 'lintIndexedPairs');
    try {
      synthesize(setup);
      expect(engine).toHaveBeenCalledTimes(1);
      synthesize(setup);
      expect(engine).toHaveBeenCalledTimes(2);
    } finally {
      engine.mockRestore();
    }
  });

  test('fails if two charts of one app hold agents of the same name and namespace, each naming the other (NL018)', () => {
    const app = Testing.app();
    const a = new Chart(app, 'cluster-a');
    const b = new Chart(app, 'cluster-b');
    agentIn(a);
    agentIn(b, { tolerateAllTaints: false, ports: [{ port: 4318, name: 'otlp-http' }] });
    const { error } = captureStderr(() => app.synthYaml());
    const lines = String(error?.message).split('\n').filter(l => l.includes('NL018'));
    expect(lines).toEqual([
      expect.stringMatching(/^ *\[cluster-a\/agent\] NL018: DaemonSet obs\/otel-agent is defined 2 times in the manifests .* \(see also \[cluster-b\/agent\/DaemonSet\]\); fix: Rename or remove all copies/),
      expect.stringMatching(/^ *\[cluster-a\/agent\] NL018: Service obs\/otel-agent is defined 2 times .*the copies differ.* \(see also \[cluster-b\/agent\/Service\]\); fix: Rename or remove all copies/),
      expect.stringMatching(/^ *\[cluster-b\/agent\] NL018: DaemonSet obs\/otel-agent .* \(see also \[cluster-a\/agent\/DaemonSet\]\); fix: Rename or remove all copies/),
      expect.stringMatching(/^ *\[cluster-b\/agent\] NL018: Service obs\/otel-agent .* \(see also \[cluster-a\/agent\/Service\]\); fix: Rename or remove all copies/),
    ]);
  });

  test('two charts with agents of different names, or in different namespaces, keep their own findings', () => {
    const app = Testing.app();
    agentIn(new Chart(app, 'cluster-a'));
    agentIn(new Chart(app, 'cluster-b'), { tolerateAllTaints: false, metadata: { name: 'otel-agent', namespace: 'obs-b' } });
    const { error, stderr } = captureStderr(() => app.synthYaml());
    expect(error).toBeUndefined();
    expect(stderr).toEqual([expect.stringMatching(/^\[cluster-b\/agent\] warning NL103: /)]);
  });
});
