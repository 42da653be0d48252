/**
 * Which workloads send to which node-local pair. A workload is a client when one of its
 * containers' environment variables, as the kubelet builds it (envFrom, then env, with `$(VAR)`
 * expanded; values of ConfigMaps and Secrets of the manifests read in), names the pair's Service
 * as a host: the whole value, the host of `host:port`, or the host of a URL; or when it holds the
 * node's IP (`status.hostIP`) with a port that is a host port of the pair's DaemonSet. A word
 * inside a path, a list or a sentence is never a host.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
 */
import type { ObjectInfo, Pair, ServiceInfo, WorkloadInfo } from './context';
import { asArray, asObject, asString, getIn, pointer, show } from './json';
import { parseServiceDnsName } from './kube';

/** A workload that sends to a node-local pair. */
export interface ClientLink {
  readonly workload: WorkloadInfo;
  readonly pair: Pair;
  /** How the client reaches the agent. */
  readonly via: 'service' | 'hostIp';
  /** The variable that makes it a client, for a message, e.g. `env OTLP of container "app" is "otel-agent:4317"`. */
  readonly evidence: string;
  /** JSON pointer of that variable (its env or envFrom entry). */
  readonly path: string;
}

/**
 * A client that names a node-local Service by its short name from another namespace: the name
 * resolves in the client's own namespace, to another Service of that name or to nothing.
 */
export interface ShortNameMiss {
  readonly workload: WorkloadInfo;
  /** The short name, e.g. `otel-agent`. */
  readonly name: string;
  /** The port the value names, if any. */
  readonly port?: number;
  /** The node-local pairs whose Service has that name, in other namespaces. */
  readonly pairs: readonly Pair[];
  /** The Service of that name in the client's own namespace, which the name reaches instead. */
  readonly local?: ServiceInfo;
  readonly evidence: string;
  readonly path: string;
}

/** The clients of the pairs, and the short names that miss them. */
export interface ClientIndex {
  readonly links: ClientLink[];
  readonly misses: ShortNameMiss[];
}

/** What the analysis reads from the lint context. */
export interface ClientSources {
  readonly objects: readonly ObjectInfo[];
  readonly services: readonly ServiceInfo[];
  readonly workloads: readonly WorkloadInfo[];
  readonly pairs: readonly Pair[];
}

/** The fields of the downward API that give the node's IP. */
const HOST_IP_FIELDS = ['status.hostIP', 'status.hostIPs'];

// Markers that stand, in an expanded value, for what only the kubelet knows: the node's IP, and a
// Service's cluster IP from the service environment variables (`OTEL_AGENT_SERVICE_HOST`).
const NODE_IP = '\u0000node-ip\u0000';
const SERVICE_IP = /^\u0000service-([0-9]+)\u0000$/;
const MARKERS = /\u0000(node-ip|service-[0-9]+)\u0000/g;

/** Words of a variable name that say it holds an address, so a bare name in it is a host. */
const HOST_WORDS = new Set(['HOST', 'HOSTS', 'HOSTNAME', 'ADDR', 'ADDRESS', 'ENDPOINT', 'ENDPOINTS', 'URL', 'URI', 'SERVER',
  'SERVERS', 'TARGET', 'DSN', 'DNS', 'PROXY']);

/** A DNS name, lower case, with an optional trailing dot. */
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.?$/;

/** One variable of a container's environment, as the kubelet builds it. */
interface EnvVar {
  readonly name: string;
  /** Its value with `$(VAR)` expanded; undefined when only the cluster knows it. */
  readonly value?: string;
  /** How a message names it, e.g. `env OTLP of container "app"`. */
  readonly source: string;
  /** What is shown of its value, e.g. `"http://$(HOST):4317", which expands to "http://otel-agent:4317"`. */
  readonly shown: string;
  readonly path: string;
}

/** The host a value names, and its port. */
interface HostRef {
  readonly host: string;
  readonly port?: number;
}

