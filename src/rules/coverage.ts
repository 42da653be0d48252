/**
 * The client-coverage analysis behind NL013 (a client can land where its agent cannot run) and
 * NL107 (the rule cannot prove it cannot): computed once per lint, shared by both rules.
 */
import { Domain, Product, Witness } from './label-domains';
import { ARCH_LABEL, isPlatformLabel, OS_LABEL } from './node-facts';
import {
  clientLanding, compareLabels, describeWitness, failedBy, LabelRequirement, NodeRequirements, readNodeRequirements,
  onlyPlatform, unimplied, unionOf, UnprovenReason, withoutPlatform,
} from './placement';
import {
  describeTaints, NETWORK_UNAVAILABLE, readTolerations, TaintGap, taintGaps, tolerationFor, TolerationPattern,
} from './tolerations';
import { ClientLink, LintContext, WorkloadInfo } from '../lint/context';
import { groupBy } from '../lint/group-by';
import { asArray, getIn, show } from '../lint/json';
import { Violation, violation } from '../lint/rule';

/** The upstream report of clients black-holed on nodes without an agent. */
export const BLACK_HOLE_ISSUE = 'https://github.com/DataDog/helm-charts/issues/1251';
const SHORT_ISSUE = 'DataDog/helm-charts#1251';

/** The violations of the coverage rules in one lint. */
export interface CoverageViolations {
  /** NL013: certain gaps. */
  readonly gaps: Violation[];
  /** NL107: comparisons that cannot be decided. */
  readonly unproven: Violation[];
  /** NL130: gaps only on nodes of another OS or architecture than the agent's image runs on. */
  readonly platform: Violation[];
}

const CACHE = new WeakMap<LintContext, CoverageViolations>();

/** The coverage violations of a lint, computed on first use. */
export function coverageViolations(context: LintContext): CoverageViolations {
  let result = CACHE.get(context);
  if (result === undefined) {
    result = analyze(context);
    CACHE.set(context, result);
  }
  return result;
}

interface Placement {
  readonly requirements: NodeRequirements;
  readonly tolerations: TolerationPattern[];
}

function analyze(context: LintContext): CoverageViolations {
  const gaps: Violation[] = [];
  const unproven: Violation[] = [];
  const platform: Violation[] = [];
  const clients = new Map<WorkloadInfo, Placement>();
  const agents = new Map<WorkloadInfo, Placement>();
  const placementOf = (cache: Map<WorkloadInfo, Placement>, workload: WorkloadInfo, durable: boolean): Placement => {
    let placement = cache.get(workload);
    if (placement === undefined) {
      placement = { requirements: readNodeRequirements(workload), tolerations: readTolerations(workload, durable) };
      cache.set(workload, placement);
    }
    return placement;
  };
  const within = evidencedPlatforms(context);
  for (const links of linksByService(context.clients())) {
    const [link] = links;
    const client = placementOf(clients, link.workload, false);
    // the agents of one Service cover together what each covers (a Linux and a Windows DaemonSet)
    const placements = links.map((l) => placementOf(agents, l.pair.daemonSet, true));
    const landing = clientLanding(client.requirements);
    if (landing === 'no') {
      continue; // the client fits no node at all
    }
    const words = new Words(link, links.map((l) => l.pair.daemonSet.object.display));
    const linkGaps: Violation[] = [];
    const linkUnproven: Violation[] = [];
    for (const gap of commonTaintGaps(client.tolerations, placements.map((p) => p.tolerations))) {
      if (landing === 'yes') {
        linkGaps.push({ ...taintViolation(words, gap), pair: link.pair });
      } else {
        linkUnproven.push({
          pair: link.pair,
          ...violation(link.workload.object, words.clientPath(clientOpaquePath(client.requirements)),
            `${words.intro} and tolerates ${describeTaints(gap)}, which ${words.agent} does not tolerate, but the rule cannot tell `
          + `whether the client fits any node: ${clientOpaqueText(client.requirements)}; if it does, on a node with that taint `
          + `the client runs without an agent and ${words.dropped}`,
            `Add the toleration ${tolerationFor(gap)} to ${words.agentField('tolerations')} of ${words.agentName}, or remove `
          + `${words.clientField(gap.pattern.path)} from ${words.clientName}`),
        });
      }
    }
    const agentRequirements = unionOf(placements.map((p) => p.requirements));
    // the agent's OS and architecture are what its image runs on: a gap there is a warning of its own
    const agentAnywhere = withoutPlatform(agentRequirements);
    const verdict = compareLabels(client.requirements, agentAnywhere);
    if (verdict.kind === 'gap') {
      linkGaps.push({ ...labelViolation(words, client.requirements, agentAnywhere, verdict.witness), pair: link.pair });
    } else if (verdict.kind === 'unproven') {
      linkUnproven.push({ ...unprovenViolation(words, client.requirements, verdict.reasons), pair: link.pair });
    }
    // only on platforms the manifests show nodes of: most clusters have no Windows or Arm nodes,
    // and a label no workload asks a value of says nothing of the nodes' values
    const agentPlatform = onlyPlatform(agentRequirements, new Set(within.keys()));
    const onPlatform = compareLabels(client.requirements, agentPlatform, within);
    if (onPlatform.kind === 'gap') {
      platform.push({ ...platformViolation(words, client.requirements, agentPlatform, onPlatform.witness), pair: link.pair });
    }
    gaps.push(...combine(words, linkGaps));
    unproven.push(...combine(words, linkUnproven));
  }
  return { gaps, unproven, platform };
}

