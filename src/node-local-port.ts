import { Protocol } from 'cdk8s-plus-27';

/**
 * A port of a `NodeLocalDaemonService`: a Service port and the container port behind it.
 *
 * The construct makes the chosen container declare the container port (number, name,
 * protocol, host port) when it does not already, so the Service and the pod cannot drift apart.
 */
export interface NodeLocalPort {
  /**
   * The port the Service listens on, 1–65535.
   */
  readonly port: number;

  /**
   * The name of the Service port and of the container port: an IANA service name (at most 15
   * characters of `a-z`, `0-9` and `-`, at least one letter). Required when the service has
   * more than one port; `endpoint()` finds ports by it.
   *
   * @default - no name (only allowed for a single-port service)
   */
  readonly name?: string;

  /**
   * The protocol. The same number may be used on TCP and UDP, as DNS does with 53.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;

  /**
   * The container port the Service forwards to, 1–65535.
   *
   * @default - the same as `port`
   */
  readonly targetPort?: number;

  /**
   * The application protocol (`appProtocol`) of the Service port: an IANA service name such as
   * `grpc` or `http`, or a domain-prefixed name such as `kubernetes.io/h2c`.
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#application-protocol
   * @default - none
   */
  readonly appProtocol?: string;

  /**
   * The name of the container that listens on the port.
   *
   * @default - the first container
   */
  readonly container?: string;

  /**
   * Also expose the port on the node's IP address (`hostPort`), for clients that reach the agent
   * through `status.hostIP`. A pod with a host port cannot surge: the default rollout becomes
   * `NodeLocalRollout.replace()`. With `hostNetwork` the container port already is the host port,
   * and a different number is refused.
   *
   * @see https://kubernetes.io/docs/concepts/configuration/overview/#services
   * @default - no host port (with `hostNetwork`, the container port)
   */
  readonly hostPort?: number;
}
