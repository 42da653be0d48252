/**
 * Whether the NetworkPolicies of the manifests let clients reach their node-local agent: the
 * ingress policies that select the agent's pods (NL016), the egress policies that select a
 * client's pods (NL017), and what cannot be proven either way (NL109). Computed once per lint,
 * shared by the three rules. Policies are indexed by namespace, so each agent and each client
 * is compared with the policies of its own namespace only.
 */
import {
  and, Endpoint, NO, not, or, PolicyIndex, portsMatch, ruleAdmits, selects, Tri, TrafficPort, NAMESPACE_NAME_LABEL, YES,
} from './network-policy-model';
import { PolicyInfo, PolicyRule } from './network-policy-read';
import { clientTargets, containerPorts, hostNetwork, serviceTargets, Target, uniqueTargets } from './network-policy-targets';
import { ClientLink, ContainerPortInfo, LintContext, Pair, WorkloadInfo } from '../lint/context';
import { groupBy } from '../lint/group-by';
import { show } from '../lint/json';
import { showLabels } from '../lint/kube';
import { Violation, violation } from '../lint/rule';

/** The violations of the three rules in one lint. */
export interface PolicyViolations {
  /** NL016: ingress to the agent is certainly denied. */
  readonly ingressDenied: Violation[];
  /** NL017: a client's egress to the agent is certainly denied. */
  readonly egressDenied: Violation[];
  /** NL109: admission cannot be proven either way. */
  readonly unproven: Violation[];
}

const CACHE = new WeakMap<LintContext, PolicyViolations>();

/** The violations of a lint, computed on first use. */
export function policyViolations(context: LintContext): PolicyViolations {
  let result = CACHE.get(context);
  if (result === undefined) {
    result = analyze(context);
    CACHE.set(context, result);
  }
  return result;
}

/** A policy that selects, or may select, the pods on one side. */
interface Candidate {
  readonly policy: PolicyInfo;
  readonly selected: Tri;
}

/** The policies that apply to one side in one direction. */
interface Applying {
  readonly direction: 'ingress' | 'egress';
  readonly candidates: Candidate[];
  /** Whether the side is isolated in that direction. */
  readonly isolated: Tri;
  /** Identifies the candidates and how they select, so that sides with the same policies share verdicts. */
  readonly id: number;
  /** Whether a rule of the candidates has a pod selector (verdicts then depend on the remote pods' labels). */
  readonly podPeers: boolean;
  /** Whether a rule of the candidates has a named port (verdicts then depend on the destination's ports). */
  readonly namedPorts: boolean;
}

/**
 * Verdicts shared by the sides that have the same policies and the same remote facts: each
 * distinct question is answered once, so many clients in few namespaces cost little.
 */
class Memo {
  private readonly signatures = new Map<string, number>();
  private readonly verdicts = new Map<string, Tri>();

  /** The id of a set of candidates. */
  public idOf(signature: string): number {
    let id = this.signatures.get(signature);
    if (id === undefined) {
      id = this.signatures.size;
      this.signatures.set(signature, id);
    }
    return id;
  }

  /** Whether traffic with `remote` on `port` passes the applying policies, computed once per distinct question. */
  public admitted(applying: Applying, remote: Endpoint, port: TrafficPort, destination: ContainerPortInfo[]): Tri {
    const key = [
      applying.id,
      `${port.numbers.join('/')}/${port.protocol}`,
      remote.namespaceKey,
      remote.nodeAddressWhy ?? '',
      applying.podPeers ? `${remote.workload.object.kind}${JSON.stringify([...remote.podLabels.known])}` : '',
      applying.namedPorts ? JSON.stringify(destination.map((p) => [p.name, p.containerPort, p.protocol])) : '',
    ].join('\u0000');
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = admitted(applying, remote, port, destination);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }
}

function analyze(context: LintContext): PolicyViolations {
  const result: PolicyViolations = { ingressDenied: [], egressDenied: [], unproven: [] };
  if (!context.objects.some((o) => o.kind === 'NetworkPolicy')) {
    return result;
  }
  const index = PolicyIndex.of(context);
  const memo = new Memo();
  const pairsOf = groupBy(context.pairs, (p) => p.daemonSet);
  const clientsOf = groupBy(context.clients(), (l) => l.pair.daemonSet);
  for (const [daemonSet, pairs] of pairsOf) {
    checkIngress(memo, index, daemonSet, pairs, clientsOf.get(daemonSet) ?? [], result);
  }
  for (const link of context.clients()) {
    checkEgress(memo, index, link, result);
  }
  return result;
}