/** The client links grouped by client and Service: several DaemonSets behind one Service are one agent. */
function linksByService(links: readonly ClientLink[]): ClientLink[][] {
  return [...groupBy(links, (l) => `${l.workload.object.index}\u0000${l.pair.service.object.index}`).values()];
}

/** The client's taint gaps that every agent of the Service has (each effect lacking in all of them). */
function commonTaintGaps(client: readonly TolerationPattern[], agents: readonly TolerationPattern[][]): TaintGap[] {
  if (agents.length === 1) {
    return taintGaps(client, agents[0]);
  }
  const perAgent = agents.map((a) => taintGaps(client, a));
  return perAgent[0].flatMap((gap) => {
    const effects = gap.effects.filter((e) => perAgent.every((gaps) => gaps.some((g) => g.pattern === gap.pattern && g.effects.includes(e))));
    return effects.length > 0 ? [{ pattern: gap.pattern, effects }] : [];
  });
}

/**
 * The OS and architecture values the manifests show nodes of: those some workload requires (a
 * nodeSelector or In expression), or tolerates the usual taint of (`os=windows`). A client is
 * only warned (NL130) about nodes of these: a platform no object mentions may not exist at all.
 */
function evidencedPlatforms(context: LintContext): Product {
  const values = new Map<string, Set<string>>([[OS_LABEL, new Set()], [ARCH_LABEL, new Set()]]);
  for (const workload of context.workloads) {
    for (const r of readNodeRequirements(workload).terms.flatMap((t) => t.precise)) {
      const set = values.get(r.key);
      if (set !== undefined && !r.domain.negated) {
        r.domain.values.forEach((v) => set.add(v));
      }
    }
    for (const toleration of asArray(getIn(workload.podSpec, 'tolerations'))) {
      const key = getIn(toleration, 'key');
      const value = getIn(toleration, 'value');
      if ((key === 'os' || key === OS_LABEL || key === 'node.kubernetes.io/os') && typeof value === 'string') {
        values.get(OS_LABEL)!.add(value);
      }
    }
  }
  const product = new Map<string, Domain>();
  for (const [key, set] of values) {
    if (set.size > 0) {
      product.set(key, { absent: false, negated: false, values: set });
    }
  }
  return product;
}

/**
 * One violation for the gaps of one client link: a client that tolerates a taint the agent lacks
 * and also lands where the agent's nodeSelector excludes has one finding naming both.
 */
