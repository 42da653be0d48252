/**
 * The handover of a node's traffic from an old pod to its replacement, as Kubernetes does it:
 * how long the new endpoint takes to be programmed, and how long a container's preStop hook
 * keeps the old one serving.
 */
import { asArray, asString, getIn, isInteger } from './json';

/**
 * How long, in seconds, a new endpoint can take from Ready to programmed on its node: the
 * EndpointSlice controller publishes it, and kube-proxy rewrites its rules at its next sync
 * (`--iptables-min-sync-period` and the nftables equivalent default to 1 s, and a large ruleset
 * takes seconds to restore on a busy node; IPVS syncs on a similar schedule). Grafana Alloy's
 * chart ships `minReadySeconds: 10` for the same reason.
 */
export const ENDPOINT_PROPAGATION_SECONDS = 10;

/** Kubernetes' default `terminationGracePeriodSeconds`. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** A preStop hook that delays the container's SIGTERM by a known time. */
export interface PreStopDelay {
  readonly seconds: number;
  /** e.g. `a preStop sleep of 5 s` or `a preStop exec "sleep 5"`. */
  readonly display: string;
}

/** What a container's preStop hook is: none, a delay of known length, or something else (an HTTP call, a script). */
export type PreStop =
  | { readonly type: 'none' }
  | { readonly type: 'delay'; readonly delay: PreStopDelay }
  | { readonly type: 'other' };

const SLEEP_BINARIES = ['sleep', '/bin/sleep', '/usr/bin/sleep'];
const SHELLS = ['sh', 'bash', 'ash', 'dash', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/dash', '/usr/bin/sh', '/usr/bin/bash'];
const SLEEP_ARGUMENT = /^([0-9]{1,6})s?$/;
const SLEEP_IN_SCRIPT = /(?:^|[;&|(]\s*|\s)sleep\s+([0-9]{1,6})s?(?![0-9A-Za-z.])/;

/** The preStop hook of a container (raw JSON), read the way the kubelet runs it. */
export function preStopOf(container: unknown): PreStop {
  const preStop = getIn(container, 'lifecycle', 'preStop');
  if (preStop === undefined || preStop === null) {
    return { type: 'none' };
  }
  const sleep = getIn(preStop, 'sleep', 'seconds');
  if (isInteger(sleep) && sleep >= 0) {
    return { type: 'delay', delay: { seconds: sleep, display: `a preStop sleep of ${sleep} s` } };
  }
  const command = asArray(getIn(preStop, 'exec', 'command'));
  const seconds = execSleepSeconds(command);
  if (seconds !== undefined) {
    const shown = command.map((part) => String(part)).join(' ');
    return { type: 'delay', delay: { seconds, display: `a preStop exec "${shown.length > 80 ? shown.slice(0, 77) + '...' : shown}"` } };
  }
  return { type: 'other' };
}

/** The seconds an exec hook sleeps: `sleep N`, or a shell script whose first command sleeps N. */
function execSleepSeconds(command: unknown[]): number | undefined {
  const words = command.map(asString);
  if (words.length === 0 || words.some((w) => w === undefined)) {
    return undefined;
  }
  const [program, ...args] = words as string[];
  if (SLEEP_BINARIES.includes(program) && args.length === 1) {
    const match = SLEEP_ARGUMENT.exec(args[0]);
    return match ? Number(match[1]) : undefined;
  }
  if (SHELLS.includes(program) && args.length >= 2 && /^-[a-z]*c$/.test(args[0])) {
    const match = SLEEP_IN_SCRIPT.exec(args[1].trim());
    return match ? Number(match[1]) : undefined;
  }
  return undefined;
}

/** The pod's `terminationGracePeriodSeconds`, with Kubernetes' default of 30; undefined when it is not an integer. */
export function gracePeriodSeconds(podSpec: unknown): number | undefined {
  const value = getIn(podSpec, 'terminationGracePeriodSeconds');
  if (value === undefined || value === null) {
    return DEFAULT_GRACE_PERIOD_SECONDS;
  }
  return isInteger(value) ? value : undefined;
}
