/**
 * Which taints a pod tolerates, as the scheduler, the kubelet and the DaemonSet controller decide
 * it, and the taints a client tolerates that its agent does not.
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
 */
import { WorkloadInfo } from '../lint/context';
import { asArray, asNonEmptyString, getIn, isInteger, pointer, show } from '../lint/json';

/** The taint effects that keep a pod away (PreferNoSchedule only steers the scheduler). */
export type TaintEffect = 'NoSchedule' | 'NoExecute';
const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'NoExecute'];

/** The taints a toleration tolerates: `key` or `value` undefined means any. */
export interface TolerationPattern {
  readonly key?: string;
  readonly value?: string;
  readonly effects: readonly TaintEffect[];
  /** Where it comes from: the pod's own list, its nodeName, or the DaemonSet controller. */
  readonly origin: 'toleration' | 'nodeName' | 'daemonSet';
  /** JSON pointer below the pod spec (`/tolerations/0`, `/nodeName`, `/hostNetwork`, ''). */
  readonly path: string;
}

/**
 * The tolerations the DaemonSet controller adds to every DaemonSet pod, so that it runs on nodes
 * that are not ready, unreachable, under pressure or cordoned.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
 */
const DAEMONSET_TOLERATIONS: ReadonlyArray<readonly [string, TaintEffect]> = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
];

/** Added to DaemonSet pods on the host network only. */
export const NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/**
 * One toleration as the taints it tolerates, per `Toleration.ToleratesTaint`: an empty effect
 * matches every effect, an empty key with Exists every taint, an absent operator is Equal, and
 * an unknown operator tolerates nothing. With `durable`, a NoExecute toleration limited by
 * tolerationSeconds does not count (the pod is evicted when it runs out).
 */
function readToleration(toleration: unknown, path: string, durable: boolean): TolerationPattern | undefined {
  const key = getIn(toleration, 'key');
  const operator = getIn(toleration, 'operator');
  const value = getIn(toleration, 'value');
  const effect = getIn(toleration, 'effect');
  const unset = (v: unknown): boolean => v === undefined || v === null || v === '';
  if ((!unset(key) && typeof key !== 'string') || (!unset(effect) && typeof effect !== 'string')) {
    return undefined;
  }
  let effects: TaintEffect[] = unset(effect) ? [...EFFECTS] : EFFECTS.filter((e) => e === effect);
  if (durable && isInteger(getIn(toleration, 'tolerationSeconds'))) {
    effects = effects.filter((e) => e !== 'NoExecute');
  }
  const keyed = unset(key) ? {} : { key: key as string };
  if (operator === 'Exists') {
    return effects.length === 0 ? undefined : { ...keyed, effects, origin: 'toleration', path };
  }
  if (!unset(operator) && operator !== 'Equal') {
    return undefined;
  }
  if (!unset(value) && typeof value !== 'string') {
    return undefined;
  }
  return effects.length === 0 ? undefined : { ...keyed, value: unset(value) ? '' : value as string, effects, origin: 'toleration', path };
}

/**
 * The taints a workload's pods tolerate: their tolerations, those the DaemonSet controller adds,
 * and (for a pod with nodeName, which bypasses the scheduler) every NoSchedule taint. For the
 * agent (`durable`), a NoExecute toleration with tolerationSeconds does not count.
 */
export function readTolerations(workload: WorkloadInfo, durable: boolean): TolerationPattern[] {
  const spec = workload.podSpec;
  const patterns: TolerationPattern[] = [];
  asArray(getIn(spec, 'tolerations')).forEach((t, i) => {
    const pattern = readToleration(t, pointer('', 'tolerations', i), durable);
    if (pattern !== undefined) {
      patterns.push(pattern);
    }
  });
  if (workload.object.kind === 'DaemonSet') {
    for (const [key, effect] of DAEMONSET_TOLERATIONS) {
      patterns.push({ key, effects: [effect], origin: 'daemonSet', path: '' });
    }
    if (getIn(spec, 'hostNetwork') === true) {
      patterns.push({ key: NETWORK_UNAVAILABLE, effects: ['NoSchedule'], origin: 'daemonSet', path: '/hostNetwork' });
    }
  }
  if (!durable && asNonEmptyString(getIn(spec, 'nodeName')) !== undefined) {
    patterns.push({ effects: ['NoSchedule'], origin: 'nodeName', path: '/nodeName' });
  }
  return patterns;
}

/** Whether the agent's pattern tolerates every taint of the client's pattern with that effect. */
function covers(agent: TolerationPattern, client: TolerationPattern, effect: TaintEffect): boolean {
  return agent.effects.includes(effect)
    && (agent.key === undefined || (client.key !== undefined && agent.key === client.key))
    && (agent.value === undefined || (client.value !== undefined && agent.value === client.value));
}

/** A client toleration with the effects of the taints it tolerates that the agent does not. */
export interface TaintGap {
  readonly pattern: TolerationPattern;
  readonly effects: readonly TaintEffect[];
}

/**
 * The client's tolerations that tolerate taints the agent does not. Exact: keys and values are
 * unbounded, so a union of agent tolerations covers a client toleration only if one does.
 */
export function taintGaps(client: readonly TolerationPattern[], agent: readonly TolerationPattern[]): TaintGap[] {
  const gaps: TaintGap[] = [];
  for (const pattern of client) {
    const effects = pattern.effects.filter((e) => !agent.some((a) => covers(a, pattern, e)));
    if (effects.length > 0) {
      gaps.push({ pattern, effects });
    }
  }
  return gaps;
}

/** The taints of a gap, e.g. `the taint gpu=true:NoSchedule` or `every taint with key gpu`. */
export function describeTaints(gap: TaintGap): string {
  const { key, value } = gap.pattern;
  const one = gap.effects.length === 1 ? gap.effects[0] : undefined;
  if (key === undefined && value === undefined) {
    return one === undefined ? 'every taint' : `every ${one} taint`;
  }
  if (value === undefined) {
    return `every taint with key ${key}${one === undefined ? '' : ` and effect ${one}`}`;
  }
  if (key === undefined) {
    return `every taint with value ${show(value)}${one === undefined ? '' : ` and effect ${one}`}`;
  }
  const taints = gap.effects.map((e) => `${key}${value === '' ? '' : `=${value}`}:${e}`);
  return taints.length === 1 ? `the taint ${taints[0]}` : `the taints ${taints.join(' and ')}`;
}

/** The toleration that covers a gap, written as YAML flow, e.g. `{key: gpu, operator: Equal, value: "true", effect: NoSchedule}`. */
export function tolerationFor(gap: TaintGap): string {
  const { key, value } = gap.pattern;
  const fields: string[] = [];
  if (key !== undefined) {
    fields.push(`key: ${key}`);
  }
  fields.push(`operator: ${value === undefined ? 'Exists' : 'Equal'}`);
  if (value !== undefined) {
    fields.push(`value: ${JSON.stringify(value)}`);
  }
  if (gap.effects.length === 1) {
    fields.push(`effect: ${gap.effects[0]}`);
  }
  return `{${fields.join(', ')}}`;
}