function combine(words: Words, violations: Violation[]): Violation[] {
  if (violations.length <= 1) {
    return violations;
  }
  const lead = `${words.intro} and`;
  const rest = (message: string): string => (message.startsWith(lead) ? message.slice(lead.length).replace(/^,?\s*/, '') : message);
  return [{
    ...violations[0],
    message: `${lead} can run on nodes without ${words.agentName} in ${violations.length} ways: `
      + violations.map((v, i) => `(${i + 1}) it ${rest(v.message)}`).join('; '),
    fix: violations.map((v, i) => `(${i + 1}) ${v.fix}`).join('; '),
  }];
}

/** The names and field paths the messages of one client link use. */
class Words {
  public readonly clientName: string;
  public readonly agentName: string;
  /** e.g. `DaemonSet obs/otel-agent, the agent behind that Service,`. */
  public readonly agent: string;
  /** e.g. `Deployment shop/checkout sends to Service obs/otel-agent (env ... is "...")`. */
  public readonly intro: string;
  /** What happens to the client's traffic on a node without an agent. */
  public readonly dropped: string;

  constructor(public readonly link: ClientLink, agents: readonly string[] = [link.pair.daemonSet.object.display]) {
    this.clientName = link.workload.object.display;
    this.agentName = agents.join(' and ');
    this.agent = agents.length === 1 ? `${this.agentName}, the agent behind that Service,` : `${this.agentName}, the agents behind that Service,`;
    const service = link.pair.service.object.display;
    if (link.via === 'service') {
      this.intro = `${this.clientName} sends to ${service} (${link.evidence})`;
      this.dropped = `its traffic to the Local Service is dropped (${SHORT_ISSUE})`;
    } else {
      this.intro = `${this.clientName} sends to the agent of ${service} through its node's IP (${link.evidence})`;
      this.dropped = `its traffic to the host port is lost (${SHORT_ISSUE})`;
    }
  }

  /** The JSON pointer of a field of the client's pod spec (a path below it, e.g. `/tolerations/0`). */
  public clientPath(below: string): string {
    return this.link.workload.podSpecPath + below;
  }

  /** A field of the client's pod spec in dotted form, e.g. `spec.template.spec.tolerations[0]`. */
  public clientField(below: string): string {
    return dotted(this.clientPath(below));
  }

  /** A field of the agent's pod spec in dotted form. */
  public agentField(...keys: string[]): string {
    return dotted([this.link.pair.daemonSet.podSpecPath, ...keys].join('/'));
  }
}

/** `/spec/template/spec/tolerations/0` as `spec.template.spec.tolerations[0]`. */
function dotted(path: string): string {
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s, i) => /^[0-9]+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`).join('');
}

function taintViolation(words: Words, gap: TaintGap): Violation {
  const { link } = words;
  const pattern = gap.pattern;
  const taints = describeTaints(gap);
  const addToAgent = `add the toleration ${tolerationFor(gap)} to ${words.agentField('tolerations')} of ${words.agentName}`;
  const everything = '({operator: Exists}, which tolerateAllTaints: true writes, tolerates every taint)';
  let message: string;
  let fix: string;
  if (pattern.origin === 'nodeName') {
    message = `${words.intro} and sets ${words.clientField('/nodeName')}, which bypasses the scheduler: the client runs on that `
      + `node whatever NoSchedule taint it has, and ${words.agent} does not tolerate ${taints}: on a node with such a taint `
      + `the client runs without an agent and ${words.dropped}`;
    fix = `Replace nodeName in ${words.clientName} with a nodeSelector on kubernetes.io/hostname (the scheduler then respects `
      + `taints), or ${addToAgent} ${everything}`;
  } else if (pattern.origin === 'daemonSet') {
    message = `${words.intro} and, as a DaemonSet on the host network, tolerates the taint ${NETWORK_UNAVAILABLE}:NoSchedule `
      + `(the DaemonSet controller adds the toleration), which ${words.agent} does not tolerate: on a node whose network is `
      + `not ready the client runs without an agent and ${words.dropped}`;
    fix = `${capitalize(addToAgent)} ${everything}`;
  } else {
    message = `${words.intro} and tolerates ${taints} (${words.clientField(pattern.path)}), which ${words.agent} does not `
      + `tolerate: on a node with that taint the client runs without an agent, and ${words.dropped}`;
    fix = `${capitalize(addToAgent)} ${everything}, or remove ${words.clientField(pattern.path)} from ${words.clientName}`;
  }
  return violation(link.workload.object, words.clientPath(pattern.path), message, fix);
}

/** Where a client's label constraints are, for a finding about them: its nodeSelector, or its pod spec when it has none. */
function clientConstraintPath(client: NodeRequirements, preferAffinity: boolean): string {
  if (preferAffinity && client.hasAffinity) {
    return '/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution';
  }
  if (client.nodeSelector !== undefined) {
    return '/nodeSelector';
  }
  return client.hasAffinity ? '/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution' : '';
}

/** What the client has that keeps it on some nodes, for a message. */
function clientConstraints(client: NodeRequirements): string {
  const parts: string[] = [];
  if (client.nodeSelector !== undefined) {
    parts.push(`nodeSelector ${show(Object.fromEntries(client.nodeSelector))}`);
  }
  if (client.hasAffinity) {
    parts.push('required node affinity');
  }
  if (client.nodeName !== undefined) {
    parts.push(`nodeName ${show(client.nodeName)}`);
  }
  return parts.length === 0
    ? 'the client has no nodeSelector, required node affinity or nodeName that keeps it off such nodes'
    : `the client's ${parts.join(' and ')} ${parts.length === 1 ? 'does' : 'do'} not imply it`;
}

