import { PercentOrAbsolute } from 'cdk8s-plus-27';
import { show } from './lint/json';

/**
 * How a `NodeLocalDaemonService` replaces its pods when the pod template changes.
 *
 * A node-local Service has exactly one endpoint per node, so the rollout decides whether a
 * node ever goes without one. Kubernetes' own default (`RollingUpdate` with
 * `maxUnavailable: 1`) deletes the old pod before the new one is ready: clients on that node
 * have their traffic dropped until it is.
 *
 * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
 */
export class NodeLocalRollout {
  /**
   * Start the new pod on a node and wait until it is ready before the old one is stopped
   * (`maxUnavailable: 0`), so the node always has a ready endpoint.
   *
   * A surged pod runs beside the old one, so it cannot bind the same host port: surge is
   * refused for pods with `hostNetwork` or a `hostPort`.
   *
   * @param maxSurge how many nodes (or what share of them) surge at once: above zero, at most
   * 100%; default 1.
   */
  public static surge(maxSurge?: PercentOrAbsolute): NodeLocalRollout {
    const amount = maxSurge ?? PercentOrAbsolute.absolute(1);
    checkAmount('rollout', 'NodeLocalRollout.surge', 'maxSurge', amount);
    return new NodeLocalRollout('RollingUpdate', amount, PercentOrAbsolute.absolute(0));
  }

  /**
   * Stop the old pod on a node before starting the new one (`maxSurge: 0`). Clients on the
   * node lose their endpoint until the new pod is ready: choose this only when the pod cannot
   * run twice on a node (host networking, host ports).
   *
   * @param maxUnavailable how many nodes (or what share of them) are replaced at once: above
   * zero, at most 100%; default 1.
   */
  public static replace(maxUnavailable?: PercentOrAbsolute): NodeLocalRollout {
    const amount = maxUnavailable ?? PercentOrAbsolute.absolute(1);
    checkAmount('rollout', 'NodeLocalRollout.replace', 'maxUnavailable', amount);
    return new NodeLocalRollout('RollingUpdate', PercentOrAbsolute.absolute(0), amount);
  }

  /**
   * Replace a pod only when it is deleted by hand (`OnDelete`): whoever deletes it decides
   * when the node goes without an endpoint.
   */
  public static onDelete(): NodeLocalRollout {
    return new NodeLocalRollout('OnDelete');
  }

  /**
   * The DaemonSet update strategy type: `RollingUpdate` or `OnDelete`.
   */
  public readonly strategyType: string;

  /**
   * How many nodes run a new pod beside the old one at once.
   * @default - none: the strategy is `OnDelete`
   */
  public readonly maxSurge?: PercentOrAbsolute;

  /**
   * How many nodes may be without a ready pod at once.
   * @default - none: the strategy is `OnDelete`
   */
  public readonly maxUnavailable?: PercentOrAbsolute;

  private constructor(strategyType: string, maxSurge?: PercentOrAbsolute, maxUnavailable?: PercentOrAbsolute) {
    this.strategyType = strategyType;
    this.maxSurge = maxSurge;
    this.maxUnavailable = maxUnavailable;
    GENUINE.add(this);
  }

  /**
   * Whether new pods start beside the old ones (`maxSurge` above zero).
   */
  public get surges(): boolean {
    return this.maxSurge !== undefined && !this.maxSurge.isZero();
  }

  /**
   * Whether a node can be left without a ready endpoint during the rollout.
   */
  public get leavesGap(): boolean {
    return this.strategyType === 'OnDelete' || (this.maxUnavailable !== undefined && !this.maxUnavailable.isZero());
  }
}

/** Instances made by the factories: an object built from the prototype by hand has no fields. */
const GENUINE = new WeakSet<object>();

/** Whether a value is a NodeLocalRollout made by one of its factories. */
export function isNodeLocalRollout(value: unknown): value is NodeLocalRollout {
  return typeof value === 'object' && value !== null && GENUINE.has(value);
}

/**
 * Amounts are checked where they are made, so a bad value names the factory it was given to.
 * A DaemonSet needs exactly one of maxSurge and maxUnavailable above zero (apps/v1 validation).
 */
function checkAmount(prop: string, factory: string, field: string, amount: PercentOrAbsolute): void {
  const where = `${prop}: ${factory}(${field})`;
  if (!(amount instanceof PercentOrAbsolute)) {
    throw new Error(`${where} ${show(amount)} is not a PercentOrAbsolute: use PercentOrAbsolute.percent(10) or PercentOrAbsolute.absolute(1)`);
  }
  const value: unknown = amount.value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${where} must be a whole number above zero, got ${value}: use PercentOrAbsolute.absolute(1) or more`);
    }
    return;
  }
  const percent = typeof value === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(value) : null;
  const share = percent ? Number(percent[1]) : NaN;
  if (!percent || !Number.isInteger(share) || share < 1 || share > 100) {
    throw new Error(`${where} must be a whole percentage from 1% to 100% or a whole number above zero, got ${show(value)}: use PercentOrAbsolute.percent(10) or PercentOrAbsolute.absolute(1)`);
  }
}
