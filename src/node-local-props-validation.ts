// Checks every prop of NodeLocalDaemonService before anything is built: each value, whatever it
// is, either is what cdk8s-plus and Kubernetes accept or gives an Error naming the prop. The
// construct is called from JavaScript and through jsii, where TypeScript's types do not hold.
import { isIP } from 'net';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  DNS1035_LABEL_RULE, DNS1123_LABEL_RULE, IANA_SVC_NAME_RULE, isDns1035Label, isDns1123Label,
  isDns1123Subdomain, isEnvVarName, isIanaServiceName, labelValueError, qualifiedNameError,
} from './k8s-names';
import { show } from './lint/json';
import {
  aBoolean, aClosedStruct, aList, aMap, anInstance, anInteger, aNamedObject, aString, aStruct, Check, fail, isObject, oneOf, optional,
} from './prop-checks';

// Structs that cdk8s-plus copies into the objects as given (metadata, capabilities, host aliases,
// sysctls, DNS options, owner references) are closed: a field it does not know would be written,
// or fail serialization when its value is not plain JSON.

const INT32_MAX = 2 ** 31 - 1;
const UID_MAX = 2147483647;

const labelKey = (key: string, where: string): void => {
  const problem = qualifiedNameError(key);
  if (problem !== undefined) {
    throw new Error(`${where} key ${show(key)} ${problem}: use a key such as 'app.kubernetes.io/name'`);
  }
};
const labels = aMap(labelKey, aString("'otel-agent'", labelValueError), "{ 'app.kubernetes.io/name': 'otel-agent' }");
const annotations = aMap(labelKey, aString("'true'"), "{ 'prometheus.io/scrape': 'true' }");

const dnsLabel = (name: string) => (isDns1123Label(name) ? undefined : 'is not a DNS-1123 label');
const namespaceName = aString(`use ${DNS1123_LABEL_RULE}, e.g. 'observability'`, (name) => isDns1123Label(name) ? undefined : 'is not a namespace name');

const ownerReference = aClosedStruct({
  apiVersion: aString("'apps/v1'", nonEmpty),
  kind: aString("'Deployment'", nonEmpty),
  name: aString("'owner'", nonEmpty),
  uid: aString("'d9607e19-f88f-11e6-a518-42010a800195'", nonEmpty),
  blockOwnerDeletion: optional(aBoolean),
  controller: optional(aBoolean),
}, "{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'owner', uid: '...' }");

/**
 * `metadata` names the Service too, so its name must be a DNS-1035 label. cdk8s writes any other
 * field of it into both objects, so only the fields of ObjectMeta a manifest may set are allowed.
 */
const metadata = aClosedStruct({
  name: optional(aString(`use ${DNS1035_LABEL_RULE}`, (name) => isDns1035Label(name) ? undefined : 'is not a valid Service name')),
  namespace: optional(namespaceName),
  labels: optional(labels),
  annotations: optional(annotations),
  finalizers: optional(aList(aString("'example.com/cleanup'", (f) => qualifiedNameError(f)), "['example.com/cleanup']")),
  ownerReferences: optional(aList(ownerReference, '[{ apiVersion, kind, name, uid }]')),
}, "{ name: 'otel-agent', namespace: 'observability' }");

const podMetadata = aClosedStruct({
  labels: optional(labels),
  annotations: optional(annotations),
}, "{ labels: { 'app.kubernetes.io/name': 'otel-agent' } }");

const port = anInteger(1, 65535);
const ipAddress = aString("'10.0.0.1'", (ip) => isIP(ip) === 0 ? 'is not an IP address' : undefined);
const strings = (example: string) => aList(aString(example), `[${example}]`);

const containerPort = aStruct({
  number: port,
  hostPort: optional(port),
  hostIp: optional(ipAddress),
  name: optional(aString(`use ${IANA_SVC_NAME_RULE}, e.g. 'metrics'`, (name) => isIanaServiceName(name) ? undefined : 'is not a valid port name')),
  protocol: optional(oneOf(Object.values(kplus.Protocol), 'Protocol.TCP, Protocol.UDP or Protocol.SCTP')),
}, '{ number: 9090, name: \'metrics\' }');

const resourcePair = (type: Function, how: string) => optional(aStruct({
  request: optional(anInstance(type, how)),
  limit: optional(anInstance(type, how)),
}, `{ request: ${how} }`));

