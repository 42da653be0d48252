// The PrometheusRule for any manifests: the node-local pairs the rule engine finds, as the command
// writes it for charts and overlays.
import { prometheusRuleManifest } from './prometheus-rule';
import { ruleGroups } from './rule-groups';
import { AlertSettings } from './settings';
import { readTargets, TargetReading } from './targets';
import { LintContext } from '../lint/context';

/** The outcome: the PrometheusRule, or why there is none. */
export interface ManifestAlerts {
  /** The PrometheusRule; undefined when a problem keeps it from being written, or no pair is found. */
  readonly manifest?: { [key: string]: unknown };
  /** What keeps a node-local Service from being watched (names the object and the fix). */
  readonly problems: string[];
  /** How many node-local Services are watched. */
  readonly services: number;
}

/**
 * The alerts of every node-local pair in the manifests.
 *
 * @param objects the Kubernetes objects, in input order
 * @param namespace the namespace of objects without one, as `kubectl apply -n` would give them
 * @param metadata the PrometheusRule's metadata
 */
export function alertsForManifests(
  objects: unknown[],
  namespace: string,
  metadata: { [key: string]: unknown },
  settings: AlertSettings,
): ManifestAlerts {
  const reading: TargetReading = readTargets(new LintContext(objects, { namespace }), namespace);
  if (reading.problems.length > 0 || reading.targets.length === 0) {
    return { problems: reading.problems, services: reading.targets.length };
  }
  const manifest = prometheusRuleManifest(metadata, { groups: ruleGroups(reading.targets, settings) });
  return { manifest, problems: [], services: reading.targets.length };
}
