import { findContainerPort } from './shared';
import { ContainerInfo, WorkloadInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { asObject, getIn } from '../lint/json';
import { isPortNumber } from '../lint/kube';
import { ALL_MODES, Rule, violation } from '../lint/rule';

interface Served {
  readonly daemonSet: WorkloadInfo;
  readonly container: ContainerInfo;
  readonly ports: string[];
}

/** NL101: the container behind a Service port has a readiness probe. */
export const missingReadinessProbe: Rule = {
  id: 'NL101',
  name: 'missing-readiness-probe',
  severity: Severity.WARNING,
  summary: 'Each container of the DaemonSet that serves a port of the node-local Service has a readinessProbe.',
  reason: 'Without a readiness probe a pod is ready as soon as its containers start, so kube-proxy routes the node\'s traffic '
    + 'to the agent before it listens (after every restart and rollout), and keeps routing to an agent that hangs. With '
    + 'internalTrafficPolicy: Local there is no endpoint on another node to fall back to: the traffic is dropped. '
    + 'See https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-readiness-probes',
  fix: 'Add a readinessProbe (tcpSocket, httpGet, grpc or exec) that passes only when the agent serves the port.',
  limits: 'It checks that a serving container has a readinessProbe, not that the probe tests the port the Service '
    + 'sends to, nor that it is strict enough to fail while the agent hangs.',
  trafficModes: ALL_MODES,
  check: (context) => {
    const served = new Map<string, Served>();
    for (const { service, daemonSet } of context.pairs) {
      for (const port of service.ports) {
        let container: ContainerInfo | undefined;
        const target = port.target;
        if (target.type === 'name') {
          container = findContainerPort(daemonSet, (p) => p.name === target.name && p.protocol === port.protocol)?.container;
        } else if (target.type === 'number' && isPortNumber(target.value)) {
          container = findContainerPort(daemonSet, (p) => p.containerPort === target.value && p.protocol === port.protocol)?.container;
          // A port no container declares is served by the only container, if there is one.
          const regular = daemonSet.servingContainers.filter((c) => !c.init);
          if (container === undefined && regular.length === 1) {
            container = regular[0];
          }
        }
        if (container === undefined) {
          continue;
        }
        const key = `${daemonSet.object.index} ${container.path}`;
        const entry = served.get(key) ?? { daemonSet, container, ports: [] };
        entry.ports.push(`${service.object.display} ${port.display}`);
        served.set(key, entry);
      }
    }
    // one finding per DaemonSet, naming every container at fault
    const byDaemonSet = new Map<WorkloadInfo, Served[]>();
    for (const entry of served.values()) {
      if (asObject(getIn(entry.container.raw, 'readinessProbe')) === undefined) {
        byDaemonSet.set(entry.daemonSet, [...byDaemonSet.get(entry.daemonSet) ?? [], entry]);
      }
    }
    return [...byDaemonSet].map(([daemonSet, entries]) => {
      const local = context.dropsTraffic(daemonSet.object.index);
      const why = local
        ? 'with internalTrafficPolicy Local there is no other endpoint to fall back to'
        : 'PreferSameNode prefers the node\'s own endpoint, so the traffic goes to it rather than to another node';
      const containers = entries.map(({ container, ports }) => `${container.display} serves ${ports.join(', ')}`);
      const names = entries.map(({ container }) => container.display);
      return violation(daemonSet.object, `${entries[0].container.path}/readinessProbe`,
        `${daemonSet.object.display} ${containers.join('; ')}${names.length === 1 ? ' but has no' : ', and none of them has a'} readinessProbe: `
        + 'the pod is ready as soon as the container starts, so the node\'s traffic reaches it before it listens and while it '
        + `hangs, and ${why}`,
        `Add a readinessProbe to ${names.join(' and ')} of ${daemonSet.object.display} that checks the served port `
        + '(e.g. readinessProbe: {tcpSocket: {port: <the container port>}})');
    });
  },
};