function checkIngress(memo: Memo, index: PolicyIndex, daemonSet: WorkloadInfo, pairs: Pair[], links: ClientLink[], out: PolicyViolations): void {
  if (hostNetwork(daemonSet)) {
    return; // most network plugins do not police host-network pods: see the rules' limits
  }
  const agent = index.endpoint(daemonSet);
  const applying = applyingPolicies(memo, 'ingress', index.policies(agent.namespaceKey, 'ingress'), agent);
  if (applying.isolated.truth === 'no') {
    return;
  }
  const destination = containerPorts(daemonSet);
  const targets = uniqueTargets(pairs.flatMap((p) => serviceTargets(p)));
  const blocked = targets.filter((t) => !applying.candidates.some((c) => c.policy.ingressRules.some((r) =>
    portsMatch(r, t.ingress, destination).truth !== 'no')));
  const blockedKeys = new Set(blocked.map((t) => t.key));
  const denied: string[] = [];
  const deniedFixes: string[] = [];
  const unproven: string[] = [];
  if (blocked.length > 0) {
    const what = `no ingress rule admits ${list(blocked.map((t) => t.display))} from any source`;
    (applying.isolated.truth === 'yes' ? denied : unproven).push(applying.isolated.truth === 'yes' ? what
      : `${what}, if they select its pods (${applying.isolated.why.join('; ')})`);
    deniedFixes.push(`admit ${list(blocked.map((t) => portSpec(t.ingress)))} in an ingress rule, e.g. `
      + `{ports: [${blocked.map((t) => portSpec(t.ingress)).join(', ')}], from: [${peersFor(links, applying).join(', ')}]} `
      + '(or remove from the Service a port no client is meant to reach)');
  }
  for (const link of uniqueClients(links)) {
    const client = index.endpoint(link.workload, ingressNodeWhy(link));
    const used = clientTargets(link).filter((t) => !blockedKeys.has(t.key));
    const verdicts = used.map((t) => ({ target: t, tri: memo.admitted(applying, client, t.ingress, destination) }));
    const judged = judge(verdicts, `${link.workload.object.display} (${describeEndpoint(client)})`);
    if (judged?.denied) {
      denied.push(judged.text);
      deniedFixes.push(`admit ${link.workload.object.display} with the peer ${peerFor(link.workload, applying.candidates[0].policy)} `
        + `and the port${verdicts.length > 1 ? 's' : ''} ${list(verdicts.map((v) => portSpec(v.target.ingress)))}`);
    } else if (judged !== undefined) {
      unproven.push(judged.text);
    }
  }
  const policies = applying.candidates;
  const first = reportedPolicy(policies);
  const related = policies.filter((c) => c !== first).map((c) => ({ object: c.policy.object, path: '/spec/podSelector' }));
  const selectText = `${describePolicies(policies)} ${policies.length > 1 ? 'select' : 'selects'} the pods of ${daemonSet.object.display} for Ingress`;
  if (denied.length > 0) {
    out.ingressDenied.push({
      ...violation(first.policy.object, '/spec/ingress',
        `${selectText}, and ${capped(denied)}: the network plugin drops these packets on every node, so clients of the `
        + 'node-local Service time out (policies add up: a packet passes when any policy that selects the pod admits it)',
        `In ${first.policy.object.display} (or another NetworkPolicy that selects the pods of ${daemonSet.object.display}), `
        + capped(deniedFixes)),
      pair: pairs[0],
      related,
    });
  }
  if (unproven.length > 0) {
    out.unproven.push({
      ...violation(first.policy.object, '/spec/ingress',
        `${selectText}, and the rule cannot prove that they admit the node-local traffic: ${capped(unproven)}`,
        `Admit the clients of ${daemonSet.object.display} with pod and namespace selectors the manifests decide (the label `
        + `${NAMESPACE_NAME_LABEL} names every namespace, and a Namespace among the manifests gives its labels), or `
        + 'acknowledge NL109 if the cluster admits them'),
      pair: pairs[0],
      related,
    });
  }
}