/** Finds every client of every pair, in one pass over the environment of every workload. */
export function findClients(sources: ClientSources): ClientIndex {
  const links: ClientLink[] = [];
  const misses: ShortNameMiss[] = [];
  if (sources.pairs.length === 0) {
    return { links, misses };
  }
  const index = new PairIndex(sources);
  const data = new DataIndex(sources.objects);
  const pairOrder = new Map<Pair, number>(sources.pairs.map((p, i) => [p, i]));
  for (const workload of sources.workloads) {
    if (workload.object.controlled) {
      continue; // a Pod of a ReplicaSet is its owner's
    }
    const found = new Map<Pair, ClientLink>();
    const link = (pair: Pair, via: ClientLink['via'], evidence: string, path: string): void => {
      if (pair.daemonSet !== workload && !found.has(pair)) {
        found.set(pair, { workload, pair, via, evidence, path });
      }
    };
    const serviceLinks = getIn(workload.podSpec, 'enableServiceLinks') !== false;
    for (const container of workload.allContainers) {
      const env = containerEnv(workload, container.raw, container.path, container.display, data, serviceLinks ? index : undefined);
      const nodeIpVars: EnvVar[] = [];
      const portVars: Array<{ readonly v: EnvVar; readonly port: number }> = [];
      for (const v of env) {
        if (v.value === undefined) {
          continue;
        }
        const ref = hostOf(v.value, v.name);
        if (ref === undefined) {
          const port = portNumber(v);
          if (port !== undefined) {
            portVars.push({ v, port });
          }
          continue;
        }
        const evidence = `${v.source} is ${v.shown}`;
        if (ref.host === NODE_IP) {
          if (ref.port === undefined) {
            nodeIpVars.push(v);
          }
          for (const pair of ref.port === undefined ? [] : index.byHostPort(ref.port)) {
            link(pair, 'hostIp', `${evidence}, and ${ref.port} a host port of ${pair.daemonSet.object.display}`, v.path);
          }
          continue;
        }
        const serviceIp = SERVICE_IP.exec(ref.host);
        if (serviceIp) {
          for (const pair of index.pairsOfService(Number(serviceIp[1]))) {
            link(pair, 'service', evidence, v.path);
          }
          continue;
        }
        const name = parseServiceDnsName(ref.host);
        if (name === undefined) {
          continue;
        }
        const namespace = name.namespace ?? workload.object.namespaceKey;
        const pairs = index.byName(name.name, namespace);
        for (const pair of pairs) {
          link(pair, 'service', evidence, v.path);
        }
        if (pairs.length > 0 || name.namespace !== undefined) {
          continue;
        }
        // a short name resolves in the client's own namespace only
        const elsewhere = index.namedAnywhere(name.name);
        if (elsewhere.length === 0) {
          continue;
        }
        const local = index.service(name.name, namespace);
        const aliased = local === undefined ? undefined : index.externalNameTarget(local);
        if (aliased !== undefined) {
          for (const pair of aliased) {
            link(pair, 'service', `${evidence}, and ${local!.object.display} is an ExternalName for its Service`, v.path);
          }
          continue;
        }
        misses.push({ workload, name: name.name, port: ref.port, pairs: elsewhere, local, evidence, path: v.path });
      }
      // the node's IP in one variable, the agent's host port in another of the same family
      // (DD_AGENT_HOST and DD_DOGSTATSD_PORT, JAEGER_AGENT_HOST and JAEGER_AGENT_PORT)
      for (const host of nodeIpVars) {
        for (const { v, port } of portVars.filter((p) => sameFamily(p.v.name, host.name))) {
          for (const pair of index.byHostPort(port)) {
            link(pair, 'hostIp', `${host.source} is ${host.shown} and ${v.source} is ${v.shown}, a host port of `
              + pair.daemonSet.object.display, host.path);
          }
        }
      }
    }
    if (found.size > 0) {
      const ordered = [...found.values()].sort((x, y) => pairOrder.get(x.pair)! - pairOrder.get(y.pair)!);
      for (const l of ordered) {
        links.push(l);
      }
    }
  }
  return { links, misses };
}

/**
 * The host a value names: the whole value (a bare name only in a variable whose name says it holds
 * an address, such as `..._HOST` or `..._ENDPOINT`), `host:port`, a URL's host, or gRPC's
 * `dns:///host:port`. Undefined for anything else: a path, a list, a sentence.
 */
