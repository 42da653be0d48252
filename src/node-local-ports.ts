// Checks and resolves the `ports` prop of NodeLocalDaemonService, so that every Service port
// has a container port behind it and nothing the API server would reject is written.
import * as kplus from 'cdk8s-plus-27';
import { isAppProtocol, isIanaServiceName, isPortNumber, IANA_SVC_NAME_RULE } from './k8s-names';
import { show } from './lint/json';
import { NodeLocalPort } from './node-local-port';
import { aList } from './prop-checks';

/** A port with its defaults applied. */
export interface ResolvedPort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: kplus.Protocol;
  readonly targetPort: number;
  readonly appProtocol?: string;
  readonly container: string;
  readonly hostPort?: number;
}

const PROTOCOLS: string[] = Object.values(kplus.Protocol);

/**
 * Resolve the defaults of every port and refuse any that would make an invalid Service or a
 * port that points at nothing.
 */
export function resolvePorts(ports: NodeLocalPort[] | undefined, containers: kplus.ContainerProps[], hostNetwork: boolean): ResolvedPort[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw new Error(`ports is ${Array.isArray(ports) ? 'empty' : show(ports)}: a node-local service needs at least one port; add one, e.g. ports: [{ port: 4317, name: 'otlp-grpc' }]`);
  }
  const containerNames = containers.map(c => c.name ?? 'main');
  // refuses holes and absurd lengths before reading any item
  aList(() => undefined, "[{ port: 4317, name: 'otlp-grpc' }]", 1000)(ports, 'ports');
  const resolved = adoptDeclaredPorts(
    ports.map((p, i) => resolvePort(p, `ports[${i}]`, containerNames, hostNetwork)),
    declaredPorts(containers),
  );

  const seenPorts = new Map<string, number>();
  const seenNames = new Map<string, number>();
  resolved.forEach((p, i) => {
    const key = `${p.port}/${p.protocol}`;
    const first = seenPorts.get(key);
    if (first !== undefined) {
      throw new Error(`ports[${i}] repeats ${key} of ports[${first}]: each (port, protocol) pair may appear once; remove one or change its port or protocol`);
    }
    seenPorts.set(key, i);
    if (p.name !== undefined) {
      const firstName = seenNames.get(p.name);
      if (firstName !== undefined) {
        throw new Error(`ports[${i}].name '${p.name}' is already the name of ports[${firstName}]: port names must be unique; rename one`);
      }
      seenNames.set(p.name, i);
    }
  });
  checkSharedPorts(resolved);
  if (resolved.length > 1) {
    const unnamed = resolved.findIndex(p => p.name === undefined);
    if (unnamed >= 0) {
      throw new Error(`ports[${unnamed}].name is missing: a Service with more than one port needs a name on every port; give it one, e.g. name: '${defaultName(resolved[unnamed])}'`);
    }
  }
  return resolved;
}

/** A container port the user declared in the container props. */
interface DeclaredPort {
  readonly where: string;
  readonly container: string;
  readonly number: number;
  readonly protocol: string;
  readonly name?: string;
  readonly hostPort?: number;
}

function declaredPorts(containers: kplus.ContainerProps[]): DeclaredPort[] {
  return containers.flatMap((c, i) => (Array.isArray(c.ports) ? c.ports : []).map((d, k) => ({
    where: `containers[${i}].ports[${k}]`,
    container: c.name ?? 'main',
    number: d.number,
    protocol: d.protocol ?? kplus.Protocol.TCP,
    name: d.name,
    hostPort: d.hostPort,
  })));
}

/**
 * A port the container already declares keeps its host port, and the node-local port takes it
 * (so `connect()` through the host IP uses the port the pod binds); a name or host port that
 * contradicts the declaration is refused, naming both.
 */
function adoptDeclaredPorts(resolved: ResolvedPort[], declared: DeclaredPort[]): ResolvedPort[] {
  const adopted = resolved.map((p, i) => {
    const onContainer = declared.filter(d => d.container === p.container);
    const named = onContainer.find(d => p.name !== undefined && d.name === p.name && (d.number !== p.targetPort || d.protocol !== p.protocol));
    if (named) {
      throw new Error(`ports[${i}].name '${p.name}' is already the name of ${named.where} (${named.number}/${named.protocol}) on container '${p.container}': a container port name is unique; rename one`);
    }
    const same = onContainer.find(d => d.number === p.targetPort && d.protocol === p.protocol);
    if (same?.hostPort === undefined) {
      return p;
    }
    if (p.hostPort !== undefined && p.hostPort !== same.hostPort) {
      throw new Error(`ports[${i}].hostPort ${p.hostPort} differs from the host port ${same.hostPort} that ${same.where} declares for ${p.targetPort}/${p.protocol}: a container port has one host port; use the same number or leave ports[${i}].hostPort unset`);
    }
    return { ...p, hostPort: same.hostPort };
  });
  // host ports the containers declare for ports the Service does not use are bound too
  const hostPorts = new Map<string, string>();
  for (const d of declared) {
    if (d.hostPort !== undefined) {
      hostPorts.set(`${d.hostPort}/${d.protocol}`, `${d.container}:${d.number}`);
    }
  }
  adopted.forEach((p, i) => {
    const owner = p.hostPort === undefined ? undefined : hostPorts.get(`${p.hostPort}/${p.protocol}`);
    if (owner !== undefined && owner !== `${p.container}:${p.targetPort}`) {
      throw new Error(`ports[${i}].hostPort ${p.hostPort}/${p.protocol} is already bound by container port ${owner.replace(':', ' ')}: a node binds each host port once per protocol; use another hostPort`);
    }
  });
  return adopted;
}

