/**
 * The ports of an agent that its clients send to, as NetworkPolicies see them: the container
 * port a Service port forwards to (policies see the pod behind the Service), or the container
 * port behind a host port, and which of them a client uses, from the variable that makes it one.
 */
import { TrafficPort } from './network-policy-model';
import { ClientLink, ContainerPortInfo, Pair, WorkloadInfo } from '../lint/context';
import { asString, getIn } from '../lint/json';
import { isPortNumber } from '../lint/kube';

/** A port of the agent that clients send to, as ingress and egress policies see it. */
export interface Target {
  readonly key: string;
  /** e.g. `Service infra/dns port "dns" (53/UDP, container port 8053)`. */
  readonly display: string;
  /** The destination port after the Service or the port mapping: what the agent's ingress policies see. */
  readonly ingress: TrafficPort;
  /** What the client's egress policies may see (the host port and the container port, for a host port). */
  readonly egress: TrafficPort;
}

/** The ports of the agent that the Service's ports forward to; ports that do not resolve are other rules' findings. */
export function serviceTargets(pair: Pair): Target[] {
  const targets: Target[] = [];
  for (const port of pair.service.ports) {
    const number = targetNumber(pair, port.target);
    if (number === undefined) {
      continue;
    }
    const traffic: TrafficPort = { numbers: [number], protocol: port.protocol };
    targets.push({
      key: `${number}/${port.protocol}`,
      display: `${pair.service.object.display} ${port.display.replace(/\)$/, `, container port ${number})`)}`,
      ingress: traffic,
      egress: traffic,
    });
  }
  return targets;
}

function targetNumber(pair: Pair, target: Pair['service']['ports'][number]['target']): number | undefined {
  if (target.type === 'number') {
    return isPortNumber(target.value) ? target.value : undefined;
  }
  if (target.type === 'name') {
    const found = pair.daemonSet.servingContainers.flatMap((c) => c.ports)
      .find((p) => p.name === target.name && isPortNumber(p.containerPort));
    return found?.containerPort as number | undefined;
  }
  return undefined;
}

/**
 * The ports a client uses: those its variable names (`otel-agent:4317`, `$(HOST_IP):8125`), or
 * every port of the Service when it names none.
 */
export function clientTargets(link: ClientLink): Target[] {
  const numbers = portsAfterColons(envValue(link) ?? '');
  if (link.via === 'service') {
    const all = serviceTargets(link.pair);
    const named = link.pair.service.ports.filter((p) => numbers.includes(p.port as number)).map((p) => p.index);
    const ports = link.pair.service.ports.filter((p) => named.includes(p.index));
    const chosen = serviceTargets({ ...link.pair, service: { ...link.pair.service, ports } });
    return chosen.length > 0 ? chosen : all;
  }
  const agent = link.pair.daemonSet;
  const onHost = hostNetwork(agent);
  const hostPorts = containerPorts(agent).filter((p) => isPortNumber(onHost ? p.containerPort : p.hostPort) && isPortNumber(p.containerPort));
  // the port may be in another variable (DD_AGENT_HOST and DD_DOGSTATSD_PORT): then any host port may be the one
  const named = hostPorts.filter((p) => numbers.includes((onHost ? p.containerPort : p.hostPort) as number));
  const targets: Target[] = [];
  for (const port of named.length > 0 ? named : hostPorts) {
    const host = (onHost ? port.containerPort : port.hostPort) as number;
    const container = port.containerPort as number;
    targets.push({
      key: `${container}/${port.protocol}`,
      display: `host port ${host}/${port.protocol} of ${agent.object.display} (container port ${container})`,
      ingress: { numbers: [container], protocol: port.protocol },
      egress: { numbers: host === container ? [container] : [host, container], protocol: port.protocol },
    });
  }
  return uniqueTargets(targets);
}

/** The port numbers that follow a colon in a value, e.g. 8125 in `$(HOST_IP):8125` or `udp://host:8125/x`. */
function portsAfterColons(text: string): number[] {
  return [...text.matchAll(/:([0-9]{1,5})(?![0-9A-Za-z])/g)].map((m) => Number(m[1]));
}

/** The value of the variable that makes the workload a client (undefined for an envFrom entry). */
function envValue(link: ClientLink): string | undefined {
  const keys = link.path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let value: unknown = link.workload.object.raw;
  for (const key of keys) {
    value = Array.isArray(value) ? (/^[0-9]+$/.test(key) ? value[Number(key)] : undefined) : getIn(value, key);
  }
  return asString(getIn(value, 'value'));
}

/** Whether the workload's pods use the node's network. */
export function hostNetwork(workload: WorkloadInfo): boolean {
  return getIn(workload.podSpec, 'hostNetwork') === true;
}

/** Every port the workload's containers declare. */
export function containerPorts(workload: WorkloadInfo): ContainerPortInfo[] {
  return workload.allContainers.flatMap((c) => c.ports);
}

/** The targets, each port once. */
export function uniqueTargets(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.key) && seen.add(t.key) !== undefined);
}
