/**
 * Renders the rule catalog, `docs/rules.md`, from the rules themselves so the two never drift
 * apart (`scripts/rules-catalog.ts` writes and checks the file).
 */
import { RuleInfo } from './rule-info';

/** The command that regenerates the catalog, quoted in its header. */
export const CATALOG_COMMAND = 'npx projen docs:rules';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The Markdown anchor of a rule's section in docs/rules.md, e.g. `nl001-service-traffic-policy-not-local`. */
export function ruleAnchor(rule: { readonly id: string; readonly name: string }): string {
  return `${rule.id}-${rule.name}`.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

/** A rule that no longer exists, whose id stays unused. */
export interface RetiredRuleEntry {
  readonly id: string;
  readonly name: string;
  readonly why: string;
}

function modes(rule: RuleInfo): string {
  return rule.trafficModes.join(', ');
}

/** The Markdown of the rule catalog. */
export function renderRulesCatalog(rules: readonly RuleInfo[], reserved: readonly string[], retired: readonly RetiredRuleEntry[] = []): string {
  const lines: string[] = [
    `<!-- Generated from src/rules by scripts/rules-catalog.ts: do not edit by hand. Regenerate with \`${CATALOG_COMMAND}\`. -->`,
    '',
    '# Node-local rules',
    '',
    'The rules the node-local rule engine (`NodeLocalLinter.lint`, `lintManifests`) checks on a set of Kubernetes',
    'manifests. They apply to each node-local pair: a node-local Service and the DaemonSet whose pods are its only',
    'endpoints (the pairs given in `LintOptions.pairs`, or by default every node-local Service with the DaemonSets its',
    'selector selects in its namespace). Objects without `metadata.namespace` are in the namespace they are applied to:',
    '`LintOptions.namespace` (`lint --namespace`), `default` unless told otherwise, as kubectl and Helm apply them.',
    '',
    'A Service is node-local in one of two traffic modes. `Local` (`internalTrafficPolicy: Local`) keeps traffic on the',
    'node and drops it while the node has no ready endpoint. `PreferSameNode` (`trafficDistribution: PreferSameNode`',
    'without `internalTrafficPolicy: Local`, Kubernetes 1.34 and later) prefers the node\'s endpoint and falls back to',
    'another node\'s. The rules that prevent a broken Service apply to both; the rules whose harm is a drop (rollout gaps,',
    'the rollout handover, partial node coverage, client coverage, a missing priority class) apply to `Local` only, since a',
    'fallback is not a black hole: the Modes column says which.',
    '',
    'The client rules also look at the workloads that send to a pair. A workload is a client when an environment variable',
    'of one of its containers, as the kubelet builds it (`envFrom`, then `env`, with `$(VAR)` references and the service',
    'variables expanded, and the values of ConfigMaps and Secrets of the manifests read in), names the Service as a host:',
    'the whole value, the host of `host:port`, or the host of a URL (and gRPC\'s `dns:///host:port`); a bare name only in a',
    'variable named like an address (`..._HOST`, `..._ADDR`, `..._ENDPOINT`, `..._URL`...). The name resolves as cluster DNS',
    'resolves it: `name` from the Service\'s own namespace, `name.namespace`, `name.namespace.svc` or',
    '`name.namespace.svc.<cluster domain>`. A word inside a path, a list or a sentence is never a host. A workload that',
    'reaches an agent through the node\'s IP (`status.hostIP`) is a client when the port is known: in the same value',
    '(`$(HOST_IP):8125`) or in a variable named `..._PORT` beside it, with the same first word (`DD_AGENT_HOST` and',
    '`DD_DOGSTATSD_PORT`), that is a host port of the DaemonSet; otherwise it is not seen. Clients configured by files, command-line flags or values computed at run time are not seen either.',
    '',
    'Errors (`NL0xx`) are configurations the API server rejects or that drop traffic: they fail synthesis. Warnings',
    '(`NL1xx`) can drop traffic in some situations: they are reported. Ids are stable'
      + (reserved.length === 0 ? ': a retired rule keeps its id unused (see the end of this page).'
        : `; ${reserved.map((id) => `\`${id}\``).join(' and ')} are reserved.`),
    '',
    '| Id | Name | Severity | Modes | Summary |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((rule) => `| [${rule.id}](#${ruleAnchor(rule)}) | \`${rule.name}\` | ${rule.severity} | ${modes(rule)} | ${cell(rule.summary)} |`),
  ];
  for (const rule of rules) {
    lines.push(
      '',
      `## ${rule.id} ${rule.name}`,
      '',
      `- **Id:** \`${rule.id}\``,
      `- **Name:** \`${rule.name}\``,
      `- **Severity:** ${rule.severity}`,
      `- **Summary:** ${rule.summary}`,
      `- **Traffic modes:** ${modes(rule)}`,
      '',
      `**Why:** ${rule.reason}`,
      '',
      `**Fix:** ${rule.fix}`,
      '',
      `**What it cannot know:** ${rule.limits}`,
    );
  }
  if (retired.length > 0) {
    lines.push('', '## Retired rules', '', 'These ids are never given to another rule; an acknowledgement of one silences nothing.', '');
    for (const rule of retired) {
      lines.push(`- **${rule.id} \`${rule.name}\`:** ${rule.why}`);
    }
  }
  return lines.join('\n') + '\n';
}
