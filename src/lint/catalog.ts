/**
 * Renders the rule catalog, `docs/rules.md`, from the rules themselves so the two never drift
 * apart (`scripts/rules-catalog.ts` writes and checks the file).
 */
import { RuleInfo } from './rule-info';

/** The command that regenerates the catalog, quoted in its header. */
export const CATALOG_COMMAND = 'npx ts-node --project test/tsconfig.json scripts/rules-catalog.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The anchor of a rule's section in the catalog, as GitHub renders its heading `## NL002 service-not-cluster-ip`. */
export function anchor(rule: RuleInfo): string {
  return `${rule.id}-${rule.name}`.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

/** The Markdown of the rule catalog. */
export function renderRulesCatalog(rules: readonly RuleInfo[], reserved: readonly string[]): string {
  const lines: string[] = [
    `<!-- Generated from src/rules by scripts/rules-catalog.ts: do not edit by hand. Regenerate with \`${CATALOG_COMMAND}\`. -->`,
    '',
    '# Node-local rules',
    '',
    'The rules the node-local rule engine (`NodeLocalLinter.lint`, `lintManifests`) checks on a set of Kubernetes',
    'manifests. They apply to each node-local pair: a Service with `internalTrafficPolicy: Local` and the DaemonSet',
    'whose pods are its only endpoints (the pairs given in `LintOptions.pairs`, or by default every Local Service with',
    'the DaemonSets its selector selects in its namespace). The client rules also look at the workloads that send to a',
    'pair: those with an environment variable that names the Service by its DNS name (`name` from its own namespace,',
    '`name.namespace`, `name.namespace.svc` or `name.namespace.svc.<cluster domain>`), or that holds the node\'s IP',
    '(`status.hostIP`) with a host port of the DaemonSet.',
    '',
    'Errors (`NL0xx`) are configurations the API server rejects or that drop traffic: they fail synthesis. Warnings',
    '(`NL1xx`) can drop traffic in some situations: they are reported. Ids are stable'
      + (reserved.length === 0 ? ': a retired rule keeps its id unused.' : `; ${reserved.map((id) => `\`${id}\``).join(' and ')} are reserved.`),
    '',
    '| Id | Name | Severity | Summary |',
    '| --- | --- | --- | --- |',
    ...rules.map((rule) => `| [${rule.id}](#${anchor(rule)}) | \`${rule.name}\` | ${rule.severity} | ${cell(rule.summary)} |`),
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
      '',
      `**Why:** ${rule.reason}`,
      '',
      `**Fix:** ${rule.fix}`,
    );
  }
  return lines.join('\n') + '\n';
}
