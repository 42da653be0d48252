import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeLocalDaemonService, NodeLocalDaemonServiceProps, NodeLocalRollout } from '../src';
import { expectRestrictedPodSecurity, expectValidManifests } from './support/k8s-schema';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

/** Synthesize one construct in its own chart and return the manifests, checked against the schema. */
function synth(props: Partial<NodeLocalDaemonServiceProps> = {}, namespace?: string) {
  const chart = Testing.chart();
  if (namespace) {
    Object.defineProperty(chart, 'namespace', { value: namespace });
  }
  const agent = new NodeLocalDaemonService(chart, 'agent', {
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    ...props,
  });
  const manifests = Testing.synth(chart);
  expectValidManifests(manifests);
  return { chart, agent, manifests, daemonSet: byKind(manifests, 'DaemonSet'), service: byKind(manifests, 'Service') };
}

function byKind(manifests: any[], kind: string): any {
  const found = manifests.filter(m => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

function container(daemonSet: any, index = 0): any {
  return daemonSet.spec.template.spec.containers[index];
}

describe('snapshots', () => {
  test('defaults', () => {
    const { manifests } = synth();
    expect(manifests).toMatchSnapshot();
  });

  test('a DNS-style agent on 53/UDP and 53/TCP', () => {
    const { manifests } = synth({
      metadata: { name: 'node-dns' },
      containers: [{ name: 'dns', image: 'registry.k8s.io/dns/k8s-dns-node-cache:1.23.0' }],
      ports: [
        { port: 53, name: 'dns', protocol: kplus.Protocol.UDP },
        { port: 53, name: 'dns-tcp', protocol: kplus.Protocol.TCP },
      ],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('an agent on the host network', () => {
    const { manifests } = synth({
      metadata: { name: 'statsd' },
      hostNetwork: true,
      ports: [{ port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('a namespaced agent', () => {
    const { manifests } = synth({ metadata: { name: 'otel-agent', namespace: 'observability' } });
    expect(manifests).toMatchSnapshot();
  });
});

describe('the pairing', () => {
  test('the service is ClusterIP with internalTrafficPolicy Local', () => {
    const { service } = synth();
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.internalTrafficPolicy).toBe('Local');
    expect(service.spec.clusterIP).toBeUndefined();
  });

  test('the service selects exactly the daemon set pods', () => {
    const { service, daemonSet } = synth();
    const podLabels = daemonSet.spec.template.metadata.labels;
    expect(Object.keys(service.spec.selector).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(service.spec.selector)) {
      expect(podLabels[key]).toBe(value);
    }
    expect(daemonSet.spec.selector.matchLabels).toEqual(service.spec.selector);
  });

  test('two agents in one chart do not select each other', () => {
    const chart = Testing.chart();
    const a = new NodeLocalDaemonService(chart, 'a', { containers: [{ image: IMAGE }], ports: [{ port: 1 }] });
    const b = new NodeLocalDaemonService(chart, 'b', { containers: [{ image: IMAGE }], ports: [{ port: 1 }] });
    const manifests = Testing.synth(chart);
    const selectorOf = (name: string) => manifests.find(m => m.kind === 'Service' && m.metadata.name === name).spec.selector;
    expect(selectorOf(a.serviceName)).not.toEqual(selectorOf(b.serviceName));
  });

  test('each service port resolves to a container port of the same protocol', () => {
    const { service, daemonSet } = synth({
      ports: [
        { port: 4317, name: 'otlp-grpc', appProtocol: 'grpc' },
        { port: 80, name: 'http', targetPort: 4318 },
        { port: 6831, name: 'jaeger', protocol: kplus.Protocol.UDP },
      ],
    });
    expect(service.spec.ports).toEqual([
      { name: 'otlp-grpc', port: 4317, protocol: 'TCP', targetPort: 4317, appProtocol: 'grpc' },
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 4318 },
      { name: 'jaeger', port: 6831, protocol: 'UDP', targetPort: 6831 },
    ]);
    expect(container(daemonSet).ports).toEqual([
      { containerPort: 4317, name: 'otlp-grpc', protocol: 'TCP' },
      { containerPort: 4318, name: 'http', protocol: 'TCP' },
      { containerPort: 6831, name: 'jaeger', protocol: 'UDP' },
    ]);
  });

  test('the same number on TCP and UDP is allowed', () => {
    const { service } = synth({
      ports: [
        { port: 53, name: 'dns', protocol: kplus.Protocol.UDP },
        { port: 53, name: 'dns-tcp' },
      ],
    });
    expect(service.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['53/UDP', '53/TCP']);
  });

  test('a port goes to the container it names', () => {
    const { daemonSet } = synth({
      containers: [{ name: 'collector', image: IMAGE }, { name: 'statsd', image: 'statsd:1' }],
      ports: [
        { port: 4317, name: 'otlp-grpc' },
        { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, container: 'statsd' },
      ],
    });
    expect(container(daemonSet, 0).ports).toEqual([{ containerPort: 4317, name: 'otlp-grpc', protocol: 'TCP' }]);
    expect(container(daemonSet, 1).ports).toEqual([{ containerPort: 8125, name: 'statsd', protocol: 'UDP' }]);
  });

  test('a container port the container already declares is not declared twice', () => {
    const { daemonSet } = synth({
      containers: [{ image: IMAGE, ports: [{ number: 4317 }, { number: 9090, name: 'metrics' }] }],
    });
    expect(container(daemonSet).ports).toEqual([
      { containerPort: 4317, name: 'otlp-grpc' },
      { containerPort: 9090, name: 'metrics' },
    ]);
  });

  test('a port given as portNumber keeps cdk8s-plus\' startup probe and gets the name', () => {
    const { daemonSet } = synth({ containers: [{ image: IMAGE, portNumber: 4317 }] });
    expect(container(daemonSet).ports).toEqual([{ containerPort: 4317, name: 'otlp-grpc' }]);
    expect(container(daemonSet).startupProbe).toEqual({ failureThreshold: 3, tcpSocket: { port: 4317 } });
  });

  test('a single unnamed port is allowed', () => {
    const { service, agent } = synth({ ports: [{ port: 8080 }] });
    expect(service.spec.ports).toEqual([{ port: 8080, protocol: 'TCP', targetPort: 8080 }]);
    expect(() => agent.endpoint('http')).toThrow("endpoint(portName): no port is named 'http': the names are none: no port has a name; give the port a name");
  });
});

describe('names, namespace and endpoints', () => {
  test('metadata names both objects', () => {
    const { daemonSet, service, agent } = synth({ metadata: { name: 'otel-agent', labels: { team: 'obs' }, annotations: { a: 'b' } } });
    expect(daemonSet.metadata).toEqual({ name: 'otel-agent', labels: { team: 'obs' }, annotations: { a: 'b' } });
    expect(service.metadata).toEqual({ name: 'otel-agent', labels: { team: 'obs' }, annotations: { a: 'b' } });
    expect(agent.serviceName).toBe('otel-agent');
  });

  test('serviceMetadata adds labels and annotations to the service only', () => {
    const { daemonSet, service } = synth({
      metadata: { name: 'otel-agent', labels: { team: 'obs' } },
      serviceMetadata: { labels: { exposed: 'yes', team: 'platform' }, annotations: { 'prometheus.io/scrape': 'true' } },
    });
    expect(service.metadata.labels).toEqual({ team: 'platform', exposed: 'yes' });
    expect(service.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(daemonSet.metadata.labels).toEqual({ team: 'obs' });
    expect(daemonSet.metadata.annotations).toBeUndefined();
  });

  test('without a name, cdk8s generates the names', () => {
    const { service, daemonSet, agent } = synth();
    expect(service.metadata.name).toMatch(/^test-agent-service-c8[0-9a-f]{6}$/);
    expect(daemonSet.metadata.name).toMatch(/^test-agent-daemonset-c8[0-9a-f]{6}$/);
    expect(agent.serviceName).toBe(service.metadata.name);
  });

  test('the namespace comes from metadata', () => {
    const { daemonSet, service, agent } = synth({ metadata: { name: 'otel-agent', namespace: 'observability' } });
    expect(daemonSet.metadata.namespace).toBe('observability');
    expect(service.metadata.namespace).toBe('observability');
    expect(agent.namespace).toBe('observability');
    expect(agent.host).toBe('otel-agent.observability.svc.cluster.local');
    expect(agent.endpoint('otlp-grpc')).toBe('otel-agent.observability.svc.cluster.local:4317');
  });

  test('the namespace comes from the chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'obs', { namespace: 'monitoring' });
    const agent = new NodeLocalDaemonService(chart, 'agent', {
      metadata: { name: 'otel-agent' },
      containers: [{ image: IMAGE }],
      ports: [{ port: 4317, name: 'otlp-grpc' }],
    });
    const manifests = Testing.synth(chart);
    expect(manifests.map(m => m.metadata.namespace)).toEqual(['monitoring', 'monitoring', 'monitoring']);
    expect(agent.namespace).toBe('monitoring');
    expect(agent.host).toBe('otel-agent.monitoring.svc.cluster.local');
  });

  test('without a namespace the host is the short name', () => {
    const { agent } = synth({ metadata: { name: 'otel-agent' } });
    expect(agent.namespace).toBeUndefined();
    expect(agent.host).toBe('otel-agent');
    expect(agent.endpoint('otlp-grpc')).toBe('otel-agent:4317');
  });

  test('the cluster domain is configurable', () => {
    const { agent } = synth({ metadata: { name: 'otel-agent', namespace: 'obs' }, clusterDomain: 'corp.example' });
    expect(agent.clusterDomain).toBe('corp.example');
    expect(agent.endpoint('otlp-grpc')).toBe('otel-agent.obs.svc.corp.example:4317');
  });

  test('endpoint uses the service port, not the target port', () => {
    const { agent } = synth({ metadata: { name: 'a', namespace: 'n' }, ports: [{ port: 80, name: 'http', targetPort: 8080 }] });
    expect(agent.endpoint('http')).toBe('a.n.svc.cluster.local:80');
  });

  test('ports exposes the resolved defaults', () => {
    const { agent } = synth({ ports: [{ port: 80, name: 'http', targetPort: 8080 }] });
    expect(agent.ports).toEqual([
      { port: 80, name: 'http', protocol: kplus.Protocol.TCP, targetPort: 8080, appProtocol: undefined, container: 'main', hostPort: undefined },
    ]);
  });
});

describe('rollout', () => {
  test('defaults to surge: the new pod is ready before the old one goes', () => {
    const { daemonSet, agent } = synth();
    expect(daemonSet.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(agent.rollout.surges).toBe(true);
    expect(agent.rollout.leavesGap).toBe(false);
  });

  test('surge takes an amount or a percentage', () => {
    expect(synth({ rollout: NodeLocalRollout.surge(kplus.PercentOrAbsolute.absolute(3)) }).daemonSet.spec.updateStrategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } });
    expect(synth({ rollout: NodeLocalRollout.surge(kplus.PercentOrAbsolute.percent(25)) }).daemonSet.spec.updateStrategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('replace accepts a gap', () => {
    expect(synth({ rollout: NodeLocalRollout.replace() }).daemonSet.spec.updateStrategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(synth({ rollout: NodeLocalRollout.replace(kplus.PercentOrAbsolute.percent(10)) }).daemonSet.spec.updateStrategy)
      .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' } });
  });

  test('onDelete', () => {
    const { daemonSet, agent } = synth({ rollout: NodeLocalRollout.onDelete() });
    expect(daemonSet.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(agent.rollout.leavesGap).toBe(true);
  });

  test('defaults to replace with hostNetwork', () => {
    const { daemonSet } = synth({ hostNetwork: true });
    expect(daemonSet.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  });

  test('defaults to replace with a host port on a node-local port', () => {
    const { daemonSet, agent } = synth({ ports: [{ port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 }] });
    expect(daemonSet.spec.updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(container(daemonSet).ports).toEqual([{ containerPort: 8125, hostPort: 8125, name: 'statsd', protocol: 'UDP' }]);
    expect(agent.usesHostAccess).toBe(true);
  });

  test('defaults to replace with a host port on another container port', () => {
    const { daemonSet } = synth({ containers: [{ image: IMAGE, ports: [{ number: 9100, hostPort: 9100 }] }] });
    expect(daemonSet.spec.updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });
});

describe('scheduling', () => {
  test('tolerates every taint by default', () => {
    const { daemonSet, agent } = synth();
    expect(daemonSet.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(agent.tolerateAllTaints).toBe(true);
  });

  test('tolerateAllTaints false leaves tolerations to the user', () => {
    const chart = Testing.chart();
    const agent = new NodeLocalDaemonService(chart, 'agent', {
      containers: [{ image: IMAGE }],
      ports: [{ port: 4317 }],
      tolerateAllTaints: false,
    });
    agent.daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('gpu')));
    const daemonSet = byKind(Testing.synth(chart), 'DaemonSet');
    expect(daemonSet.spec.template.spec.tolerations).toEqual([{ key: 'gpu', operator: 'Exists' }]);
  });

  test('a pod on the host network resolves cluster names', () => {
    expect(synth({ hostNetwork: true }).daemonSet.spec.template.spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(synth({ hostNetwork: true, dns: { policy: kplus.DnsPolicy.DEFAULT } }).daemonSet.spec.template.spec.dnsPolicy).toBe('Default');
    expect(synth().daemonSet.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
  });

  test('with hostNetwork the host port is the container port', () => {
    const { agent, daemonSet } = synth({ hostNetwork: true, ports: [{ port: 80, name: 'http', targetPort: 8080 }] });
    expect(agent.ports[0].hostPort).toBe(8080);
    expect(container(daemonSet).ports).toEqual([{ containerPort: 8080, hostPort: 8080, name: 'http', protocol: 'TCP' }]);
  });
});

describe('secure and light defaults', () => {
  test('pods meet the restricted Pod Security Standard', () => {
    const { daemonSet } = synth({
      containers: [{ image: IMAGE }, { name: 'sidecar', image: 'busybox:1' }],
      initContainers: [{ name: 'init', image: 'busybox:1' }],
    });
    expectRestrictedPodSecurity(daemonSet.spec.template.spec);
    expect(daemonSet.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const c of [...daemonSet.spec.template.spec.containers, ...daemonSet.spec.template.spec.initContainers]) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      });
    }
  });

  test('containers get agent-sized resources', () => {
    const { daemonSet } = synth({ initContainers: [{ name: 'init', image: 'busybox:1' }] });
    const agentSized = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
    expect(container(daemonSet).resources).toEqual(agentSized);
    expect(daemonSet.spec.template.spec.initContainers[0].resources).toEqual(agentSized);
  });

  test('a readiness probe on the first TCP port of each container', () => {
    const { daemonSet } = synth({
      containers: [{ image: IMAGE }, { name: 'statsd', image: 'statsd:1' }],
      ports: [
        { port: 6831, name: 'jaeger', protocol: kplus.Protocol.UDP },
        { port: 80, name: 'http', targetPort: 4318 },
        { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, container: 'statsd' },
      ],
    });
    expect(container(daemonSet, 0).readinessProbe).toEqual({ failureThreshold: 3, tcpSocket: { port: 4318 } });
    // a UDP port cannot be probed over TCP: no probe is better than one that never passes
    expect(container(daemonSet, 1).readinessProbe).toBeUndefined();
  });

  test('whatever the user sets wins', () => {
    const { daemonSet } = synth({
      containers: [{
        image: IMAGE,
        readiness: kplus.Probe.fromHttpGet('/', { port: 13133 }),
        resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(1) } },
        securityContext: { user: 10001, capabilities: { add: [kplus.Capability.NET_BIND_SERVICE], drop: [kplus.Capability.NET_RAW] } },
      }],
    });
    const c = container(daemonSet);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 13133, scheme: 'HTTP' });
    expect(c.resources).toEqual({ requests: { cpu: '500m' }, limits: { cpu: '1' } });
    expect(c.securityContext.runAsUser).toBe(10001);
    // cdk8s-plus-27's enum values carry the CAP_ prefix, which Kubernetes does not take: written without it
    expect(c.securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['NET_RAW'] });
  });

  test('drop ALL stays when the user only adds a capability', () => {
    const { daemonSet } = synth({
      containers: [{ image: IMAGE, securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } } }],
    });
    expect(container(daemonSet).securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
  });

  test('a seccomp profile set through an escape hatch wins', () => {
    const chart = Testing.chart();
    const agent = new NodeLocalDaemonService(chart, 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 4317 }] });
    ApiObject.of(agent.daemonSet).addJsonPatch(JsonPatch.replace('/spec/template/spec/securityContext/seccompProfile', { type: 'Localhost', localhostProfile: 'agent.json' }));
    const daemonSet = byKind(Testing.synth(chart), 'DaemonSet');
    expect(daemonSet.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'agent.json' });
  });

  test('every DaemonSet prop of cdk8s-plus is available', () => {
    const chart = Testing.chart();
    const logs = kplus.Volume.fromEmptyDir(chart, 'buffer', 'buffer');
    const agent = new NodeLocalDaemonService(chart, 'agent', {
      containers: [{ image: IMAGE, volumeMounts: [{ path: '/var/buffer', volume: logs }] }],
      volumes: [logs],
      minReadySeconds: 5,
      podMetadata: { labels: { app: 'otel-agent' } },
      terminationGracePeriod: undefined,
      ports: [{ port: 4317 }],
    });
    const manifests = Testing.synth(chart);
    expectValidManifests(manifests);
    const daemonSet = byKind(manifests, 'DaemonSet');
    expect(daemonSet.spec.minReadySeconds).toBe(5);
    expect(daemonSet.spec.template.metadata.labels.app).toBe('otel-agent');
    expect(daemonSet.spec.template.spec.volumes).toEqual([{ name: 'buffer', emptyDir: {} }]);
    expect(agent.daemonSet.minReadySeconds).toBe(5);
  });
});

describe('bad props', () => {
  const base = { containers: [{ image: IMAGE }], ports: [{ port: 4317, name: 'otlp-grpc' }] };
  const make = (props: any) => () => new NodeLocalDaemonService(Testing.chart(), 'agent', { ...base, ...props });

  test('fails if there are no ports', () => {
    expect(make({ ports: [] })).toThrow("ports is empty: a node-local service needs at least one port; add one, e.g. ports: [{ port: 4317, name: 'otlp-grpc' }]");
    expect(make({ ports: undefined })).toThrow(/^ports is undefined: a node-local service needs at least one port/);
  });

  test('fails if there are no containers', () => {
    expect(make({ containers: [] })).toThrow(/^containers is empty: a node-local daemon needs at least one container/);
    expect(make({ containers: undefined })).toThrow(/^containers is empty/);
  });

  test.each([0, -1, 65536, 1.5, NaN])('fails if a port is %p', (port) => {
    expect(make({ ports: [{ port }] })).toThrow(`ports[0].port ${String(port)} is not a port number: use a whole number from 1 to 65535`);
  });

  test('fails if a target port or host port is out of range', () => {
    expect(make({ ports: [{ port: 80, targetPort: 70000 }] })).toThrow('ports[0].targetPort 70000 is not a port number: use a whole number from 1 to 65535');
    expect(make({ ports: [{ port: 80, hostPort: 0 }] })).toThrow('ports[0].hostPort 0 is not a port number: use a whole number from 1 to 65535');
  });

  test('fails if a (port, protocol) pair repeats', () => {
    expect(make({ ports: [{ port: 53, name: 'a', protocol: kplus.Protocol.UDP }, { port: 53, name: 'b', protocol: kplus.Protocol.UDP }] }))
      .toThrow('ports[1] repeats 53/UDP of ports[0]: each (port, protocol) pair may appear once; remove one or change its port or protocol');
    expect(make({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b', protocol: kplus.Protocol.TCP }] }))
      .toThrow('ports[1] repeats 80/TCP of ports[0]');
  });

  test('fails if a port name repeats', () => {
    expect(make({ ports: [{ port: 80, name: 'http' }, { port: 81, name: 'http' }] }))
      .toThrow("ports[1].name 'http' is already the name of ports[0]: port names must be unique; rename one");
  });

  test.each(['OTLP', 'otlp_grpc', 'a-very-long-port-name', '-grpc', 'grpc-', 'otlp--grpc', '4317', ''])('fails if a port name is %p', (name) => {
    expect(make({ ports: [{ port: 80, name }] })).toThrow(`ports[0].name ${JSON.stringify(name)} is not a valid port name: use at most 15 characters of a-z, 0-9 and -, with at least one letter, no leading, trailing or double hyphen, e.g. 'otlp-grpc'`);
  });

  test('fails if one of several ports has no name', () => {
    expect(make({ ports: [{ port: 80, name: 'http' }, { port: 6831, protocol: kplus.Protocol.UDP }] }))
      .toThrow("ports[1].name is missing: a Service with more than one port needs a name on every port; give it one, e.g. name: 'udp-6831'");
  });

  test('fails if a port names no container', () => {
    expect(make({ ports: [{ port: 80, container: 'sidecar' }] }))
      .toThrow('ports[0].container "sidecar" names no container of the daemon set: use one of \'main\'');
  });

  test('fails if a port has a bad protocol or app protocol', () => {
    expect(make({ ports: [{ port: 80, protocol: 'HTTP' }] })).toThrow('ports[0].protocol "HTTP" is not a protocol: use Protocol.TCP, Protocol.UDP or Protocol.SCTP');
    expect(make({ ports: [{ port: 80, appProtocol: 'not valid!' }] })).toThrow(/^ports\[0\]\.appProtocol "not valid!" is not a valid application protocol/);
  });

  test('fails if a port is not an object', () => {
    expect(make({ ports: [null] })).toThrow("ports[0] is null: a port is an object such as { port: 4317, name: 'otlp-grpc' }");
  });

  test.each(['OtelAgent', '1agent', 'agent-', 'a'.repeat(64), 'otel.agent'])('fails if metadata.name is %p', (name) => {
    expect(make({ metadata: { name } })).toThrow(`metadata.name ${JSON.stringify(name)} is not a valid Service name: use at most 63 characters of a-z, 0-9 and -, starting with a letter and ending with a letter or digit`);
  });

  test('fails if surge is chosen with host networking', () => {
    expect(make({ hostNetwork: true, rollout: NodeLocalRollout.surge() }))
      .toThrow('rollout: NodeLocalRollout.surge() cannot be used because hostNetwork is true: the surged pod could never bind the same host port and the rollout would stall (kubernetes/kubernetes#106417); use NodeLocalRollout.replace() or drop the host access');
  });

  test('fails if surge is chosen with a host port', () => {
    expect(make({ ports: [{ port: 80, hostPort: 80 }], rollout: NodeLocalRollout.surge() }))
      .toThrow(/^rollout: NodeLocalRollout.surge\(\) cannot be used because a container port has a hostPort/);
  });

  test('fails if a host port differs from the container port with host networking', () => {
    expect(make({ hostNetwork: true, ports: [{ port: 80, hostPort: 8080 }] }))
      .toThrow('ports[0].hostPort 8080 differs from its container port 80: with hostNetwork the container port is the host port; remove hostPort or set it to 80');
  });

  test('fails if a rollout amount is zero or out of range', () => {
    expect(() => NodeLocalRollout.surge(kplus.PercentOrAbsolute.absolute(0)))
      .toThrow('rollout: NodeLocalRollout.surge(maxSurge) must be a whole number above zero, got 0: use PercentOrAbsolute.absolute(1) or more');
    expect(() => NodeLocalRollout.replace(kplus.PercentOrAbsolute.percent(0)))
      .toThrow('rollout: NodeLocalRollout.replace(maxUnavailable) must be a whole percentage from 1% to 100% or a whole number above zero, got "0%": use PercentOrAbsolute.percent(10) or PercentOrAbsolute.absolute(1)');
    expect(() => NodeLocalRollout.surge(kplus.PercentOrAbsolute.percent(150))).toThrow(/got "150%"/);
    expect(() => NodeLocalRollout.surge(kplus.PercentOrAbsolute.absolute(1.5))).toThrow(/got 1.5/);
  });

  test('fails if select is false', () => {
    expect(make({ select: false })).toThrow(/^select false is not allowed: the Service selects the DaemonSet's pods/);
  });

  test('fails if the cluster domain is not a domain', () => {
    expect(make({ clusterDomain: 'Cluster Local' })).toThrow('clusterDomain "Cluster Local" is not a DNS domain: use lower-case labels separated by dots, e.g. \'cluster.local\'');
  });

  test('fails if endpoint names no port', () => {
    const agent = make({ ports: [{ port: 80, name: 'http' }, { port: 81, name: 'admin' }] })();
    expect(() => agent.endpoint('grpc')).toThrow("endpoint(portName): no port is named 'grpc': the names are one of 'http', 'admin'");
  });

  test('bad props write nothing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    expect(() => new NodeLocalDaemonService(chart, 'agent', { ...base, ports: [{ port: 0 }] })).toThrow();
    expect(chart.node.children).toHaveLength(0);
  });
});

describe('ports that share the pod network', () => {
  const base = { containers: [{ name: 'a', image: IMAGE }, { name: 'b', image: IMAGE }] };
  const make = (props: any) => () => new NodeLocalDaemonService(Testing.chart(), 'agent', { ...base, ...props });

  test('two service ports may forward to one container port', () => {
    const { service, daemonSet } = synth({ ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 8080, name: 'http-alt' }] });
    expect(service.spec.ports.map((p: any) => p.targetPort)).toEqual([8080, 8080]);
    expect(container(daemonSet).ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
  });

  test('fails if two containers would listen on the same port', () => {
    expect(make({ ports: [{ port: 80, name: 'a', container: 'a' }, { port: 81, name: 'b', targetPort: 80, container: 'b' }] }))
      .toThrow("ports[1] forwards to 80/TCP on container 'b', but ports[0] forwards to it on container 'a': containers of a pod share one network, so only one can listen there; use the same container or another targetPort");
  });

  test('fails if two ports claim one host port', () => {
    expect(make({ ports: [{ port: 80, name: 'a', hostPort: 9000 }, { port: 81, name: 'b', hostPort: 9000 }] }))
      .toThrow('ports[1].hostPort 9000/TCP is already the host port of ports[0]: a node binds each host port once per protocol; use another hostPort');
  });

  test('fails if one container port would get two host ports', () => {
    expect(make({ ports: [{ port: 80, name: 'a', targetPort: 8080, hostPort: 80 }, { port: 8080, name: 'b' }] }))
      .toThrow('ports[1] forwards to 8080/TCP like ports[0] but with host port none instead of 80: a container port has one host port; give both the same hostPort');
  });

  test.each([
    ['containers is not a list', { containers: {} }, "containers {} is not a list: use a list such as [{ image: 'otel/opentelemetry-collector:0.98.0' }]"],
    ['a container is null', { containers: [null] }, "containers[0] null is not an object: use an object such as { image: 'otel/opentelemetry-collector:0.98.0' }"],
    ['a container name is not a string', { containers: [{ image: IMAGE, name: 7 }] }, 'containers[0].name 7 is not a string'],
    ['ports is not a list', { ports: {} }, 'ports is {}: a node-local service needs at least one port'],
    ['rollout is not a NodeLocalRollout', { rollout: { strategyType: 'RollingUpdate' } }, 'rollout {"strategyType":"RollingUpdate"} is not a NodeLocalRollout'],
    ['metadata.name is not a string', { metadata: { name: 7 } }, 'metadata.name 7 is not a string: use at most 63 characters'],
    ['clusterDomain is not a string', { clusterDomain: 7 }, 'clusterDomain 7 is not a string: use lower-case labels'],
    ['acknowledge is not a list', { validation: { acknowledge: {} } }, 'validation.acknowledge {} is not a list'],
    ['an acknowledgement is null', { validation: { acknowledge: [null] } }, 'validation.acknowledge[0] is null'],
  ])('fails if %s', (_, props, message) => {
    const attempt = () => new NodeLocalDaemonService(Testing.chart(), 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 80 }], ...(props as any) });
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect(e).not.toBeInstanceOf(TypeError);
    }
  });
});

test('metadata with undefined values keeps the generated names', () => {
  const { service, daemonSet } = synth({ metadata: { name: undefined, namespace: undefined, labels: undefined } });
  expect(service.metadata.name).toMatch(/^test-agent-service-c8[0-9a-f]{6}$/);
  expect(daemonSet.metadata.name).toMatch(/^test-agent-daemonset-c8[0-9a-f]{6}$/);
});

describe('ports the containers already declare', () => {
  test('a host port the container declares is the port\'s host port', () => {
    const { agent, daemonSet } = synth({
      containers: [{ image: IMAGE, ports: [{ number: 8125, protocol: kplus.Protocol.UDP, hostPort: 9000 }] }],
      ports: [{ port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP }],
    });
    expect(agent.ports[0].hostPort).toBe(9000);
    expect(container(daemonSet).ports).toEqual([{ containerPort: 8125, hostPort: 9000, name: 'statsd', protocol: 'UDP' }]);
  });

  const make = (props: any) => () => new NodeLocalDaemonService(Testing.chart(), 'agent', { containers: [{ image: IMAGE }], ...props });

  test('fails if a port\'s host port contradicts the container\'s', () => {
    expect(make({
      containers: [{ image: IMAGE, ports: [{ number: 8125, protocol: kplus.Protocol.UDP, hostPort: 9000 }] }],
      ports: [{ port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125 }],
    })).toThrow('ports[0].hostPort 8125 differs from the host port 9000 that containers[0].ports[0] declares for 8125/UDP: a container port has one host port; use the same number or leave ports[0].hostPort unset');
  });

  test('fails if a port\'s host port is bound by another container port', () => {
    expect(make({
      containers: [{ name: 'c', image: IMAGE, ports: [{ number: 9000, protocol: kplus.Protocol.UDP, hostPort: 8125 }] }, { name: 'd', image: IMAGE }],
      ports: [{ port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, hostPort: 8125, container: 'd' }],
    })).toThrow('ports[0].hostPort 8125/UDP is already bound by container port c 9000: a node binds each host port once per protocol; use another hostPort');
  });

  test('fails if a port name is already the name of another container port', () => {
    expect(make({
      containers: [{ image: IMAGE, ports: [{ number: 9999, name: 'otlp' }] }],
      ports: [{ port: 4317, name: 'otlp' }],
    })).toThrow("ports[0].name 'otlp' is already the name of containers[0].ports[0] (9999/TCP) on container 'main': a container port name is unique; rename one");
  });
});