/**
 * Containers of a pod share one network namespace and the node's ports: two ports may forward to
 * the same container port only on the same container, and a host port is bound once per protocol.
 */
function checkSharedPorts(resolved: ResolvedPort[]): void {
  const listeners = new Map<string, number>();
  const hostPorts = new Map<string, number>();
  resolved.forEach((p, i) => {
    const listen = `${p.targetPort}/${p.protocol}`;
    const first = listeners.get(listen);
    if (first !== undefined && resolved[first].container !== p.container) {
      throw new Error(`ports[${i}] forwards to ${listen} on container '${p.container}', but ports[${first}] forwards to it on container '${resolved[first].container}': containers of a pod share one network, so only one can listen there; use the same container or another targetPort`);
    }
    if (first !== undefined && resolved[first].hostPort !== p.hostPort) {
      throw new Error(`ports[${i}] forwards to ${listen} like ports[${first}] but with host port ${p.hostPort ?? 'none'} instead of ${resolved[first].hostPort ?? 'none'}: a container port has one host port; give both the same hostPort`);
    }
    listeners.set(listen, first ?? i);
    if (p.hostPort === undefined) {
      return;
    }
    const host = `${p.hostPort}/${p.protocol}`;
    const firstHost = hostPorts.get(host);
    if (firstHost !== undefined && resolved[firstHost].targetPort !== p.targetPort) {
      throw new Error(`ports[${i}].hostPort ${host} is already the host port of ports[${firstHost}]: a node binds each host port once per protocol; use another hostPort`);
    }
    hostPorts.set(host, firstHost ?? i);
  });
}

function resolvePort(p: NodeLocalPort, where: string, containerNames: string[], hostNetwork: boolean): ResolvedPort {
  if (p === null || typeof p !== 'object') {
    throw new Error(`${where} is ${show(p)}: a port is an object such as { port: 4317, name: 'otlp-grpc' }`);
  }
  checkPortNumber(`${where}.port`, p.port);
  if (p.targetPort !== undefined) {
    checkPortNumber(`${where}.targetPort`, p.targetPort);
  }
  if (p.name !== undefined && (typeof p.name !== 'string' || !isIanaServiceName(p.name))) {
    throw new Error(`${where}.name ${show(p.name)} is not a valid port name: use ${IANA_SVC_NAME_RULE}, e.g. 'otlp-grpc'`);
  }
  const protocol = p.protocol ?? kplus.Protocol.TCP;
  if (!PROTOCOLS.includes(protocol)) {
    throw new Error(`${where}.protocol ${show(p.protocol)} is not a protocol: use Protocol.TCP, Protocol.UDP or Protocol.SCTP`);
  }
  if (p.appProtocol !== undefined && (typeof p.appProtocol !== 'string' || !isAppProtocol(p.appProtocol))) {
    throw new Error(`${where}.appProtocol ${show(p.appProtocol)} is not a valid application protocol: use an IANA service name such as 'grpc' or 'http', or a prefixed name such as 'kubernetes.io/h2c'`);
  }
  const container = p.container ?? containerNames[0];
  if (!containerNames.includes(container)) {
    throw new Error(`${where}.container ${show(p.container)} names no container of the daemon set: use one of ${containerNames.map(n => `'${n}'`).join(', ')}`);
  }
  const targetPort = p.targetPort ?? p.port;
  if (p.hostPort !== undefined) {
    checkPortNumber(`${where}.hostPort`, p.hostPort);
    if (hostNetwork && p.hostPort !== targetPort) {
      throw new Error(`${where}.hostPort ${p.hostPort} differs from its container port ${targetPort}: with hostNetwork the container port is the host port; remove hostPort or set it to ${targetPort}`);
    }
  }
  return {
    port: p.port,
    name: p.name,
    protocol,
    targetPort,
    appProtocol: p.appProtocol,
    container,
    hostPort: p.hostPort ?? (hostNetwork ? targetPort : undefined),
  };
}

function checkPortNumber(where: string, value: unknown): void {
  if (!isPortNumber(value)) {
    throw new Error(`${where} ${show(value)} is not a port number: use a whole number from 1 to 65535`);
  }
}

function defaultName(p: ResolvedPort): string {
  return `${p.protocol.toLowerCase()}-${p.port}`;
}
