// The Kubernetes version an agent targets (`kubernetesVersion`), and what it allows: the construct
// writes a field only for a version that has it, and refuses a traffic mode the version lacks.
import { show } from './lint/json';
import { NodeLocalTraffic } from './node-local-traffic';

/** A Kubernetes `MAJOR.MINOR` version. */
export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
}

/** The oldest version the construct writes for: `internalTrafficPolicy` and DaemonSet `maxSurge` are beta and on by default from 1.22. */
export const OLDEST_SUPPORTED = '1.22';

/** The preStop `sleep` action: beta and on by default from 1.30 (KEP-3960), GA in 1.34. */
export const SLEEP_ACTION_SINCE = '1.30';

const VERSION = /^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$/;

/** Parses `MAJOR.MINOR`, or undefined when it is not of that form. */
export function parseVersion(value: string): KubernetesVersion | undefined {
  const match = VERSION.exec(value);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** Whether version `a` is `b` or later. */
export function atLeast(a: string, b: string): boolean {
  const x = parseVersion(a)!;
  const y = parseVersion(b)!;
  return x.major !== y.major ? x.major > y.major : x.minor >= y.minor;
}

/** What the agent's props say about the cluster's version. */
export interface TargetVersion {
  /** The version given by the user, exactly. */
  readonly given?: string;
  /** The lowest version the cluster can have: the given one, else what the traffic mode needs; undefined when unknown. */
  readonly atLeast?: string;
}

/**
 * Checks `kubernetesVersion` and folds in what the traffic mode needs: a version without the
 * mode's fields is refused, and a mode that needs a recent version implies it.
 */
export function resolveTargetVersion(value: unknown, traffic: NodeLocalTraffic): TargetVersion {
  if (value === undefined) {
    return { atLeast: traffic.fallsBack ? traffic.minimumKubernetesVersion : undefined };
  }
  if (typeof value !== 'string' || parseVersion(value) === undefined) {
    throw new Error(`kubernetesVersion ${show(value)} is not a Kubernetes version: use MAJOR.MINOR, e.g. '1.34'`);
  }
  if (parseVersion(value)!.major !== 1 || !atLeast(value, OLDEST_SUPPORTED)) {
    throw new Error(`kubernetesVersion '${value}' is not supported: internalTrafficPolicy and DaemonSet maxSurge need Kubernetes ${OLDEST_SUPPORTED} or later (1.x); use '${OLDEST_SUPPORTED}' or later`);
  }
  if (!atLeast(value, traffic.minimumKubernetesVersion)) {
    throw new Error(`kubernetesVersion '${value}' is too old for traffic NodeLocalTraffic.preferSameNode(): trafficDistribution PreferSameNode is alpha and off by default in 1.33 and unknown before, so the Service would route cluster-wide; use kubernetesVersion '${traffic.minimumKubernetesVersion}' or later, or NodeLocalTraffic.local()`);
  }
  return { given: value, atLeast: value };
}
