/**
 * How a node-local Service routes each client's traffic to the agents.
 *
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#internal-traffic-policy
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#traffic-distribution
 */
export class NodeLocalTraffic {
  /**
   * `internalTrafficPolicy: Local`, the default: kube-proxy sends each client only to the agent
   * on the client's own node. Traffic never leaves the node, so the agent knows exactly which
   * node a request came from; while the node has no ready agent (a rollout gap, a node the
   * DaemonSet does not cover, an agent that crashed) the traffic is dropped, which the rollout
   * and coverage defaults and the rules guard against. Kubernetes 1.22 or later (GA in 1.26).
   */
  public static local(): NodeLocalTraffic {
    return new NodeLocalTraffic('Local', 'Local', undefined, '1.22');
  }

  /**
   * `trafficDistribution: PreferSameNode` with `internalTrafficPolicy: Cluster`: kube-proxy sends
   * each client to the agent on its own node when that agent is ready, and to an agent on another
   * node otherwise, instead of dropping the traffic. During such a fallback the agent sees traffic
   * from another node, so per-node attribution is lost for that time. Needs Kubernetes 1.34 or
   * later (KEP-3015: alpha in 1.33, beta and on by default in 1.34, GA in 1.35).
   */
  public static preferSameNode(): NodeLocalTraffic {
    return new NodeLocalTraffic('PreferSameNode', 'Cluster', 'PreferSameNode', '1.34');
  }

  /**
   * The mode's name: `Local` or `PreferSameNode`.
   */
  public readonly mode: string;

  /**
   * The Service's `spec.internalTrafficPolicy`: `Local` or `Cluster`.
   */
  public readonly internalTrafficPolicy: string;

  /**
   * The Service's `spec.trafficDistribution`.
   * @default - none: the field is not written
   */
  public readonly trafficDistribution?: string;

  /**
   * The lowest Kubernetes version (`MAJOR.MINOR`) on which the mode works as described.
   */
  public readonly minimumKubernetesVersion: string;

  private constructor(mode: string, internalTrafficPolicy: string, trafficDistribution: string | undefined, minimumKubernetesVersion: string) {
    this.mode = mode;
    this.internalTrafficPolicy = internalTrafficPolicy;
    this.trafficDistribution = trafficDistribution;
    this.minimumKubernetesVersion = minimumKubernetesVersion;
    GENUINE.add(this);
  }

  /**
   * Whether traffic falls back to another node's agent instead of being dropped.
   */
  public get fallsBack(): boolean {
    return this.trafficDistribution !== undefined;
  }
}

/** Instances made by the factories: an object built from the prototype by hand has no fields. */
const GENUINE = new WeakSet<object>();

/** Whether a value is a NodeLocalTraffic made by one of its factories. */
export function isNodeLocalTraffic(value: unknown): value is NodeLocalTraffic {
  return typeof value === 'object' && value !== null && GENUINE.has(value);
}
