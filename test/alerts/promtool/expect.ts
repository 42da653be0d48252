// Expected alerts for promtool's unit tests. promtool compares every label and every annotation,
// expanded: the annotations are the rule's own templates with the alert's labels and value put in,
// so a template that expands wrong (a misspelt label, a syntax error) fails, and the wording is
// left to the jest snapshot.
import { AlertRule, RuleGroup } from '../../../src/alerts/rule';

/** An alert promtool is to find. */
export interface ExpectedAlert {
  readonly exp_labels: Record<string, string>;
  readonly exp_annotations: Record<string, string>;
}

/** The rule of an alert, for one DaemonSet when there are several. */
export function ruleOf(groups: readonly RuleGroup[], alert: string, daemonset?: string): AlertRule {
  const rules = groups.flatMap(g => g.rules).filter(r => r.alert === alert && (daemonset === undefined || r.labels.daemonset === daemonset));
  if (rules.length !== 1) {
    throw new Error(`expected one ${alert} rule${daemonset ? ` for ${daemonset}` : ''}, found ${rules.length}`);
  }
  return rules[0];
}

/**
 * The alert `rule` raises for a result series with `labels` and `value`: the rule's labels win, and
 * the annotations are expanded.
 */
export function alertOf(rule: AlertRule, labels: Record<string, string>, value: number): ExpectedAlert {
  const all = { ...labels, ...rule.labels };
  const exp_annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v, all, value)]));
  return { exp_labels: all, exp_annotations };
}

function expand(template: string, labels: Record<string, string>, value: number): string {
  const text = template
    .replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name) => {
      if (!(name in labels)) {
        throw new Error(`the template ${JSON.stringify(template)} names the label ${name}, which the alert does not have`);
      }
      return labels[name];
    })
    .replace(/\{\{ \$value \}\}/g, String(value));
  if (text.includes('{{')) {
    throw new Error(`the template ${JSON.stringify(template)} uses more than $labels and $value: extend expand()`);
  }
  return text;
}
