/**
 * The wording the two short-name rules share (NL020, NL131): a client in one namespace that names
 * a node-local Service of another namespace by its short name.
 */
import { ShortNameMiss } from '../lint/context';
import { show } from '../lint/json';
import { Violation, violation } from '../lint/rule';

/** The DNS search path a short name resolves through, for the rules' reasons. */
export const SHORT_NAME_DOCS = 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services';

/** The client's namespace for a message. */
function namespaceOf(miss: ShortNameMiss): string {
  const key = miss.workload.object.namespaceKey;
  return key === '' ? 'its own namespace (which the app does not set)' : `its own namespace ${key}`;
}

/** The fully qualified names that reach the node-local Services of that name, e.g. `otel-agent.obs.svc.cluster.local:4317`. */
export function qualifiedNames(miss: ShortNameMiss): string {
  const port = miss.port === undefined ? '' : `:${miss.port}`;
  return miss.pairs.map((p) => `${miss.name}.${p.service.object.namespaceKey}.svc.cluster.local${port}`)
    .filter((v, i, all) => all.indexOf(v) === i).join(' or ');
}

/** The node-local Services of that name, e.g. `Service obs/otel-agent`. */
function nodeLocal(miss: ShortNameMiss): string {
  return miss.pairs.map((p) => p.service.object.display).filter((v, i, all) => all.indexOf(v) === i).join(' and ');
}

/** A hint for a client without metadata.namespace: it may be applied to the agent's namespace with -n. */
function namespaceHint(miss: ShortNameMiss): string {
  if (miss.workload.object.namespace !== undefined || miss.workload.object.namespaceKey === '') {
    return '';
  }
  const agent = miss.pairs[0].service.object.namespaceKey;
  return ` (${miss.workload.object.display} has no metadata.namespace and is taken to be in ${show(miss.workload.object.namespaceKey)}; `
    + `if it is applied to namespace ${agent}, as helm install -n ${agent} does, lint with --namespace ${agent})`;
}

/** NL020's violation: nothing of that name in the client's namespace. */
export function unresolvedViolation(miss: ShortNameMiss): Violation {
  const client = miss.workload.object.display;
  return {
    ...violation(miss.workload.object, miss.path,
      `${client} sends to ${show(miss.name)} (${miss.evidence}), a short name that resolves in ${namespaceOf(miss)} only, and `
      + `no Service ${miss.name} is there among the manifests: the name does not resolve and the traffic goes nowhere; the `
      + `node-local ${nodeLocal(miss)} is in another namespace${namespaceHint(miss)}`,
      `Name the node-local Service by its fully qualified name in ${client}: ${qualifiedNames(miss)} (with your cluster domain; `
      + 'connect() writes it), or deploy the client in the Service\'s namespace'),
    pair: miss.pairs[0],
  };
}

/** NL131's violation: another Service of that name in the client's namespace gets the traffic. */
export function otherServiceViolation(miss: ShortNameMiss): Violation {
  const client = miss.workload.object.display;
  return {
    ...violation(miss.workload.object, miss.path,
      `${client} sends to ${show(miss.name)} (${miss.evidence}), a short name that resolves in ${namespaceOf(miss)}, to `
      + `${miss.local!.object.display}: not to the node-local ${nodeLocal(miss)}, which has the same name in another namespace`
      + namespaceHint(miss),
      `If ${client} is meant to reach the node-local agent, name it ${qualifiedNames(miss)} (with your cluster domain); if it is `
      + `meant to reach ${miss.local!.object.display}, keep it and acknowledge NL131 on ${client}`),
    pair: miss.pairs[0],
  };
}
