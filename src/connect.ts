// Wires a client workload to the agent on its node: the environment variable that carries the
// endpoint, through the Service's DNS name or the node's IP. The client can come from anywhere
// (any cdk8s-plus, generated Kube* classes, ApiObject, Include): only its API object is read.
import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClientEndpoint } from './client-endpoint';
import { conflictingEntry, describeEnvValue, envList, EnvVar, wireEnv } from './client-env';
import { ACCEPTED_CLIENTS, ClientWorkload, containerNames, findClientWorkload } from './client-workload';
import { asArray, asNonEmptyString, getIn, show } from './lint/json';
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
   * The names of the client's containers that receive the variable (containers, not init
   * containers).
   *
   * @default - every container the client has when `connect()` is called
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
  /** The agent's own DaemonSet, which cannot be its own client. */
  readonly daemonSet: ApiObject;
}

/**
 * The variable `ClientEndpoint.hostIp()` defines from the downward API; the endpoint refers to
 * it as `$(NODE_LOCAL_HOST_IP)`, which Kubernetes expands because it is defined first.
 */
export const HOST_IP_ENV = 'NODE_LOCAL_HOST_IP';

const OPTION_KEYS = ['port', 'env', 'scheme', 'containers', 'via'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/** The options, checked. */
interface Connection {
  readonly port: ResolvedPort;
  readonly env: string;
  readonly prefix: string;
  readonly containers?: string[];
  readonly via: ClientEndpoint;
}

/**
 * Set the endpoint variable on the client's containers, or throw without changing anything:
 * every check runs before the variables are wired.
 */
export function connectClient(target: ConnectTarget, client: IConstruct, options: ConnectOptions): void {
  if (!Construct.isConstruct(client)) {
    throw new Error(`connect(client): client ${show(client)} is not a construct: ${ACCEPTED_CLIENTS}`);
  }
  const where = `connect(${client.node.path})`;
  const connection = checkOptions(target, options, where);
  const workload = findClientWorkload(client, where);
  if (workload.apiObject === target.daemonSet) {
    throw new Error(`${where}: the client is the agent's own DaemonSet, which would send to itself: connect the workloads that send to the agent`);
  }
  const containers = selectContainers(workload, connection.containers, where);
  const variables = endpointVariables(target, workload, connection, where);

  const podSpec = getIn(workload.json, ...workload.podSpecKeys);
  const all = asArray(getIn(podSpec, 'containers'));
  const names = containerNames(podSpec);
  for (const name of containers) {
    const env = envList(all[names.indexOf(name)], name, where);
    for (const variable of variables) {
      const existing = conflictingEntry(env, variable);
      if (existing !== undefined) {
        throw new Error(`${where}: container '${name}' already sets ${variable.name} to ${describeEnvValue(existing)}, not ${describeEnvValue(variable)}: connect each variable once, or remove the other value`);
      }
    }
  }
  for (const name of containers) {
    wireEnv(workload.apiObject, name, variables, where);
  }
}

function checkOptions(target: ConnectTarget, options: ConnectOptions, where: string): Connection {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`${where}: options ${show(options)} is not an object: pass e.g. { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT' }`);
  }
  const unknown = Object.keys(options).find(k => !OPTION_KEYS.includes(k));
  if (unknown !== undefined) {
    throw new Error(`${where}: options has no option ${show(unknown)}: use ${OPTION_KEYS.join(', ')}`);
  }
  const { env, scheme, via } = options;
  if (typeof env !== 'string' || !ENV_NAME.test(env)) {
    throw new Error(`${where}: env ${show(env)} is not a valid environment variable name: use letters, digits, '_', '-' and '.', not starting with a digit, e.g. 'OTEL_EXPORTER_OTLP_ENDPOINT'`);
  }
  if (scheme !== undefined && (typeof scheme !== 'string' || !SCHEME.test(scheme))) {
    throw new Error(`${where}: scheme ${show(scheme)} is not a URL scheme: use lower-case letters such as 'http' or 'grpc', without '://'`);
  }
  if (via !== undefined && !(via instanceof ClientEndpoint)) {
    throw new Error(`${where}: via ${show(via)} is not a ClientEndpoint: use ClientEndpoint.service() or ClientEndpoint.hostIp()`);
  }
  return {
    port: findPort(target, options.port, where),
    env,
    prefix: scheme === undefined ? '' : `${scheme}://`,
    containers: checkContainerNames(options.containers, where),
    via: via ?? ClientEndpoint.service(),
  };
}

