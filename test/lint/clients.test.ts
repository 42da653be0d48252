import { ClientLink, LintContext } from '../../src/lint/context';
import { colonPorts, hostTokens, parseServiceDnsName } from '../../src/lint/kube';
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
  test('hostTokens splits URLs, host:port and lists into whole lower-case host tokens', () => {
    expect(hostTokens('http://Otel-Agent.OBS.svc.cluster.local.:4317/v1/traces')).toEqual(['http', 'otel-agent.obs.svc.cluster.local', '4317', 'v1', 'traces']);
    expect(hostTokens('a:1, b.c:2;d')).toEqual(['a', '1', 'b.c', '2', 'd']);
    expect(hostTokens('$(NODE_LOCAL_HOST_IP):8125')).toEqual(['node_local_host_ip', '8125']);
    expect(hostTokens('')).toEqual([]);
  });

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

  test('colonPorts finds the numbers after colons', () => {
    expect(colonPorts('$(HOST_IP):8125')).toEqual([8125]);
    expect(colonPorts('udp://a:53/x,b:9100')).toEqual([53, 9100]);
    expect(colonPorts('a:123456 b: 80 c:8o d:')).toEqual([]);
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
    ['a list', `10.0.0.10:53,${SVC}.${NAMESPACE}:53`],
    ['a bare host', SVC],
  ])('refers to the Service by %s', (_what, value) => {
    expect(clientNames([...pair(), withEnv([{ name: 'DNS', value }])])).toEqual([`Deployment ${NAMESPACE}/app`]);
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
        `env DNS of container "app" is "$(HOST_IP):8053", with HOST_IP from status.hostIP, and 8053 a host port of DaemonSet ${NAMESPACE}/${DS_NAME}`,
      ]]);
      expect(clientNames([...pair(withHostPort), withEnv([{ name: 'DNS', value: 'udp://$(HOST_IP):8053' }, HOST_IP], 'shop')])).toEqual(['Deployment shop/app']);
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
    const env = [null, 7, 'x', { name: 5, value: 6 }, { value: SVC }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 9 } } }];
    expect(clientNames([...pair(), withEnv(env)])).toEqual([`Deployment ${NAMESPACE}/app`]);
    const notAList = withEnv([]);
    notAList.spec.template.spec.containers[0].env = { DNS: SVC };
    expect(clientNames([...pair(), notAList])).toEqual([]);
  });
});