const containerSecurityContext = aStruct({
  user: optional(anInteger(0, UID_MAX)),
  group: optional(anInteger(0, UID_MAX)),
  ensureNonRoot: optional(aBoolean),
  privileged: optional(aBoolean),
  readOnlyRootFilesystem: optional(aBoolean),
  allowPrivilegeEscalation: optional(aBoolean),
  capabilities: optional(aClosedStruct({
    add: optional(strings('Capability.NET_BIND_SERVICE')),
    drop: optional(strings('Capability.NET_RAW')),
  }, '{ add: [Capability.NET_BIND_SERVICE] }')),
}, '{ user: 10001 }');

const volumeMount = aStruct({
  volume: anInstance(kplus.Volume, 'Volume.fromEmptyDir(...) or another Volume factory'),
  path: aString("'/var/lib/agent'", (p) => p === '' ? 'is empty' : undefined),
  propagation: optional(oneOf(Object.values(kplus.MountPropagation), 'a MountPropagation')),
  readOnly: optional(aBoolean),
  subPath: optional(aString("'data'")),
  subPathExpr: optional(aString("'$(POD_NAME)'")),
}, "{ volume, path: '/var/lib/agent' }");

const probe = optional(anInstance(kplus.Probe, 'Probe.fromHttpGet(), Probe.fromTcpSocket() or Probe.fromCommand()'));
const handler = optional(anInstance(kplus.Handler, 'Handler.fromHttpGet(), Handler.fromTcpSocket() or Handler.fromCommand()'));

const container = aStruct({
  image: aString("'otel/opentelemetry-collector:0.98.0'", (image) => image.trim() === '' || image.trim() !== image
    ? 'is not an image reference (empty, or with leading or trailing spaces)' : undefined),
  name: optional(aString(`use ${DNS1123_LABEL_RULE}, e.g. 'collector'`, dnsLabel)),
  port: optional(port),
  portNumber: optional(port),
  ports: optional(aList(containerPort, "[{ number: 9090, name: 'metrics' }]", 1000)),
  command: optional(strings("'/otelcol'")),
  args: optional(strings("'--config=/etc/otel/config.yaml'")),
  workingDir: optional(aString("'/'")),
  envVariables: optional(aMap((key, where) => {
    if (!isEnvVarName(key)) {
      throw new Error(`${where} key ${show(key)} is not an environment variable name: use letters, digits, '_', '-' and '.', not starting with a digit`);
    }
  }, anInstance(kplus.EnvValue, 'EnvValue.fromValue() or another EnvValue factory'), "{ LOG_LEVEL: EnvValue.fromValue('info') }")),
  envFrom: optional(aList(anInstance(kplus.EnvFrom, 'Env.fromConfigMap() or Env.fromSecret()'), '[Env.fromConfigMap(config)]')),
  volumeMounts: optional(aList(volumeMount, "[{ volume, path: '/var/lib/agent' }]")),
  imagePullPolicy: optional(oneOf(Object.values(kplus.ImagePullPolicy), 'an ImagePullPolicy')),
  readiness: probe,
  liveness: probe,
  startup: probe,
  lifecycle: optional(aStruct({ postStart: handler, preStop: handler }, '{ preStop: Handler.fromCommand([...]) }')),
  resources: optional(aStruct({
    cpu: resourcePair(kplus.Cpu, 'Cpu.millis(100)'),
    memory: resourcePair(Size, 'Size.mebibytes(128)'),
    ephemeralStorage: resourcePair(Size, 'Size.gibibytes(1)'),
  }, '{ cpu: { request: Cpu.millis(100) } }')),
  securityContext: optional(containerSecurityContext),
}, "{ image: 'otel/opentelemetry-collector:0.98.0' }");

const podSecurityContext = aStruct({
  ensureNonRoot: optional(aBoolean),
  user: optional(anInteger(0, UID_MAX)),
  group: optional(anInteger(0, UID_MAX)),
  fsGroup: optional(anInteger(0, UID_MAX)),
  fsGroupChangePolicy: optional(oneOf(Object.values(kplus.FsGroupChangePolicy), 'an FsGroupChangePolicy')),
  sysctls: optional(aList(aClosedStruct({
    name: aString("'net.ipv4.ip_local_port_range'", (n) => /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(n) && n.length <= 253 ? undefined : 'is not a sysctl name'),
    value: aString("'1024 65535'"),
  }, "{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }"), '[{ name, value }]')),
}, '{ user: 10001 }');

