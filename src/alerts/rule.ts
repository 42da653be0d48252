// The Prometheus rule format the alerts are written in: a `PrometheusRule`'s `spec.groups`, and
// the `groups` of a rule file that promtool reads.
import { Matcher, eq, selector } from './promql';
import { AlertSettings } from './settings';

/** An alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** A Prometheus duration, e.g. `5m`. */
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A group of rules, evaluated together. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: AlertRule[];
}

/** A selector of a kube-state-metrics series, restricted to its job. */
export function ksm(settings: AlertSettings, metric: string, ...matchers: Matcher[]): string {
  return selector(metric, [eq('job', settings.kubeStateMetricsJob), ...matchers]);
}

/** The runbook section of an alert. */
export function runbookUrl(settings: AlertSettings, alert: string): string {
  return `${settings.runbookBaseUrl}#${alert.toLowerCase()}`;
}
