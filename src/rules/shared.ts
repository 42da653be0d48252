/**
 * Small helpers several rules share (wording and pod facts), kept here so each rule file only
 * holds its own check.
 */
import { ContainerInfo, ContainerPortInfo, WorkloadInfo } from '../lint/context';
import { getIn, isInteger, show } from '../lint/json';

/** The ways a DaemonSet's pods hold ports on the node itself, e.g. `hostNetwork: true`. */
export function hostPortUses(daemonSet: WorkloadInfo): string[] {
  const uses: string[] = [];
  if (getIn(daemonSet.podSpec, 'hostNetwork') === true) {
    uses.push('hostNetwork: true');
  }
  for (const container of daemonSet.allContainers) {
    for (const port of container.ports) {
      if (isInteger(port.hostPort) && port.hostPort !== 0) {
        uses.push(`${container.display} hostPort ${port.hostPort}/${port.protocol}`);
      }
    }
  }
  return uses;
}

/** A container port for a message, e.g. `"dns" 53/UDP` or `8080/TCP`. */
export function showContainerPort(port: ContainerPortInfo): string {
  const numbers = `${show(port.containerPort)}/${port.protocol}`;
  return port.name !== undefined ? `${show(port.name)} ${numbers}` : numbers;
}

/** The ports the serving containers declare, as a phrase: `its ports are "dns" 53/UDP, 9153/TCP` or `it declares no ports`. */
export function declaredPorts(daemonSet: WorkloadInfo): string {
  const ports = daemonSet.servingContainers.flatMap((c) => c.ports.map(showContainerPort));
  return ports.length === 0 ? 'it declares no ports' : `its ports are ${ports.join(', ')}`;
}

/** The serving container that declares a port matching the predicate, with that port. */
export function findContainerPort(
  daemonSet: WorkloadInfo,
  predicate: (port: ContainerPortInfo) => boolean,
): { readonly container: ContainerInfo; readonly port: ContainerPortInfo } | undefined {
  for (const container of daemonSet.servingContainers) {
    for (const port of container.ports) {
      if (predicate(port)) {
        return { container, port };
      }
    }
  }
  return undefined;
}

/** The recommended rolling update for a node-local DaemonSet, as a field path and value. */
export const SURGE_STRATEGY = 'spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}';

/** The rolling update for a DaemonSet that holds host ports and so cannot surge. */
export const NO_SURGE_STRATEGY = 'spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}';
