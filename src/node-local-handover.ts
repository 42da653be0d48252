// The construct's handover defaults: how a surging rollout hands a node's traffic from the old
// pod to the new one without a moment where the only programmed endpoint is a stopped process.
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { atLeast, SLEEP_ACTION_SINCE } from './kubernetes-version';
import { DEFAULT_GRACE_PERIOD_SECONDS, ENDPOINT_PROPAGATION_SECONDS } from './lint/handover';
import { NodeLocalRollout } from './node-local-rollout';

/**
 * How long the old pod keeps serving after it is told to stop: long enough for kube-proxy to
 * take its endpoint out (one sync, at least 1 s) while the new endpoint, programmed during the
 * new pod's `minReadySeconds`, takes the traffic.
 */
export const PRESTOP_SLEEP_SECONDS = 5;

/** What the construct writes for the handover. */
export interface HandoverPlan {
  /** `minReadySeconds` for cdk8s-plus, undefined for its default (0). */
  readonly minReadySeconds?: number;
  /** The containers that get a preStop `sleep` of `preStopSleepSeconds`. */
  readonly sleepingContainers: string[];
  readonly preStopSleepSeconds: number;
  /** `terminationGracePeriod` for cdk8s-plus, undefined for the user's or its default (30 s). */
  readonly terminationGracePeriod?: Duration;
}

/** What the handover depends on. */
export interface HandoverInputs {
  readonly rollout: NodeLocalRollout;
  /** The lowest Kubernetes version the cluster can have, when known. */
  readonly kubernetesAtLeast?: string;
  readonly minReadySeconds?: number;
  readonly terminationGracePeriod?: Duration;
  readonly containers: kplus.ContainerProps[];
  /** The names of the containers behind the Service's ports. */
  readonly servingContainers: string[];
}

/**
 * Only a surging rollout has a handover: `replace()` and `onDelete()` stop the old pod before the
 * new one exists, so the node's gap is the new pod's start-up whatever the old pod does, and a
 * delay on either side would only lengthen the rollout. The user's own settings win.
 */
export function planHandover(inputs: HandoverInputs): HandoverPlan {
  const surges = inputs.rollout.surges;
  const minReadySeconds = inputs.minReadySeconds ?? (surges ? ENDPOINT_PROPAGATION_SECONDS : undefined);
  const userGrace = inputs.terminationGracePeriod?.toSeconds();
  // the sleep action needs no binary in the image, but a cluster that lacks it rejects the pod
  const canSleep = surges
    && inputs.kubernetesAtLeast !== undefined && atLeast(inputs.kubernetesAtLeast, SLEEP_ACTION_SINCE)
    // a grace period that the sleep would use up gets the container killed mid-handover
    && (userGrace === undefined || userGrace > PRESTOP_SLEEP_SECONDS);
  const sleepingContainers = canSleep
    ? inputs.containers
      .filter(c => inputs.servingContainers.includes(c.name ?? 'main') && c.lifecycle?.preStop === undefined)
      .map(c => c.name ?? 'main')
    : [];
  return {
    minReadySeconds,
    sleepingContainers,
    preStopSleepSeconds: PRESTOP_SLEEP_SECONDS,
    // the agent keeps the whole default grace period for its own shutdown after the sleep
    terminationGracePeriod: sleepingContainers.length > 0 && userGrace === undefined
      ? Duration.seconds(DEFAULT_GRACE_PERIOD_SECONDS + PRESTOP_SLEEP_SECONDS)
      : undefined,
  };
}