function checkEgress(memo: Memo, index: PolicyIndex, link: ClientLink, out: PolicyViolations): void {
  if (hostNetwork(link.workload)) {
    return; // most network plugins do not police host-network pods
  }
  const client = index.endpoint(link.workload);
  const applying = applyingPolicies(memo, 'egress', index.policies(client.namespaceKey, 'egress'), client);
  if (applying.isolated.truth === 'no') {
    return;
  }
  const agentWorkload = link.pair.daemonSet;
  const agent = index.endpoint(agentWorkload, egressNodeWhy(link));
  const destination = containerPorts(agentWorkload);
  const verdicts = clientTargets(link).map((t) => ({ target: t, tri: memo.admitted(applying, agent, t.egress, destination) }));
  const judged = judge(verdicts, `traffic to ${agentWorkload.object.display} (${describeEndpoint(agent)})`);
  const denied: string[] = [];
  const fixes: string[] = [];
  if (judged?.denied) {
    denied.push(`no egress rule admits ${agentWorkload.object.display} (${describeEndpoint(agent)}) on `
      + list(verdicts.map((v) => v.target.display)));
    fixes.push(`admit the peer ${peerFor(agentWorkload, applying.candidates[0].policy)} with the port`
      + `${verdicts.length > 1 ? 's' : ''} ${list(verdicts.map((v) => portSpec(v.target.egress)))} in an egress rule`);
  }
  const dnsPort: TrafficPort = { numbers: [53], protocol: 'UDP' };
  const resolves = applying.candidates.some((c) => c.policy.egressRules.some((r) => portsMatch(r, dnsPort, []).truth !== 'no'));
  if (link.via === 'service' && !resolves && applying.isolated.truth === 'yes') {
    denied.push('no egress rule admits 53/UDP to any destination, so the client cannot even resolve the name of '
      + `${link.pair.service.object.display} through the cluster DNS`);
    fixes.push('admit {protocol: UDP, port: 53} and {protocol: TCP, port: 53} to the cluster DNS in an egress rule, e.g. '
      + `{ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}], to: [{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: kube-system}}}]}`);
  }
  const policies = applying.candidates;
  const first = reportedPolicy(policies);
  const related = policies.filter((c) => c !== first).map((c) => ({ object: c.policy.object, path: '/spec/podSelector' }));
  const selectText = `${describePolicies(policies)} ${policies.length > 1 ? 'select' : 'selects'} the pods of `
    + `${link.workload.object.display}, a client of ${link.pair.service.object.display} (${link.evidence}), for Egress`;
  if (denied.length > 0 && applying.isolated.truth === 'yes') {
    out.egressDenied.push({
      ...violation(first.policy.object, '/spec/egress',
        `${selectText}, and ${denied.join('; ')}: the network plugin drops the client's packets before they leave its pod`,
        `In ${first.policy.object.display} (or another NetworkPolicy that selects the pods of ${link.workload.object.display}), `
        + fixes.join('; ')),
      pair: link.pair,
      related,
    });
  } else if (judged !== undefined) {
    const why = judged.denied ? `${judged.text}, if they select its pods (${applying.isolated.why.join('; ')})` : judged.text;
    out.unproven.push({
      ...violation(first.policy.object, '/spec/egress',
        `${selectText}, and the rule cannot prove that they admit its traffic to the agent: ${why}`,
        `Admit ${agentWorkload.object.display} in an egress rule with selectors the manifests decide, or acknowledge NL109 `
        + 'if the cluster admits the traffic'),
      pair: link.pair,
      related,
    });
  }
}

/**
 * The policy a finding is reported on: of those that certainly select the side (else of all),
 * the first by namespace and name, so that the findings do not depend on the order of the input.
 */
function reportedPolicy(candidates: Candidate[]): Candidate {
  const certain = candidates.filter((c) => c.selected.truth === 'yes');
  const pool = certain.length > 0 ? certain : candidates;
  return pool.reduce((a, b) => (b.policy.object.display < a.policy.object.display ? b : a));
}

/** The policies of a direction that select, or may select, the endpoint, and whether it is isolated. */
function applyingPolicies(memo: Memo, direction: 'ingress' | 'egress', policies: PolicyInfo[], endpoint: Endpoint): Applying {
  const candidates: Candidate[] = [];
  let isolated: Tri = NO;
  let podPeers = false;
  let namedPorts = false;
  for (const policy of policies) {
    const selected = selects(policy, endpoint);
    if (selected.truth !== 'no') {
      candidates.push({ policy, selected });
      isolated = or(isolated, selected);
      for (const rule of direction === 'ingress' ? policy.ingressRules : policy.egressRules) {
        podPeers ||= (rule.peers ?? []).some((p) => p.kind === 'selectors' && p.podSelector !== undefined);
        namedPorts ||= (rule.ports ?? []).some((p) => typeof p.port === 'string');
      }
    }
  }
  const signature = `${direction}:${candidates.map((c) => `${c.policy.object.index}=${c.selected.truth}${c.selected.why.join('|')}`).join(',')}`;
  return { direction, candidates, isolated, id: memo.idOf(signature), podPeers, namedPorts };
}

/** Whether traffic to or from `remote` on `port` passes: not isolated, or admitted by a rule of a policy that selects. */
function admitted(applying: Applying, remote: Endpoint, port: TrafficPort, destination: ContainerPortInfo[]): Tri {
  let allowed: Tri = NO;
  for (const { policy, selected } of applying.candidates) {
    const rules: PolicyRule[] = applying.direction === 'ingress' ? policy.ingressRules : policy.egressRules;
    for (const rule of rules) {
      allowed = or(allowed, and(selected, ruleAdmits(policy, rule, remote, port, destination)));
      if (allowed.truth === 'yes') {
        return YES;
      }
    }
  }
  return or(not(applying.isolated), allowed);
}

