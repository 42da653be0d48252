import { ClientLink, LintContext } from '../../src/lint/context';
import { parseServiceDnsName } from '../../src/lint/kube';
import { lintManifests } from '../../src/lint/lint';
import { client } from '../rules/client-fixtures';
import { DECLARED, DS_NAME, NAMESPACE, pair, SVC_NAME } from '../rules/fixtures';

/** The names of the clients of the fixture pair among the manifests, in both modes (which must agree). */
function clientNames(manifests: any[]): string[] {
  const names = (links: ClientLink[]): string[] => links.map((l) => l.workload.object.display);
  const auto = names(new LintContext(manifests).clients());
  expect(names(new LintContext(manifests, DECLARED).clients())).toEqual(auto);
  return auto;
}

/** A Deployment of the fixture namespace (or another) whose container has this environment. */
function withEnv(env: unknown[], namespace: string | null = NAMESPACE, name = 'app'): any {
  const workload = client({}, '', name);
  workload.spec.template.spec.containers[0].env = env;
  if (namespace === null) {
    delete workload.metadata.namespace;
  } else {
    workload.metadata.namespace = namespace;
  }
  return workload;
}

const SVC = SVC_NAME;

describe('host names in environment values', () => {
  test.each([
    ['otel-agent', { name: 'otel-agent' }],
    ['otel-agent.obs', { name: 'otel-agent', namespace: 'obs' }],
    ['otel-agent.obs.svc', { name: 'otel-agent', namespace: 'obs' }],
    ['otel-agent.obs.svc.cluster.local', { name: 'otel-agent', namespace: 'obs' }],
    ['otel-agent.obs.svc.corp.example', { name: 'otel-agent', namespace: 'obs' }],
    ['otel-agent.obs.example.com', undefined],
    ['otel-agent..svc', undefined],
    ['.otel-agent', undefined],
  ])('parseServiceDnsName(%s)', (host, expected) => {
    expect(parseServiceDnsName(host)).toEqual(expected);
  });
});