function hostOf(value: string, variable: string): HostRef | undefined {
  const text = value.trim();
  if (text === '' || /\s/.test(text) || /^[0-9]+$/.test(text)) {
    return undefined; // a number is a port or a count, not a host, whatever the variable is called
  }
  const grpc = /^dns:(?:\/\/[^/]*)?\/([^/?#]+)$/i.exec(text);
  if (grpc) {
    return hostAndPort(grpc[1], true);
  }
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(?:[/?#].*)?$/i.exec(text);
  if (url) {
    const authority = url[1].slice(url[1].lastIndexOf('@') + 1);
    return hostAndPort(authority, true);
  }
  const ref = hostAndPort(text, false);
  if (ref === undefined || ref.port !== undefined || ref.host.includes('.') || ref.host.startsWith('\u0000')) {
    return ref;
  }
  return namesAnAddress(variable) ? ref : undefined;
}

/** `host` or `host:port` as the whole text. */
function hostAndPort(text: string, inUrl: boolean): HostRef | undefined {
  const match = /^([^:]+)(?::([0-9]{1,5}))?$/.exec(text);
  if (!match) {
    return undefined;
  }
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) {
    return undefined;
  }
  const host = match[1].toLowerCase();
  if (host === NODE_IP || SERVICE_IP.test(host)) {
    return { host, port };
  }
  if (!DNS_NAME.test(host) || (inUrl && host === '')) {
    return undefined;
  }
  return { host: host.endsWith('.') ? host.slice(0, -1) : host, port };
}

/** Whether a variable's name says it holds an address: a word like HOST, ADDR, ENDPOINT or URL. */
function namesAnAddress(variable: string): boolean {
  const words = variable.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/);
  return words.some((w) => HOST_WORDS.has(w));
}

/** Whether two variables share their first word (`DD_AGENT_HOST`, `DD_TRACE_AGENT_PORT`): they configure one thing. */
function sameFamily(a: string, b: string): boolean {
  const first = (name: string): string => name.toUpperCase().split(/[^A-Z0-9]+/).find((w) => w !== '') ?? '';
  return first(a) !== '' && first(a) === first(b);
}

/** The port a variable such as `DD_DOGSTATSD_PORT=8125` holds. */
function portNumber(v: EnvVar): number | undefined {
  const words = v.name.toUpperCase().split(/[^A-Z0-9]+/);
  if (words[words.length - 1] !== 'PORT' || v.value === undefined || !/^[0-9]{1,5}$/.test(v.value.trim())) {
    return undefined;
  }
  const port = Number(v.value.trim());
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * A container's environment in the kubelet's order (envFrom, then env), each value expanded over
 * the variables defined before it and the service environment variables of the pod's namespace.
 */
function containerEnv(
  workload: WorkloadInfo, raw: unknown, path: string, container: string, data: DataIndex, services: PairIndex | undefined,
): EnvVar[] {
  const namespace = workload.object.namespaceKey;
  const vars: EnvVar[] = [];
  const defined = new Map<string, string | undefined>();
  asArray(getIn(raw, 'envFrom')).forEach((entry, i) => {
    const prefix = asString(getIn(entry, 'prefix')) ?? '';
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const name = asString(getIn(entry, kind, 'name'));
      const source = name === undefined ? undefined : data.get(kind === 'configMapRef' ? 'ConfigMap' : 'Secret', namespace, name);
      if (source === undefined) {
        continue;
      }
      for (const [key, value] of source.values) {
        const variable = `${prefix}${key}`;
        defined.set(variable, value);
        vars.push({
          name: variable,
          value,
          path: pointer(path, 'envFrom', i),
          source: `${variable} of ${container} (key ${key} of ${source.display}, through envFrom)`,
          shown: show(value),
        });
      }
    }
  });
  asArray(getIn(raw, 'env')).forEach((entry, i) => {
    const name = asString(getIn(entry, 'name'));
    if (name === undefined) {
      return;
    }
    const entryPath = pointer(path, 'env', i);
    const source = `env ${name} of ${container}`;
    const literal = asString(getIn(entry, 'value'));
    if (literal !== undefined && literal !== '') {
      const value = expand(literal, (ref) => defined.has(ref) ? defined.get(ref) : services?.serviceVariable(ref, namespace));
      defined.set(name, value);
      const shown = value === literal ? show(literal) : `${show(literal)}, which expands to ${show(readable(value, services))}`;
      vars.push({ name, value, path: entryPath, source, shown });
      return;
    }
    const fieldPath = getIn(entry, 'valueFrom', 'fieldRef', 'fieldPath');
    if (typeof fieldPath === 'string' && HOST_IP_FIELDS.includes(fieldPath)) {
      defined.set(name, NODE_IP);
      vars.push({ name, value: NODE_IP, path: entryPath, source, shown: `the node's IP (${fieldPath})` });
      return;
    }
    for (const [ref, kind] of [['configMapKeyRef', 'ConfigMap'], ['secretKeyRef', 'Secret']] as const) {
      const key = asString(getIn(entry, 'valueFrom', ref, 'key'));
      const objectName = asString(getIn(entry, 'valueFrom', ref, 'name'));
      const object = key === undefined || objectName === undefined ? undefined : data.get(kind, namespace, objectName);
      const value = object?.values.get(key!);
      if (value !== undefined) {
        defined.set(name, value);
        vars.push({ name, value, path: entryPath, source: `${source} (key ${key} of ${object!.display})`, shown: show(value) });
        return;
      }
    }
    defined.set(name, undefined); // known only in the cluster: a later $(name) is not expanded by us
  });
  return vars;
}

/**
 * `$(VAR)` expansion as the kubelet does it (third_party/forked/golang/expansion): `$$` is a
 * literal `$`, `$(NAME)` is the value of NAME if it is defined before, else kept as written. A
 * variable whose value only the cluster knows (a pod IP, a Secret not in the manifests) is kept as
 * written too, so a value built from it names no host here.
 */
function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
    } else if (input[i + 1] === '$') {
      out += '$';
      i++;
    } else if (input[i + 1] === '(' && input.indexOf(')', i + 2) >= 0) {
      const close = input.indexOf(')', i + 2);
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/** An expanded value for a message: the markers as words. */
function readable(value: string, services: PairIndex | undefined): string {
  return value.replace(MARKERS, (_, what: string) => what === 'node-ip'
    ? '<node IP>'
    : `<cluster IP of ${services?.serviceAt(Number(what.slice('service-'.length)))?.object.display ?? 'a Service'}>`);
}

/** The ConfigMaps and Secrets of the manifests, by namespace and name. */
class DataIndex {
  private readonly objects = new Map<string, { readonly values: Map<string, string>; readonly display: string }>();

  constructor(objects: readonly ObjectInfo[]) {
    for (const object of objects) {
      if ((object.kind !== 'ConfigMap' && object.kind !== 'Secret') || object.apiVersion !== 'v1' || object.name === undefined) {
        continue;
      }
      const values = new Map<string, string>();
      for (const [key, value] of Object.entries(asObject(getIn(object.raw, 'data')) ?? {})) {
        const text = asString(value);
        if (text !== undefined) {
          values.set(key, object.kind === 'Secret' ? decodeBase64(text) ?? '' : text);
        }
      }
      for (const [key, value] of Object.entries(asObject(getIn(object.raw, 'stringData')) ?? {})) {
        const text = asString(value);
        if (text !== undefined) {
          values.set(key, text);
        }
      }
      this.objects.set(`${object.kind}\u0000${object.namespaceKey}\u0000${object.name}`, { values, display: object.display });
    }
  }

  public get(kind: string, namespace: string, name: string) {
    return this.objects.get(`${kind}\u0000${namespace}\u0000${name}`);
  }
}

function decodeBase64(text: string): string | undefined {
  return /^[A-Za-z0-9+/\s]*={0,2}$/.test(text) ? Buffer.from(text, 'base64').toString('utf-8') : undefined;
}

/** The pairs by their Service's DNS name and by their agent's host ports, and the Services by name. */
class PairIndex {
  private readonly pairsByName = new Map<string, Pair[]>();
  private readonly pairsByShortName = new Map<string, Pair[]>();
  private readonly pairsByHostPort = new Map<number, Pair[]>();
  private readonly pairsByServiceIndex = new Map<number, Pair[]>();
  private readonly servicesByName = new Map<string, ServiceInfo>();
  private readonly servicesByVariable = new Map<string, ServiceInfo>();
  private readonly servicesByIndex = new Map<number, ServiceInfo>();

  constructor(sources: ClientSources) {
    for (const pair of sources.pairs) {
      const name = pair.service.object.name;
      if (name !== undefined) {
        pushTo(this.pairsByName, nameKey(name.toLowerCase(), pair.service.object.namespaceKey), pair);
        pushTo(this.pairsByShortName, name.toLowerCase(), pair);
      }
      pushTo(this.pairsByServiceIndex, pair.service.object.index, pair);
      for (const port of agentHostPorts(pair.daemonSet)) {
        pushTo(this.pairsByHostPort, port, pair);
      }
    }
    for (const service of sources.services) {
      const name = service.object.name;
      if (name === undefined) {
        continue;
      }
      this.servicesByName.set(nameKey(name.toLowerCase(), service.object.namespaceKey), service);
      this.servicesByIndex.set(service.object.index, service);
      // the kubelet's service environment variables name it this way (FOO_BAR_SERVICE_HOST for foo-bar)
      this.servicesByVariable.set(nameKey(name.toUpperCase().replace(/-/g, '_'), service.object.namespaceKey), service);
    }
  }

  public byName(name: string, namespace: string): Pair[] {
    return this.pairsByName.get(nameKey(name, namespace)) ?? [];
  }

  public namedAnywhere(name: string): Pair[] {
    return this.pairsByShortName.get(name) ?? [];
  }

  public byHostPort(port: number): Pair[] {
    return this.pairsByHostPort.get(port) ?? [];
  }

  public pairsOfService(index: number): Pair[] {
    return this.pairsByServiceIndex.get(index) ?? [];
  }

  public service(name: string, namespace: string): ServiceInfo | undefined {
    return this.servicesByName.get(nameKey(name, namespace));
  }

  public serviceAt(index: number): ServiceInfo | undefined {
    return this.servicesByIndex.get(index);
  }

  /** The pairs an ExternalName Service aliases, by the fully qualified name it points to. */
  public externalNameTarget(service: ServiceInfo): Pair[] | undefined {
    if (getIn(service.spec, 'type') !== 'ExternalName') {
      return undefined;
    }
    const target = asString(getIn(service.spec, 'externalName'));
    const name = target === undefined ? undefined : parseServiceDnsName(target.toLowerCase().replace(/\.$/, ''));
    const pairs = name?.namespace === undefined ? [] : this.byName(name.name, name.namespace);
    return pairs.length > 0 ? pairs : undefined;
  }

  /**
   * The value of a service environment variable of the namespace (`NAME_SERVICE_HOST`,
   * `NAME_SERVICE_PORT`, `NAME_SERVICE_PORT_<PORT NAME>`), or undefined.
   */
  public serviceVariable(variable: string, namespace: string): string | undefined {
    const match = /^([A-Z0-9_]+)_SERVICE_(HOST|PORT)(?:_([A-Z0-9_]+))?$/.exec(variable);
    if (!match) {
      return undefined;
    }
    const service = this.servicesByVariable.get(nameKey(match[1], namespace));
    if (service === undefined || getIn(service.spec, 'clusterIP') === 'None' || getIn(service.spec, 'type') === 'ExternalName') {
      return undefined;
    }
    if (match[2] === 'HOST') {
      return match[3] === undefined ? `\u0000service-${service.object.index}\u0000` : undefined;
    }
    const port = match[3] === undefined
      ? service.ports[0]
      : service.ports.find((p) => p.name !== undefined && p.name.toUpperCase().replace(/-/g, '_') === match[3]);
    return typeof port?.port === 'number' ? String(port.port) : undefined;
  }
}

/** The ports a DaemonSet's pods hold on their node: host ports, or every container port on the host network. */
function agentHostPorts(daemonSet: WorkloadInfo): Set<number> {
  const ports = new Set<number>();
  const hostNetwork = getIn(daemonSet.podSpec, 'hostNetwork') === true;
  for (const container of daemonSet.allContainers) {
    for (const port of container.ports) {
      const number = hostNetwork ? port.containerPort : port.hostPort;
      if (typeof number === 'number' && Number.isSafeInteger(number) && number > 0) {
        ports.add(number);
      }
    }
  }
  return ports;
}

function nameKey(name: string, namespace: string): string {
  return `${name}\u0000${namespace}`;
}

function pushTo<K, V>(map: Map<K, V[]>, k: K, value: V): void {
  const list = map.get(k);
  if (list === undefined) {
    map.set(k, [value]);
  } else if (!list.includes(value)) {
    list.push(value);
  }
}