const dns = aStruct({
  hostname: optional(aString(`use ${DNS1123_LABEL_RULE}, e.g. 'agent'`, dnsLabel)),
  subdomain: optional(aString("'agents'", (s) => isDns1123Subdomain(s) ? undefined : 'is not a DNS subdomain')),
  hostnameAsFQDN: optional(aBoolean),
  policy: optional(oneOf(Object.values(kplus.DnsPolicy), 'a DnsPolicy')),
  nameservers: optional(aList(ipAddress, "['10.0.0.10']", 3)),
  // cdk8s-plus allows 6 search domains
  searches: optional(aList(aString("'svc.cluster.local'", (s) => isDns1123Subdomain(s.endsWith('.') ? s.slice(0, -1) : s) ? undefined : 'is not a DNS domain'), "['svc.cluster.local']", 6)),
  options: optional(aList(aClosedStruct({
    name: aString("'ndots'", nonEmpty),
    value: optional(aString("'2'")),
  }, "{ name: 'ndots', value: '2' }"), "[{ name: 'ndots', value: '2' }]")),
}, '{ policy: DnsPolicy.CLUSTER_FIRST }');

const hostAlias = aClosedStruct({
  ip: ipAddress,
  hostnames: aList(aString("'metrics.local'", (h) => isDns1123Subdomain(h) ? undefined : 'is not a host name'), "['metrics.local']"),
}, "{ ip: '127.0.0.1', hostnames: ['metrics.local'] }");

const duration = (value: unknown, where: string): void => {
  anInstance(Duration, 'Duration.seconds(30)')(value, where);
  let seconds: number;
  try {
    seconds = (value as Duration).toSeconds();
  } catch {
    return fail(where, value, 'is not a whole number of seconds', 'use Duration.seconds(30)');
  }
  anInteger(0, INT32_MAX)(seconds, `${where} in seconds`);
};

const containers = (list: unknown, where: string) => aList(container, "[{ image: 'otel/opentelemetry-collector:0.98.0' }]", 100)(list, where);

/** The DaemonSet props of cdk8s-plus, as a node agent may use them. */
const DAEMON_SET_PROPS: { readonly [prop: string]: Check } = {
  metadata: optional(metadata),
  podMetadata: optional(podMetadata),
  containers: optional(containers),
  initContainers: optional(containers),
  volumes: optional(aList(anInstance(kplus.Volume, 'Volume.fromEmptyDir(...) or another Volume factory'), '[Volume.fromEmptyDir(chart, "buffer", "buffer")]')),
  restartPolicy: optional((value, where) => {
    if (value !== kplus.RestartPolicy.ALWAYS) {
      fail(where, value, 'is not allowed for a DaemonSet', 'its pods always restart: leave restartPolicy unset or use RestartPolicy.ALWAYS');
    }
  }),
  serviceAccount: optional(aNamedObject('a ServiceAccount construct or ServiceAccount.fromServiceAccountName(...)')),
  securityContext: optional(podSecurityContext),
  hostAliases: optional(aList(hostAlias, "[{ ip: '127.0.0.1', hostnames: ['metrics.local'] }]")),
  dns: optional(dns),
  dockerRegistryAuth: optional(aNamedObject('a Secret construct or Secret.fromSecretName(...)')),
  automountServiceAccountToken: optional(aBoolean),
  isolate: optional(aBoolean),
  hostNetwork: optional(aBoolean),
  terminationGracePeriod: optional(duration),
  select: optional((value, where) => {
    if (value !== true) {
      fail(where, value, 'is not allowed', 'the Service selects the DaemonSet\'s pods by the label cdk8s-plus gives them; leave select unset or true');
    }
  }),
  spread: optional(aBoolean),
  minReadySeconds: optional(anInteger(0, INT32_MAX)),
};

/** The construct's own props that are plain values; ports, rollout, traffic and validation have their own checks. */
const OWN_PROPS: { readonly [prop: string]: Check } = {
  serviceMetadata: optional(aStruct({ labels: optional(labels), annotations: optional(annotations) }, "{ labels: { exposed: 'yes' } }")),
  tolerateAllTaints: optional(aBoolean),
  clusterDomain: optional(aString("use lower-case labels separated by dots, e.g. 'cluster.local'", (d) => isDns1123Subdomain(d) ? undefined : 'is not a DNS domain')),
  kubernetesVersion: optional(aString("'1.34'")),
  validation: optional(aStruct({ strict: optional(aBoolean) }, '{ strict: true }')),
};

/**
 * Checks the props as a whole and every prop the construct or cdk8s-plus reads, then what
 * depends on several of them: container names unique across containers and init containers,
 * container port names unique per container.
 */