describe('clients of a node-local pair', () => {
  test.each([
    ['the short name, from the same namespace', `${SVC}:53`],
    ['name.namespace', `${SVC}.${NAMESPACE}:53`],
    ['name.namespace.svc', `${SVC}.${NAMESPACE}.svc:53`],
    ['the fully qualified name', `${SVC}.${NAMESPACE}.svc.cluster.local:53`],
    ['a custom cluster domain', `${SVC}.${NAMESPACE}.svc.corp.example:53`],
    ['a trailing dot and capitals', `${SVC.toUpperCase()}.${NAMESPACE}.svc.cluster.local.:53`],
    ['a URL', `dns://${SVC}.${NAMESPACE}.svc.cluster.local:53/resolve?x=1`],
    ['a URL with user info', `https://user:secret@${SVC}:53/`],
    ['gRPC\'s dns:/// target', `dns:///${SVC}:53`],
    ['a bare name in a variable that holds an address', SVC],
    ['a bare qualified name', `${SVC}.${NAMESPACE}.svc`],
    ['surrounding spaces', `  ${SVC}:53  `],
  ])('refers to the Service by %s', (_what, value) => {
    expect(clientNames([...pair(), withEnv([{ name: 'DNS', value }])])).toEqual([`Deployment ${NAMESPACE}/app`]);
  });

  test.each([
    ['OTEL_COLLECTOR_HOST'], ['STATSD_ADDR'], ['UPSTREAM_ENDPOINT'], ['LOKI_URL'], ['dnsServer'], ['proxy'],
  ])('a bare name counts in a variable named like an address: %s', (name) => {
    expect(clientNames([...pair(), withEnv([{ name, value: SVC }])])).toEqual([`Deployment ${NAMESPACE}/app`]);
  });

  test.each([
    ['a path', 'DD_TRACE_AGENT_HOST_SOCKET_PATH', `/var/run/${SVC}`],
    ['a list', 'DD_APM_FEATURES', `zpages,pprof,${SVC}`],
    ['a list of endpoints', 'DNS', `10.0.0.10:53,${SVC}.${NAMESPACE}:53`],
    ['a sentence', 'MOTD', `welcome to ${SVC}`],
    ['a bare name in a variable that is not an address', 'DD_CLUSTER_NAME', SVC],
    ['a unix socket URL', 'DNS', `unix:///var/run/${SVC}.sock`],
    ['a URL path', 'DNS', `http://example.com/${SVC}`],
    ['an image reference', 'IMAGE', `registry.example/${SVC}:1.2`],
    ['a port out of range', 'DNS', `${SVC}:70000`],
  ])('never takes a word of %s for a host', (_what, name, value) => {
    expect(clientNames([...pair(), withEnv([{ name, value }])])).toEqual([]);
  });

  test.each([
    ['a longer name', `${SVC}-2.${NAMESPACE}:53`],
    ['a prefixed name', `x${SVC}:53`],
    ['another namespace', `${SVC}.other.svc.cluster.local:53`],
    ['a longer namespace', `${SVC}.${NAMESPACE}x.svc:53`],
    ['an external domain', `${SVC}.${NAMESPACE}.example.com:53`],
    ['an underscore name', `my_${SVC}:53`],
  ])('does not take %s for the Service', (_what, value) => {
    expect(clientNames([...pair(), withEnv([{ name: 'DNS', value }])])).toEqual([]);
  });

  test('$(VAR) references are expanded as the kubelet expands them', () => {
    const env = (...vars: unknown[]) => clientNames([...pair(), withEnv(vars)]);
    // the OpenTelemetry demo's pattern: the collector's name in one variable, the endpoint built from it
    expect(env({ name: 'OTEL_COLLECTOR_NAME', value: SVC }, { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://$(OTEL_COLLECTOR_NAME):4317' }))
      .toEqual([`Deployment ${NAMESPACE}/app`]);
    // chained references
    expect(env({ name: 'A', value: SVC }, { name: 'B', value: '$(A)' }, { name: 'C', value: 'grpc://$(B):53' })).toEqual([`Deployment ${NAMESPACE}/app`]);
    // a reference to a variable defined later is not expanded, nor an escaped one
    expect(env({ name: 'URL', value: 'http://$(NAME):4317' }, { name: 'NAME', value: SVC })).toEqual([]);
    expect(env({ name: 'NAME', value: SVC }, { name: 'URL', value: 'http://$$(NAME):4317' })).toEqual([]);
    const link = new LintContext([...pair(), withEnv([{ name: 'N', value: SVC }, { name: 'URL', value: 'http://$(N):53' }])]).clients()[0];
    expect(link.evidence).toBe(`env URL of container "app" is "http://$(N):53", which expands to "http://${SVC}:53"`);
    expect(link.path).toBe('/spec/template/spec/containers/0/env/1');
  });

  test('the service environment variables the kubelet defines are expanded too', () => {
    const variable = SVC.toUpperCase().replace(/-/g, '_');
    const manifests = [...pair(), withEnv([{ name: 'ADDR', value: `$(${variable}_SERVICE_HOST):$(${variable}_SERVICE_PORT_DNS)` }])];
    expect(clientNames(manifests)).toEqual([`Deployment ${NAMESPACE}/app`]);
    expect(new LintContext(manifests).clients()[0].evidence).toContain(`which expands to "<cluster IP of Service ${NAMESPACE}/${SVC}>:53"`);
    // only for Services of the pod's own namespace, and not when the pod disables service links
    expect(clientNames([...pair(), withEnv([{ name: 'ADDR', value: `$(${variable}_SERVICE_HOST):53` }], 'shop')])).toEqual([]);
    const noLinks = withEnv([{ name: 'ADDR', value: `$(${variable}_SERVICE_HOST):53` }]);
    noLinks.spec.template.spec.enableServiceLinks = false;
    expect(clientNames([...pair(), noLinks])).toEqual([]);
  });

  test('values from ConfigMaps and Secrets of the manifests count, in the client\'s namespace', () => {
    const configMap = (namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace }, data: { OTLP_ENDPOINT: `http://${SVC}:4317`, LEVEL: 'info' } });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: NAMESPACE }, data: { DSN: Buffer.from(`${SVC}.${NAMESPACE}:53`).toString('base64') } };
    const fromEnvFrom = withEnv([]);
    fromEnvFrom.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: 'cfg' }, prefix: 'APP_' }];
    expect(clientNames([...pair(), configMap(NAMESPACE), fromEnvFrom])).toEqual([`Deployment ${NAMESPACE}/app`]);
    const link = new LintContext([...pair(), configMap(NAMESPACE), fromEnvFrom]).clients()[0];
    expect(link.evidence).toBe(`APP_OTLP_ENDPOINT of container "app" (key OTLP_ENDPOINT of ConfigMap ${NAMESPACE}/cfg, through envFrom) is "http://${SVC}:4317"`);
    expect(link.path).toBe('/spec/template/spec/containers/0/envFrom/0');
    // a ConfigMap of another namespace is not the pod's
    expect(clientNames([...pair(), configMap('other'), fromEnvFrom])).toEqual([]);
    const keyRef = withEnv([{ name: 'EP', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'OTLP_ENDPOINT' } } }]);
    expect(clientNames([...pair(), configMap(NAMESPACE), keyRef])).toEqual([`Deployment ${NAMESPACE}/app`]);
    const secretRef = withEnv([{ name: 'DNS', valueFrom: { secretKeyRef: { name: 'sec', key: 'DSN' } } }]);
    expect(clientNames([...pair(), secret, secretRef])).toEqual([`Deployment ${NAMESPACE}/app`]);
    // a value from a ConfigMap feeds $(VAR) too
    const chained = withEnv([{ name: 'HOST', valueFrom: { configMapKeyRef: { name: 'names', key: 'agent' } } }, { name: 'URL', value: 'http://$(HOST):53' }]);
    const names = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'names', namespace: NAMESPACE }, data: { agent: SVC } };
    expect(clientNames([...pair(), names, chained])).toEqual([`Deployment ${NAMESPACE}/app`]);
  });

  test('a short name from another namespace is not a link but a miss, and an ExternalName alias is a link', () => {
    const manifests = [...pair(), withEnv([{ name: 'DNS', value: `${SVC}:53` }], 'shop')];
    expect(clientNames(manifests)).toEqual([]);
    const [miss] = new LintContext(manifests).shortNameMisses();
    expect({ client: miss.workload.object.display, name: miss.name, port: miss.port, pairs: miss.pairs.length, local: miss.local })
      .toEqual({ client: 'Deployment shop/app', name: SVC, port: 53, pairs: 1, local: undefined });
    const alias = { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC, namespace: 'shop' }, spec: { type: 'ExternalName', externalName: `${SVC}.${NAMESPACE}.svc.cluster.local.` } };
    expect(clientNames([...manifests, alias])).toEqual(['Deployment shop/app']);
    expect(new LintContext([...manifests, alias]).shortNameMisses()).toEqual([]);
    const other = { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC, namespace: 'shop' }, spec: { selector: { app: 'x' }, ports: [{ port: 53 }] } };
    expect(new LintContext([...manifests, other]).shortNameMisses().map((m) => m.local?.object.display)).toEqual([`Service shop/${SVC}`]);
  });

  test('the short name only counts from the Service\'s namespace', () => {
    expect(clientNames([...pair(), withEnv([{ name: 'DNS', value: `${SVC}:53` }], 'shop')])).toEqual([]);
    expect(clientNames([...pair(), withEnv([{ name: 'DNS', value: `${SVC}:53` }], null)])).toEqual([]);
    expect(clientNames([...pair(), withEnv([{ name: 'DNS', value: `${SVC}.${NAMESPACE}.svc.cluster.local:53` }], 'shop')]))
      .toEqual(['Deployment shop/app']);
  });

  test('objects without namespace are in the default namespace, as kubectl applies them', () => {
    const manifests = [
      ...pair((ds, svc) => { delete ds.metadata.namespace; delete svc.metadata.namespace; }),
      withEnv([{ name: 'DNS', value: `${SVC}:53` }], null),
      withEnv([{ name: 'DNS', value: `${SVC}.default:53` }], null, 'b'),
      withEnv([{ name: 'DNS', value: `${SVC}:53` }], 'default', 'c'),
    ];
    const pairs = [{ service: { kind: 'Service', name: SVC }, daemonSet: { kind: 'DaemonSet', name: DS_NAME } }];
    for (const context of [new LintContext(manifests), new LintContext(manifests, { pairs })]) {
      expect(context.clients().map((l) => l.workload.object.display)).toEqual(['Deployment app', 'Deployment b', 'Deployment default/c']);
    }
    // applied with -n shop, the short name no longer reaches the namespace the FQDN names
    expect(new LintContext(manifests, { namespace: 'shop' }).clients().map((l) => l.workload.object.display))
      .toEqual(['Deployment app']);
  });

  test('every pod-bearing kind, and init containers, can be a client', () => {
    const env = [{ name: 'DNS', value: `${SVC}.${NAMESPACE}:53` }];
    const spec = { containers: [{ name: 'c', image: 'i' }], initContainers: [{ name: 'init', image: 'i', env }] };
    const template = { metadata: { labels: { x: 'y' } }, spec };
    const manifests = [
      ...pair(),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'a' }, spec },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron', namespace: 'a' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'a' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'sts', namespace: 'a' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'a' }, spec: { template } },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'a' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'a' }, spec: { template } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' }, data: { DNS: `${SVC}.${NAMESPACE}:53` } },
    ];
    expect(clientNames(manifests)).toEqual(['Pod a/pod', 'CronJob a/cron', 'Job a/job', 'StatefulSet a/sts', 'ReplicaSet a/rs', 'ReplicationController a/rc', 'DaemonSet a/ds']);
    const cron = new LintContext(manifests).clients()[1];
    expect(cron.path).toBe('/spec/jobTemplate/spec/template/spec/initContainers/0/env/0');
    expect(cron.evidence).toBe(`env DNS of init container "init" is "${SVC}.${NAMESPACE}:53"`);
    expect(cron.via).toBe('service');
  });

  test('a Pod a controller owns is left to its owner', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: NAMESPACE, ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }] }, spec: { containers: [{ name: 'c', env: [{ name: 'DNS', value: SVC }] }] } };
    expect(clientNames([...pair(), pod])).toEqual([]);
  });

  test('the agent is never its own client', () => {
    expect(clientNames(pair((ds) => { ds.spec.template.spec.containers[0].env = [{ name: 'UPSTREAM', value: `${SVC}:53` }]; }))).toEqual([]);
  });

  test('one link per client and pair, with the first variable that refers to it', () => {
    const links = new LintContext([...pair(), withEnv([{ name: 'A', value: 'x' }, { name: 'B', value: `${SVC}:53` }, { name: 'C', value: `${SVC}.${NAMESPACE}:53` }])]).clients();
    expect(links.map((l) => [l.workload.object.display, l.pair.daemonSet.object.name, l.path])).toEqual([
      [`Deployment ${NAMESPACE}/app`, DS_NAME, '/spec/template/spec/containers/0/env/1'],
    ]);
  });

  describe('through the node\'s IP', () => {
    const HOST_IP = { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } };
    const withHostPort = (ds: any): void => { ds.spec.template.spec.containers[0].ports[0].hostPort = 8053; };

    test('status.hostIP and the agent\'s host port make a client', () => {
      const links = new LintContext([...pair(withHostPort), withEnv([HOST_IP, { name: 'DNS', value: '$(HOST_IP):8053' }], 'shop')]).clients();
      expect(links.map((l) => [l.workload.object.display, l.via, l.path, l.evidence])).toEqual([[
        'Deployment shop/app', 'hostIp', '/spec/template/spec/containers/0/env/1',
        `env DNS of container "app" is "$(HOST_IP):8053", which expands to "<node IP>:8053", and 8053 a host port of DaemonSet ${NAMESPACE}/${DS_NAME}`,
      ]]);
      expect(clientNames([...pair(withHostPort), withEnv([HOST_IP, { name: 'DNS', value: 'udp://$(HOST_IP):8053' }], 'shop')])).toEqual(['Deployment shop/app']);
      // the node's IP must be defined before the value that refers to it
      expect(clientNames([...pair(withHostPort), withEnv([{ name: 'DNS', value: 'udp://$(HOST_IP):8053' }, HOST_IP], 'shop')])).toEqual([]);
    });

    test('the node\'s IP in one variable and a port variable beside it make a client (DD_AGENT_HOST, DD_DOGSTATSD_PORT)', () => {
      const env = [{ name: 'DD_AGENT_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }, { name: 'DD_DOGSTATSD_PORT', value: '8053' }];
      const links = new LintContext([...pair(withHostPort), withEnv(env, 'shop')]).clients();
      expect(links.map((l) => [l.via, l.path, l.evidence])).toEqual([['hostIp', '/spec/template/spec/containers/0/env/0',
        'env DD_AGENT_HOST of container "app" is the node\'s IP (status.hostIP) and env DD_DOGSTATSD_PORT of container "app" is '
        + `"8053", a host port of DaemonSet ${NAMESPACE}/${DS_NAME}`]]);
      // the node's IP alone says nothing of which agent it is for
      expect(clientNames([...pair(withHostPort), withEnv(env.slice(0, 1), 'shop')])).toEqual([]);
      // a port variable named like an address is still a port
      expect(clientNames([...pair(withHostPort), withEnv([{ name: 'DNS_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }, { name: 'DNS_PORT', value: '8053' }], 'shop')]))
        .toEqual(['Deployment shop/app']);
      // a variable that is not a port
      expect(clientNames([...pair(withHostPort), withEnv([env[0], { name: 'WORKERS', value: '8053' }], 'shop')])).toEqual([]);
      // a port of another thing the container configures (its own metrics port) does not name the agent
      expect(clientNames([...pair(withHostPort), withEnv([env[0], { name: 'METRICS_PORT', value: '8053' }], 'shop')])).toEqual([]);
      expect(clientNames([...pair(withHostPort), withEnv([HOST_IP, { name: 'DD_DOGSTATSD_PORT', value: '8053' }], 'shop')])).toEqual([]);
    });

    test('another host with the agent\'s port is not the agent', () => {
      expect(clientNames([...pair(withHostPort), withEnv([HOST_IP, { name: 'DNS', value: 'other-dns:8053' }], 'shop')])).toEqual([]);
    });

    test('an agent on the host network holds its container ports', () => {
      const hostNetwork = (ds: any): void => { ds.spec.template.spec.hostNetwork = true; };
      expect(clientNames([...pair(hostNetwork), withEnv([HOST_IP, { name: 'DNS', value: '$(HOST_IP):8053' }], 'shop')])).toEqual(['Deployment shop/app']);
    });

    test.each([
      ['without status.hostIP', [{ name: 'DNS', value: '10.0.0.1:8053' }]],
      ['with another port', [HOST_IP, { name: 'DNS', value: '$(HOST_IP):8054' }]],
      ['with another field', [{ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'DNS', value: '$(HOST_IP):8053' }]],
    ])('a container %s is no client', (_what, env) => {
      expect(clientNames([...pair(withHostPort), withEnv(env, 'shop')])).toEqual([]);
    });

    test('an agent without host ports has no host-IP clients', () => {
      expect(clientNames([...pair(), withEnv([HOST_IP, { name: 'DNS', value: '$(HOST_IP):8053' }], 'shop')])).toEqual([]);
    });
  });

  test('a Service that is not node-local has no clients in auto mode, and a declared one has', () => {
    const manifests = [...pair((_ds, svc) => { delete svc.spec.internalTrafficPolicy; }), withEnv([{ name: 'DNS', value: SVC }])];
    expect(new LintContext(manifests).clients()).toEqual([]);
    expect(new LintContext(manifests, DECLARED).clients()).toHaveLength(1);
  });

  test('clients are reported by NL013 in both modes', () => {
    const manifests = [...pair((ds) => { ds.spec.template.spec.nodeSelector = { pool: 'agents' }; }), withEnv([{ name: 'DNS', value: SVC }])];
    for (const findings of [lintManifests(manifests), lintManifests(manifests, DECLARED)]) {
      expect(findings.filter((f) => f.ruleId === 'NL013').map((f) => f.resource.name)).toEqual(['app']);
    }
  });

  test('garbage in the environment is skipped, never a crash', () => {
    const env = [null, 7, 'x', { name: 5, value: 6 }, { value: SVC }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 9 } } }, { name: 'C', value: `${SVC}:53` }];
    expect(clientNames([...pair(), withEnv(env)])).toEqual([`Deployment ${NAMESPACE}/app`]);
    expect(new LintContext([...pair(), withEnv(env)]).clients()[0].path).toBe('/spec/template/spec/containers/0/env/6');
    const notAList = withEnv([]);
    notAList.spec.template.spec.containers[0].env = { DNS: SVC };
    expect(clientNames([...pair(), notAList])).toEqual([]);
  });
});