function findPort(target: ConnectTarget, name: unknown, where: string): ResolvedPort {
  const port = typeof name === 'string' ? target.ports.find(p => p.name === name) : undefined;
  if (port === undefined) {
    const names = target.ports.map(p => p.name).filter(n => n !== undefined).map(n => `'${n}'`);
    const shown = typeof name === 'string' ? `'${name}'` : show(name);
    throw new Error(`${where}: port ${shown} is not a port of the node-local service: use ${names.length > 0 ? `one of ${names.join(', ')}` : 'a named port: give the port a name'}`);
  }
  return port;
}

function checkContainerNames(containers: unknown, where: string): string[] | undefined {
  if (containers === undefined) {
    return undefined;
  }
  if (!Array.isArray(containers)) {
    throw new Error(`${where}: containers ${show(containers)} is not a list of container names: use e.g. containers: ['app'], or leave containers unset for all of them`);
  }
  if (containers.length === 0) {
    throw new Error(`${where}: containers is empty: name at least one container, or leave containers unset for all of them`);
  }
  const names = asArray(containers);
  names.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') {
      throw new Error(`${where}: containers[${i}] ${show(name)} is not a container name: use the name of one of the client's containers`);
    }
    const first = names.indexOf(name);
    if (first !== i) {
      throw new Error(`${where}: containers[${i}] '${name}' repeats containers[${first}]: name each container once`);
    }
  });
  return names as string[];
}

function selectContainers(workload: ClientWorkload, wanted: string[] | undefined, where: string): string[] {
  const names = containerNames(getIn(workload.json, ...workload.podSpecKeys));
  if (names.length === 0) {
    throw new Error(`${where}: the client has no containers: add its containers before connecting it`);
  }
  const known = names.filter((n): n is string => n !== undefined);
  if (wanted === undefined) {
    const unnamed = names.indexOf(undefined);
    if (unnamed >= 0) {
      throw new Error(`${where}: container ${unnamed} of ${workload.display} has no name, which Kubernetes requires: name it, or name the containers to connect in containers`);
    }
    return names as string[];
  }
  for (const name of wanted) {
    if (!known.includes(name)) {
      throw new Error(`${where}: containers names '${name}', which is not a container of the client: use one of ${known.map(c => `'${c}'`).join(', ')}`);
    }
  }
  return wanted;
}

/** The variables that give the client the endpoint, in the order they must be defined. */
function endpointVariables(target: ConnectTarget, workload: ClientWorkload, c: Connection, where: string): EnvVar[] {
  if (c.via.kind === 'hostIp') {
    if (c.env === HOST_IP_ENV) {
      throw new Error(`${where}: env '${HOST_IP_ENV}' is the variable ClientEndpoint.hostIp() gives the node's IP: choose another name for the endpoint, e.g. 'STATSD_ADDRESS'`);
    }
    if (c.port.hostPort === undefined) {
      throw new Error(`${where}: port '${c.port.name}' has no host port, so ClientEndpoint.hostIp() cannot reach it: give the port a hostPort (or run the agent with hostNetwork), or use ClientEndpoint.service()`);
    }
    return [
      { name: HOST_IP_ENV, valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: c.env, value: `${c.prefix}$(${HOST_IP_ENV}):${c.port.hostPort}` },
    ];
  }
  const clientNamespace = asNonEmptyString(getIn(workload.json, 'metadata', 'namespace'));
  const sameChart = Chart.of(workload.apiObject) === target.chart;
  const host = serviceHost(target, clientNamespace, sameChart, where);
  return [{ name: c.env, value: `${c.prefix}${host}:${c.port.port}` }];
}

/**
 * The Service's DNS name as the client must use it: the short name only when both are known to
 * be in one namespace, since a short name resolves only from the Service's own namespace. Two
 * objects of one chart without a namespace are applied together, so they share one.
 */
function serviceHost(target: ConnectTarget, clientNamespace: string | undefined, sameChart: boolean, where: string): string {
  if (target.namespace === undefined && clientNamespace === undefined && sameChart) {
    return target.serviceName;
  }
  if (target.namespace === undefined) {
    throw new Error(`${where}: the namespace of the node-local service '${target.serviceName}' is unknown, so its DNS name cannot be fully qualified and a client in another namespace could not resolve it: set metadata.namespace on the agent or a namespace on its chart (or define the client in the agent's chart, without a namespace)`);
  }
  if (clientNamespace === target.namespace) {
    return target.serviceName;
  }
  return `${target.serviceName}.${target.namespace}.svc.${target.clusterDomain}`;
}