/** A requirement as the client can adopt it, e.g. `nodeSelector pool: agents`. */
function adoptable(r: LabelRequirement): string {
  if (r.source === 'nodeSelector' || (r.domain.values.size === 1 && !r.domain.negated && !r.domain.absent)) {
    const [value] = [...r.domain.values];
    return `nodeSelector ${r.key}: ${value === '' ? '""' : value}`;
  }
  return `the required node affinity expression ${show(r.raw)} (in each of its nodeSelectorTerms)`;
}

/** The agent's requirements as a phrase, e.g. `the agent's nodeSelector requires pool=agents`. */
function requires(requirements: readonly LabelRequirement[]): string {
  const parts: string[] = [];
  const selector = requirements.filter((r) => r.source === 'nodeSelector');
  const affinity = requirements.filter((r) => r.source === 'affinity');
  if (selector.length > 0) {
    parts.push(`the agent's nodeSelector requires ${selector.map((r) => r.display).join(' and ')}`);
  }
  if (affinity.length > 0) {
    parts.push(`the agent's required node affinity requires ${affinity.map((r) => r.display).join(' and ')}`);
  }
  return parts.join(', and ');
}

function labelViolation(words: Words, client: NodeRequirements, agent: NodeRequirements, witness: Witness): Violation {
  const agentName = words.agentName;
  const affinityField = words.agentField('affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
  // With one agent term every requirement is checked on its own; with several, the base ones first.
  const missing = unimplied(client, agent.terms.length === 1 ? agent.terms[0].precise : agent.base);
  let fault: string;
  let node: string;
  let fix: string;
  let path: string | undefined;
  const nameRequirement = missing.find((r) => r.source === 'nodeName');
  if (nameRequirement !== undefined) {
    node = describeWitness(witness, [nameRequirement]);
    fault = `the agent runs only on node ${nameRequirement.display} (${words.agentField('nodeName')})`;
    fix = `Remove ${words.agentField('nodeName')} from ${agentName} (a DaemonSet runs on every node it fits), or keep `
      + `${words.clientName} on node ${nameRequirement.display}`;
    path = client.nodeName !== undefined ? '/nodeName' : undefined;
  } else if (missing.length > 0) {
    node = describeWitness(witness, failedBy(witness, missing));
    fault = requires(missing);
    const relax: string[] = [];
    const selectorKeys = missing.filter((r) => r.source === 'nodeSelector').map((r) => r.key);
    const expressions = missing.filter((r) => r.source === 'affinity').length;
    if (selectorKeys.length > 0) {
      relax.push(`remove ${selectorKeys.join(' and ')} from ${words.agentField('nodeSelector')}`);
    }
    if (expressions > 0) {
      relax.push(`remove ${expressions === 1 ? 'that expression' : 'those expressions'} from ${affinityField}`);
    }
    fix = `Add ${missing.map(adoptable).join(' and ')} to ${words.clientName}, so it runs only where the agent runs, or `
      + `${relax.join(' and ')} of ${agentName}`;
    path = missing.some((r) => r.source === 'nodeSelector') ? clientConstraintPath(client, false) : clientConstraintPath(client, true);
  } else if (agent.terms.length === 0) {
    node = 'any node';
    fault = 'the agent\'s required node affinity has no term that matches a node';
    fix = `Give ${agentName} a required node affinity with at least one non-empty nodeSelectorTerm, or remove ${affinityField}`;
  } else {
    const terms = agent.terms.map((t) => t.precise.filter((r) => !agent.base.includes(r)));
    node = describeWitness(witness, failedBy(witness, terms.flat()));
    fault = `the agent's required node affinity requires one of ${terms.length} terms: `
      + terms.map((t) => `(${t.map((r) => r.display).join(' and ')})`).join(' or ');
    fix = `Give ${words.clientName} a nodeSelector or required node affinity that implies one of the nodeSelectorTerms of `
      + `${agentName} (e.g. the same required node affinity), or remove ${affinityField} from ${agentName}`;
    path = clientConstraintPath(client, true);
  }
  const message = `${words.intro} and can be scheduled on nodes where ${words.agent} does not run, e.g. ${node}: ${fault}, `
    + `and ${clientConstraints(client)}; on such a node the client runs without an agent, and ${words.dropped}`;
  return violation(words.link.workload.object, words.clientPath(path ?? clientConstraintPath(client, false)), message, fix);
}

function platformViolation(words: Words, client: NodeRequirements, agent: NodeRequirements, witness: Witness): Violation {
  const requirements = [...agent.base, ...agent.terms.flatMap((t) => t.precise)].filter((r) => isPlatformLabel(r.key));
  const failed = [...new Set(failedBy(witness, requirements))];
  const missing = unimplied(client, failed);
  const node = describeWitness(witness, failed);
  const adopt = (missing.length > 0 ? missing : failed).map(adoptable);
  const message = `${words.intro} and can be scheduled on ${node}, where ${words.agent} does not run: ${requires(failed)}, `
    + `the platform its image runs on, and ${clientConstraints(client)}; if the cluster has such nodes, the client runs there `
    + `without an agent and ${words.dropped}`;
  const fix = `Add ${[...new Set(adopt)].join(' and ')} to ${words.clientName}, so it runs only where the agent can; or, if the `
    + `cluster has no such nodes, keep it and acknowledge NL130 on ${words.clientName} (or on the agent, for all its clients)`;
  return violation(words.link.workload.object, words.clientPath(clientConstraintPath(client, false)), message, fix);
}

/** The first requirement of the client the rule does not reason about (there is one when its landing is unknown). */
function clientOpaquePath(client: NodeRequirements): string {
  return client.terms.find((t) => t.opaque.length > 0)?.opaque[0].path ?? '';
}

function clientOpaqueText(client: NodeRequirements): string {
  const opaque = client.terms.flatMap((t) => t.opaque.map((o) => o.display));
  return `its required node affinity has ${[...new Set(opaque)].join(' and ')}, which the rule does not reason about`;
}

function unprovenViolation(words: Words, client: NodeRequirements, reasons: readonly UnprovenReason[]): Violation {
  const clientReason = reasons.find((r) => r.path !== undefined);
  const path = clientReason?.path ?? clientConstraintPath(client, true);
  const message = `${words.intro}, but the rule cannot prove that ${words.agent} runs on every node the client can be `
    + `scheduled on: ${reasons.map((r) => r.text).join('; ')}; on a node without the agent, the client runs alone and `
    + words.dropped;
  const fix = `Give ${words.clientName} a nodeSelector or required node affinity made of In, NotIn, Exists and DoesNotExist `
    + `expressions (or the agent's own expressions) that implies the nodes of ${words.agentName}, or let ${words.agentName} run `
    + `on every node; if the cluster's nodes guarantee it, acknowledge NL107 for ${words.clientName} with the reason`;
  return violation(words.link.workload.object, words.clientPath(path), message, fix);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
