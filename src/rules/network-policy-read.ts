/**
 * NetworkPolicies (networking.k8s.io/v1) as the API server accepts them, with Kubernetes'
 * defaults: Ingress always and Egress when there are egress rules (no policyTypes), TCP, and
 * every peer or port when a list is empty. A policy the API server would reject is none.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
import { ObjectInfo } from '../lint/context';
import { asObject, getIn, isInteger, JsonObject, pointer } from '../lint/json';
import { ianaServiceNameError, matchLabelSelector, PORT_PROTOCOLS } from '../lint/kube';

/** One rule of a policy: traffic it admits must match a peer and a port. */
export interface PolicyRule {
  /** JSON pointer of the rule in its policy, e.g. `/spec/ingress/0`. */
  readonly path: string;
  /** The peers (`from` or `to`); undefined when the rule admits every peer. */
  readonly peers?: Peer[];
  /** The ports; undefined when the rule admits every port. */
  readonly ports?: PolicyPort[];
}

/** A peer of a rule. */
export type Peer =
  | { readonly kind: 'ipBlock'; readonly cidr: string }
  | { readonly kind: 'selectors'; readonly podSelector?: unknown; readonly namespaceSelector?: unknown };

/** A port of a rule, after defaulting (protocol TCP). */
export interface PolicyPort {
  readonly protocol: string;
  /** A number, a port name, or undefined for every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** A NetworkPolicy the API server would accept. */
export interface PolicyInfo {
  readonly object: ObjectInfo;
  readonly podSelector: unknown;
  /** Whether it isolates the pods it selects for ingress and for egress (policyTypes, or as Kubernetes implies them). */
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly ingressRules: PolicyRule[];
  readonly egressRules: PolicyRule[];
}

/** A NetworkPolicy as the API server accepts it, with Kubernetes' defaults; undefined when it would be rejected. */
export function readPolicy(object: ObjectInfo): PolicyInfo | undefined {
  const spec = getIn(object.raw, 'spec');
  if (spec !== undefined && spec !== null && asObject(spec) === undefined) {
    return undefined;
  }
  const podSelector = getIn(spec, 'podSelector') ?? {};
  if (!validSelector(podSelector)) {
    return undefined;
  }
  const ingressRules = readRules(getIn(spec, 'ingress'), '/spec/ingress', 'from');
  const egressRules = readRules(getIn(spec, 'egress'), '/spec/egress', 'to');
  if (ingressRules === undefined || egressRules === undefined) {
    return undefined;
  }
  const rawTypes = getIn(spec, 'policyTypes');
  let ingress: boolean;
  let egress: boolean;
  if (rawTypes === undefined || rawTypes === null || (Array.isArray(rawTypes) && rawTypes.length === 0)) {
    // Kubernetes' default: Ingress always, Egress when there are egress rules
    ingress = true;
    egress = egressRules.length > 0;
  } else if (Array.isArray(rawTypes) && rawTypes.length <= 2 && rawTypes.every((t) => t === 'Ingress' || t === 'Egress')
    && new Set(rawTypes).size === rawTypes.length) {
    ingress = rawTypes.includes('Ingress');
    egress = rawTypes.includes('Egress');
  } else {
    return undefined;
  }
  return { object, podSelector, ingress, egress, ingressRules, egressRules };
}

function readRules(value: unknown, path: string, peersKey: 'from' | 'to'): PolicyRule[] | undefined {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const rules: PolicyRule[] = [];
  for (const [i, raw] of Array.from(value).entries()) {
    if (raw !== null && raw !== undefined && asObject(raw) === undefined) {
      return undefined;
    }
    const peers = readList(getIn(raw, peersKey), readPeer);
    const ports = readList(getIn(raw, 'ports'), readPort);
    if (peers === false || ports === false) {
      return undefined;
    }
    rules.push({ path: pointer(path, i), peers, ports });
  }
  return rules;
}

/** A list of a rule: undefined when absent or empty (every peer or port), false when invalid. */
function readList<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined | false {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    return false;
  }
  const items: T[] = [];
  for (const raw of Array.from(value)) {
    const item = read(raw);
    if (item === undefined) {
      return false;
    }
    items.push(item);
  }
  return items.length === 0 ? undefined : items;
}

function readPeer(raw: unknown): Peer | undefined {
  const peer = asObject(raw);
  if (peer === undefined) {
    return undefined;
  }
  const present = (key: string): boolean => getIn(peer, key) !== undefined && getIn(peer, key) !== null;
  if (present('ipBlock')) {
    const cidr = getIn(peer, 'ipBlock', 'cidr');
    const except = getIn(peer, 'ipBlock', 'except');
    const exceptOk = except === undefined || except === null || (Array.isArray(except) && except.every((e) => typeof e === 'string'));
    if (present('podSelector') || present('namespaceSelector') || typeof cidr !== 'string' || cidr === '' || !exceptOk) {
      return undefined;
    }
    return { kind: 'ipBlock', cidr };
  }
  const podSelector = present('podSelector') ? getIn(peer, 'podSelector') : undefined;
  const namespaceSelector = present('namespaceSelector') ? getIn(peer, 'namespaceSelector') : undefined;
  if (podSelector === undefined && namespaceSelector === undefined) {
    return undefined; // a peer must name something
  }
  if ((podSelector !== undefined && !validSelector(podSelector)) || (namespaceSelector !== undefined && !validSelector(namespaceSelector))) {
    return undefined;
  }
  return { kind: 'selectors', podSelector, namespaceSelector };
}

function readPort(raw: unknown): PolicyPort | undefined {
  const entry: JsonObject | undefined = raw === null ? {} : asObject(raw);
  if (entry === undefined) {
    return undefined;
  }
  const rawProtocol = getIn(entry, 'protocol');
  const protocol = rawProtocol === undefined || rawProtocol === null ? 'TCP' : rawProtocol;
  if (typeof protocol !== 'string' || !PORT_PROTOCOLS.includes(protocol)) {
    return undefined;
  }
  const port = getIn(entry, 'port');
  const endPort = getIn(entry, 'endPort');
  const hasEnd = endPort !== undefined && endPort !== null;
  if (port === undefined || port === null) {
    return hasEnd ? undefined : { protocol };
  }
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) {
      return readNumberPort(Number(port), endPort, hasEnd, protocol); // an int-or-string given as a string
    }
    return ianaServiceNameError(port) === undefined && !hasEnd ? { protocol, port } : undefined;
  }
  return readNumberPort(port, endPort, hasEnd, protocol);
}

function readNumberPort(port: unknown, endPort: unknown, hasEnd: boolean, protocol: string): PolicyPort | undefined {
  if (!isInteger(port) || port < 1 || port > 65535) {
    return undefined;
  }
  if (!hasEnd) {
    return { protocol, port };
  }
  return isInteger(endPort) && endPort >= port && endPort <= 65535 ? { protocol, port, endPort } : undefined;
}

function validSelector(selector: unknown): boolean {
  if (selector !== null && selector !== undefined && asObject(selector) === undefined) {
    return false;
  }
  return matchLabelSelector(selector, new Map()).invalid.length === 0;
}