export function validateProps(props: unknown): void {
  if (!isObject(props)) {
    fail('props', props, 'is not an object', "give the props, e.g. { containers: [{ image: '...' }], ports: [{ port: 4317 }] }");
  }
  for (const [prop, check] of [...Object.entries(DAEMON_SET_PROPS), ...Object.entries(OWN_PROPS)]) {
    check(props[prop], prop);
  }
  checkContainerNames(props);
  checkWhatCdk8sPlusRefuses(props);
}

/** What cdk8s-plus would refuse with a message that names no prop: refused here first, with one. */
function checkWhatCdk8sPlusRefuses(props: Record<string, unknown>): void {
  ((props.initContainers ?? []) as kplus.ContainerProps[]).forEach((c, i) => {
    for (const kind of ['readiness', 'liveness', 'startup'] as const) {
      if (c[kind] !== undefined) {
        throw new Error(`initContainers[${i}].${kind} is set: an init container runs to completion before the pod starts, so it has no ${kind} probe; remove it`);
      }
    }
  });
  for (const list of ['containers', 'initContainers']) {
    ((props[list] ?? []) as kplus.ContainerProps[]).forEach((c, i) => {
      if (c.port !== undefined && c.portNumber !== undefined) {
        throw new Error(`${list}[${i}] sets both port and portNumber: use portNumber only (port is deprecated)`);
      }
      const numbers = new Map<string, number>();
      (c.ports ?? []).forEach((p, k) => {
        const key = `${p.number}/${p.protocol ?? kplus.Protocol.TCP}`;
        const first = numbers.get(key);
        if (first !== undefined) {
          throw new Error(`${list}[${i}].ports[${k}] repeats ${key} of ${list}[${i}].ports[${first}]: a container declares each port once per protocol; remove one`);
        }
        numbers.set(key, k);
      });
    });
  }
  const dnsProps = props.dns as kplus.PodDnsProps | undefined;
  if (dnsProps?.policy === kplus.DnsPolicy.NONE && (dnsProps.nameservers ?? []).length === 0) {
    throw new Error('dns.policy is DnsPolicy.NONE without dns.nameservers: a pod with its own DNS settings needs at least one nameserver; add one, e.g. nameservers: [\'10.0.0.10\']');
  }
  checkVolumeNames(props);
}

/** Two different volumes with one name cannot both be mounted. */
function checkVolumeNames(props: Record<string, unknown>): void {
  const byName = new Map<string, { readonly volume: kplus.Volume; readonly where: string }>();
  const note = (volume: kplus.Volume, where: string): void => {
    const first = byName.get(volume.name);
    if (first !== undefined && first.volume !== volume) {
      throw new Error(`${where} is a volume named '${volume.name}' like ${first.where}, but another one: volumes of a pod need unique names; rename one`);
    }
    byName.set(volume.name, { volume, where });
  };
  ((props.volumes ?? []) as kplus.Volume[]).forEach((v, i) => note(v, `volumes[${i}]`));
  for (const list of ['containers', 'initContainers']) {
    ((props[list] ?? []) as kplus.ContainerProps[]).forEach((c, i) =>
      (c.volumeMounts ?? []).forEach((m, k) => note(m.volume, `${list}[${i}].volumeMounts[${k}].volume`)));
  }
}

function checkContainerNames(props: Record<string, unknown>): void {
  const seen = new Map<string, string>();
  for (const list of ['containers', 'initContainers']) {
    ((props[list] ?? []) as kplus.ContainerProps[]).forEach((c, i) => {
      const where = `${list}[${i}]`;
      const name = c.name ?? 'main';
      const first = seen.get(name);
      if (first !== undefined) {
        throw new Error(c.name === undefined
          ? `${where}.name is missing, so it is 'main' like ${first}: containers of a pod need unique names; name it, e.g. name: 'sidecar'`
          : `${where}.name '${name}' is already the name of ${first}: containers and init containers of a pod need unique names; rename one`);
      }
      seen.set(name, where);
      const ports = new Map<string, number>();
      (c.ports ?? []).forEach((p, k) => {
        if (p.name === undefined) {
          return;
        }
        const firstPort = ports.get(p.name);
        if (firstPort !== undefined) {
          throw new Error(`${where}.ports[${k}].name '${p.name}' is already the name of ${where}.ports[${firstPort}]: port names are unique within a container; rename one`);
        }
        ports.set(p.name, k);
      });
    });
  }
}

function nonEmpty(text: string): string | undefined {
  return text === '' ? 'is empty' : undefined;
}