/**
 * The outcome for one client over the ports it may use: denied when every port is denied,
 * unproven when some port is not certainly admitted, undefined when all are admitted.
 */
function judge(verdicts: Array<{ readonly target: Target; readonly tri: Tri }>, who: string): { denied: boolean; text: string } | undefined {
  if (verdicts.length === 0 || verdicts.every((v) => v.tri.truth === 'yes')) {
    return undefined;
  }
  if (verdicts.every((v) => v.tri.truth === 'no')) {
    return { denied: true, text: `${who} is admitted on none of ${list(verdicts.map((v) => v.target.display))}` };
  }
  const parts = verdicts.filter((v) => v.tri.truth !== 'yes').map((v) => v.tri.truth === 'no'
    ? `not admitted on ${v.target.display}` : `perhaps not admitted on ${v.target.display} (${v.tri.why.join('; ')})`);
  const admittedOn = verdicts.filter((v) => v.tri.truth === 'yes').map((v) => v.target.display);
  const partial = admittedOn.length > 0 ? `, though admitted on ${list(admittedOn)}, and the rule cannot tell which port it uses` : '';
  return { denied: false, text: `${who} is ${parts.join(', and ')}${partial}` };
}

/** Why a client's packets may reach the agent from the node's address rather than the client pod's. */
function ingressNodeWhy(link: ClientLink): string | undefined {
  if (hostNetwork(link.workload)) {
    return 'the client runs on the host network, so its packets come from the node\'s address, which most network plugins '
      + 'do not match with pod or namespace selectors';
  }
  if (link.via === 'hostIp') {
    return 'the client sends to the node\'s address and a host port, and the CNI portmap plugin may masquerade that '
      + 'traffic to the node\'s address, which pod and namespace selectors do not match';
  }
  return undefined;
}

/** Why a client's packets may be seen going to the node's address rather than an agent pod's. */
function egressNodeWhy(link: ClientLink): string | undefined {
  if (hostNetwork(link.pair.daemonSet)) {
    return 'the agent runs on the host network, so the client\'s packets go to the node\'s address, which most network '
      + 'plugins do not match with pod or namespace selectors';
  }
  if (link.via === 'hostIp') {
    return 'the client sends to the node\'s address and a host port of the agent: whether the network plugin checks '
      + 'egress before or after the port mapping depends on the plugin';
  }
  return undefined;
}

function uniqueClients(links: ClientLink[]): ClientLink[] {
  const seen = new Set<WorkloadInfo>();
  return links.filter((l) => !seen.has(l.workload) && seen.add(l.workload) !== undefined);
}

/** e.g. `namespace infra, pod labels {app=checkout}`. */
function describeEndpoint(endpoint: Endpoint): string {
  const namespace = endpoint.namespaceKey === '' ? 'namespace not set' : `namespace ${endpoint.namespaceKey}`;
  return `${namespace}, pod labels ${showLabels(new Map(endpoint.podLabels.known))}`;
}

function describePolicies(candidates: Candidate[]): string {
  const names = candidates.map((c) => c.policy.object.display.replace(/^NetworkPolicy /, ''));
  return candidates.length === 1 ? `NetworkPolicy ${names[0]}` : `NetworkPolicies ${list(names)}`;
}

/** A NetworkPolicy port for a fix, e.g. `{protocol: UDP, port: 8053}`. */
function portSpec(port: TrafficPort): string {
  return `{protocol: ${port.protocol}, port: ${port.numbers[port.numbers.length - 1]}}`;
}

/** A peer that admits the workload's pods from the policy's namespace, for a fix. */
function peerFor(workload: WorkloadInfo, policy: PolicyInfo): string {
  const pods = `podSelector: {matchLabels: ${yamlMap(workload.labels)}}`;
  if (workload.object.namespaceKey === policy.object.namespaceKey) {
    return `{${pods}}`;
  }
  const namespace = workload.object.namespaceKey === '' ? '<its namespace>' : workload.object.namespaceKey;
  return `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${namespace}}}, ${pods}}`;
}

/** The peers that admit the clients, or every pod of the cluster when no client is known. */
function peersFor(links: ClientLink[], applying: Applying): string[] {
  const clients = uniqueClients(links);
  if (clients.length === 0) {
    return ['{namespaceSelector: {}}'];
  }
  return clients.map((l) => peerFor(l.workload, applying.candidates[0].policy));
}

function yamlMap(labels: ReadonlyMap<string, string>): string {
  return `{${[...labels].map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`;
}

/** At most MAX_ITEMS items joined by '; ', and how many more there are, so a finding stays readable with many clients. */
function capped(items: readonly string[]): string {
  const shown = items.slice(0, MAX_ITEMS).join('; ');
  return items.length > MAX_ITEMS ? `${shown}; and ${items.length - MAX_ITEMS} more like these` : shown;
}

const MAX_ITEMS = 10;

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
