import { ResourceRef } from './finding';

/**
 * A node-local Service and the DaemonSet it must route to.
 */
export interface NodeLocalPairRef {
  /** The node-local Service (`internalTrafficPolicy: Local` or `trafficDistribution: PreferSameNode`). */
  readonly service: ResourceRef;
  /** The DaemonSet whose pods are the Service's only endpoints. */
  readonly daemonSet: ResourceRef;
}

/**
 * Options for `lintManifests`.
 */
export interface LintOptions {
  /**
   * The pairs to check. When given, only these pairs (and the objects that relate to them)
   * are checked, and a Service in a pair is held to the node-local rules even when it has
   * neither `internalTrafficPolicy: Local` nor `trafficDistribution: PreferSameNode`.
   *
   * @default - every Service with `internalTrafficPolicy: Local` or `trafficDistribution:
   * PreferSameNode` is checked, paired with the DaemonSets in the same namespace whose pod
   * template its selector selects
   */
  readonly pairs?: NodeLocalPairRef[];

  /**
   * The namespace that objects without `metadata.namespace` are applied to, as
   * `kubectl apply -n NAMESPACE` and `helm install -n NAMESPACE` apply them. Objects of
   * cluster-scoped kinds have no namespace.
   *
   * @default 'default' - kubectl's and Helm's default namespace
   */
  readonly namespace?: string;

  /**
   * The Kubernetes version of the cluster the manifests are applied to, as `MAJOR.MINOR`
   * (e.g. `1.34`): fields the version does not have are reported.
   *
   * @default - unknown: no finding depends on the cluster's version
   */
  readonly kubernetesVersion?: string;
}
