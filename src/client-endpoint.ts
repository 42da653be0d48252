/**
 * How a client connected with `NodeLocalDaemonService.connect()` reaches the agent on its node.
 */
export class ClientEndpoint {
  /**
   * Through the node-local Service's DNS name: the short name when the client and the Service
   * are known to share a namespace, else the fully qualified
   * `<name>.<namespace>.svc.<clusterDomain>`. The Service's traffic mode
   * (`internalTrafficPolicy: Local` or `trafficDistribution: PreferSameNode`) keeps the traffic
   * on the client's node.
   */
  public static service(): ClientEndpoint {
    return new ClientEndpoint('service');
  }

  /**
   * Through the node's IP address (`status.hostIP` from the downward API) and the port's host
   * port, for clusters whose network plugin does not implement `internalTrafficPolicy`, or for
   * agents on the host network. The port must be exposed on the host: give it a `hostPort`, or
   * run the agent with `hostNetwork`.
   */
  public static hostIp(): ClientEndpoint {
    return new ClientEndpoint('hostIp');
  }

  /**
   * The kind of endpoint: `service` or `hostIp`.
   */
  public readonly kind: string;

  private constructor(kind: string) {
    this.kind = kind;
  }
}
