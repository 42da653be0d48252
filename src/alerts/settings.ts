// The choices behind the alerts, with their defaults, shared by the construct and the command so
// that both write the same rules for the same agent.
import { labelNameError } from './promql';

/** The alerts, by name. */
export const ENDPOINT_MISSING = 'NodeLocalEndpointMissing';
export const ROLLOUT_STUCK = 'NodeLocalRolloutStuck';
export const TRAFFIC_DROPPED = 'NodeLocalTrafficDropped';

/** One alert's settings. */
export interface AlertSetting {
  readonly enabled: boolean;
  readonly severity: string;
  /** The rule's `for`, in milliseconds. */
  readonly forMs: number;
}

/** Every setting, resolved. */
export interface AlertSettings {
  /** The `job` label of kube-state-metrics' series. */
  readonly kubeStateMetricsJob: string;
  /** The `job` label of kube-proxy's series. */
  readonly kubeProxyJob: string;
  /** The page the alerts' `runbook_url` point into, one anchor per alert. */
  readonly runbookBaseUrl: string;
  /** Labels added to every alert. */
  readonly labels: Readonly<Record<string, string>>;
  readonly endpointMissing: AlertSetting & {
    /** The severity when the Service sends the traffic to another node rather than drop it. */
    readonly fallbackSeverity: string;
  };
  readonly rolloutStuck: AlertSetting;
  readonly trafficDropped: AlertSetting;
}

/** The README section of each alert, on the repository's default branch. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/maintainers/cdk8s-node-local/blob/main/README.md';

/**
 * The window in which a change of the DaemonSet's updated or available count counts as progress:
 * NodeLocalRolloutStuck fires when the window saw none for the whole `for`.
 */
export const PROGRESS_WINDOW = '5m';

const MINUTE = 60_000;

/** kube-prometheus' job names; five minutes outlasts a rollout step on a node, a quarter hour a slow rollout. */
export const DEFAULT_SETTINGS: AlertSettings = {
  kubeStateMetricsJob: 'kube-state-metrics',
  kubeProxyJob: 'kube-proxy',
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  labels: {},
  endpointMissing: { enabled: true, severity: 'critical', fallbackSeverity: 'warning', forMs: 5 * MINUTE },
  rolloutStuck: { enabled: true, severity: 'warning', forMs: 15 * MINUTE },
  trafficDropped: { enabled: true, severity: 'warning', forMs: 5 * MINUTE },
};

/** The labels the rules set themselves: an extra label must not replace them. */
export const RULE_LABELS = ['alertname', 'severity', 'node', 'namespace', 'daemonset', 'service', 'pod', 'instance'];

/** Why a severity or job name cannot be used, or undefined when it can. */
export function labelValueError(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return 'must be a non-empty string';
  }
  if (/[\n\r]/.test(value)) {
    return 'must be one line';
  }
  return undefined;
}

/** Why a map of extra alert labels cannot be used, or undefined when it can. */
export function extraLabelsError(labels: unknown): string | undefined {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    return 'must be a map of label names to values, e.g. { team: \'platform\' }';
  }
  for (const [name, value] of Object.entries(labels)) {
    const nameError = labelNameError(name);
    if (nameError !== undefined) {
      return `has the label ${JSON.stringify(name)}, which ${nameError}`;
    }
    if (RULE_LABELS.includes(name)) {
      return `has the label ${JSON.stringify(name)}, which the rules set themselves; the labels they set are ${RULE_LABELS.join(', ')}`
        + (name === 'severity' ? ' (set the severity of each alert instead)' : '');
    }
    const valueError = labelValueError(value);
    if (valueError !== undefined) {
      return `has the label ${JSON.stringify(name)} with the value ${JSON.stringify(value)}, which ${valueError}`;
    }
  }
  return undefined;
}

/** Why a runbook base URL cannot be used, or undefined when it can. */
export function runbookUrlError(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return 'must be a string such as \'https://wiki.example.com/node-local\'';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL: give an absolute http or https URL such as \'https://wiki.example.com/node-local\'';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'is not an http or https URL';
  }
  if (url.hash !== '' || value.includes('#')) {
    return 'has a #fragment: give the page, each alert links to its own anchor (#nodelocalendpointmissing, ...)';
  }
  return undefined;
}
