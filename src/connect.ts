// Wires a client workload to the agent on its node: the environment variable that carries the
// endpoint, through the Service's DNS name or the node's IP.
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClientEndpoint } from './client-endpoint';
import { ResolvedPort } from './node-local-ports';

/**
 * Options for `NodeLocalDaemonService.connect()`.
 */
export interface ConnectOptions {
  /**
   * The name of the node-local port the client sends to (one of the agent's `ports`).
   */
  readonly port: string;

  /**
   * The environment variable that receives the endpoint, e.g. `OTEL_EXPORTER_OTLP_ENDPOINT`.
   */
  readonly env: string;

  /**
   * A URL scheme: `http` gives `http://host:port`.
   *
   * @default - no scheme: `host:port`
   */
  readonly scheme?: string;

  /**
   * The names of the client's containers that receive the variable.
   *
   * @default - all of the client's containers
   */
  readonly containers?: string[];

  /**
   * How the client reaches the agent.
   *
   * @default ClientEndpoint.service()
   */
  readonly via?: ClientEndpoint;
}

/** What `connect` needs to know of the agent. */
export interface ConnectTarget {
  /** The chart the agent is in: objects of one chart are applied to one namespace. */
  readonly chart: Chart;
  readonly serviceName: string;
  readonly namespace?: string;
  readonly clusterDomain: string;
  readonly ports: ResolvedPort[];
}

/**
 * The variable `ClientEndpoint.hostIp()` defines from the downward API; the endpoint refers to
 * it as `$(NODE_LOCAL_HOST_IP)`, which Kubernetes expands because it is defined first.
 */
export const HOST_IP_ENV = 'NODE_LOCAL_HOST_IP';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/** Set the endpoint variable on the client's containers, or throw without changing anything. */
export function connectClient(target: ConnectTarget, client: kplus.AbstractPod, options: ConnectOptions): void {
  const clientPath = client.node.path;
  if (typeof options.env !== 'string' || !ENV_NAME.test(options.env)) {
    throw new Error(`connect(${clientPath}): env ${JSON.stringify(options.env)} is not a valid environment variable name: use letters, digits, '_', '-' and '.', not starting with a digit, e.g. 'OTEL_EXPORTER_OTLP_ENDPOINT'`);
  }
  if (options.scheme !== undefined && !SCHEME.test(options.scheme)) {
    throw new Error(`connect(${clientPath}): scheme ${JSON.stringify(options.scheme)} is not a URL scheme: use lower-case letters such as 'http' or 'grpc', without '://'`);
  }
  const port = target.ports.find(p => p.name === options.port);
  if (!port) {
    const names = target.ports.map(p => p.name).filter(n => n !== undefined).map(n => `'${n}'`);
    throw new Error(`connect(${clientPath}): port '${options.port}' is not a port of the node-local service: use ${names.length > 0 ? `one of ${names.join(', ')}` : 'a named port: give the port a name'}`);
  }
  const containers = selectContainers(client, options.containers);
  const prefix = options.scheme === undefined ? '' : `${options.scheme}://`;
  const via = options.via ?? ClientEndpoint.service();

  const variables: Array<[string, kplus.EnvValue]> = [];
  if (via.kind === 'hostIp') {
    if (port.hostPort === undefined) {
      throw new Error(`connect(${clientPath}): port '${port.name}' has no host port, so ClientEndpoint.hostIp() cannot reach it: give the port a hostPort (or run the agent with hostNetwork), or use ClientEndpoint.service()`);
    }
    variables.push([HOST_IP_ENV, kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_IP)]);
    variables.push([options.env, kplus.EnvValue.fromValue(`${prefix}$(${HOST_IP_ENV}):${port.hostPort}`)]);
  } else {
    const host = serviceHost(target, ApiObject.of(client).metadata.namespace, Chart.of(client) === target.chart, clientPath);
    variables.push([options.env, kplus.EnvValue.fromValue(`${prefix}${host}:${port.port}`)]);
  }

  // check every container before changing any, so a refused call leaves the client as it was
  for (const container of containers) {
    for (const [name, value] of variables) {
      const existing = container.env.variables[name];
      if (existing !== undefined && !sameValue(existing, value)) {
        throw new Error(`connect(${clientPath}): container '${container.name}' already sets ${name} to ${describe(existing)}, not ${describe(value)}: connect each variable once, or remove the other value`);
      }
    }
  }
  for (const container of containers) {
    for (const [name, value] of variables) {
      if (container.env.variables[name] === undefined) {
        container.env.addVariable(name, value);
      }
    }
  }
}

/**
 * The Service's DNS name as the client must use it: the short name only when both are known to
 * be in one namespace, since a short name resolves only from the Service's own namespace. Two
 * objects of one chart without a namespace are applied together, so they share one.
 */
function serviceHost(target: ConnectTarget, clientNamespace: string | undefined, sameChart: boolean, clientPath: string): string {
  if (target.namespace === undefined && clientNamespace === undefined && sameChart) {
    return target.serviceName;
  }
  if (target.namespace === undefined) {
    throw new Error(`connect(${clientPath}): the namespace of the node-local service '${target.serviceName}' is unknown, so its DNS name cannot be fully qualified and a client in another namespace could not resolve it: set metadata.namespace on the agent or a namespace on its chart (or define the client in the agent's chart, without a namespace)`);
  }
  if (clientNamespace === target.namespace) {
    return target.serviceName;
  }
  return `${target.serviceName}.${target.namespace}.svc.${target.clusterDomain}`;
}

function selectContainers(client: kplus.AbstractPod, names: string[] | undefined): kplus.Container[] {
  const containers = client.containers;
  if (containers.length === 0) {
    throw new Error(`connect(${client.node.path}): the client has no containers: add its containers before connecting it`);
  }
  if (names === undefined) {
    return containers;
  }
  if (names.length === 0) {
    throw new Error(`connect(${client.node.path}): containers is empty: name at least one container, or leave containers unset for all of them`);
  }
  return names.map(name => {
    const found = containers.find(c => c.name === name);
    if (!found) {
      throw new Error(`connect(${client.node.path}): containers names '${name}', which is not a container of the client: use one of ${containers.map(c => `'${c.name}'`).join(', ')}`);
    }
    return found;
  });
}

function sameValue(a: kplus.EnvValue, b: kplus.EnvValue): boolean {
  return JSON.stringify([a.value, a.valueFrom]) === JSON.stringify([b.value, b.valueFrom]);
}

function describe(value: kplus.EnvValue): string {
  return value.value !== undefined ? `'${value.value}'` : JSON.stringify(value.valueFrom);
}
