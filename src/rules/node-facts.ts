/**
 * What every Kubernetes node is known to carry, whatever the cluster: the labels the kubelet sets
 * on every node, and the kinds of nodes that never run DaemonSet pods. The coverage rules read pod
 * specs, not nodes, so without these facts they would invent nodes that cannot exist (a node without
 * `kubernetes.io/os`) and gaps that no fix can close (a DaemonSet on EKS Fargate).
 *
 * @see https://kubernetes.io/docs/reference/labels-annotations-taints/
 */
import { Domain, PRESENT, Product } from './label-domains';

/** The operating system label: `linux` or `windows` on every node. */
export const OS_LABEL = 'kubernetes.io/os';
/** The architecture label (`amd64`, `arm64`...), on every node. */
export const ARCH_LABEL = 'kubernetes.io/arch';
/** The node's host name, on every node. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The deprecated beta labels the kubelet still sets with the same values. */
const BETA_ALIASES = new Map<string, string>([
  ['beta.kubernetes.io/os', OS_LABEL],
  ['beta.kubernetes.io/arch', ARCH_LABEL],
]);

/** The operating systems Kubernetes nodes run. */
const OPERATING_SYSTEMS: ReadonlySet<string> = new Set(['linux', 'windows']);

/**
 * The labels of nodes that never run a DaemonSet's pods: EKS Fargate runs each pod on a node of
 * its own, and a virtual-kubelet node (Azure virtual nodes, ACI, Admiralty...) is not a machine.
 * A DaemonSet that excludes them excludes nothing it could run on.
 */
export const NO_DAEMONSET_NODES: ReadonlyArray<{ readonly key: string; readonly value: string; readonly what: string }> = [
  { key: 'eks.amazonaws.com/compute-type', value: 'fargate', what: 'EKS Fargate nodes' },
  { key: 'type', value: 'virtual-kubelet', what: 'virtual-kubelet nodes' },
];

/** The key a label requirement is about: the beta OS and architecture labels are the same labels. */
export function canonicalLabel(key: string): string {
  return BETA_ALIASES.get(key) ?? key;
}

/** Whether a label key describes what the node can run (its OS or architecture), which an image dictates. */
export function isPlatformLabel(key: string): boolean {
  return key === OS_LABEL || key === ARCH_LABEL;
}

/** Label prefixes that node-feature-discovery and device plugins set for a node's hardware. */
const HARDWARE_PREFIXES: readonly string[] = [
  'feature.node.kubernetes.io/', 'nvidia.com/', 'amd.com/', 'gpu.intel.com/', 'intel.feature.node.kubernetes.io/',
  'aws.amazon.com/neuron', 'habana.ai/',
];
/** Labels cloud providers set on nodes with accelerators. */
const HARDWARE_LABELS: ReadonlySet<string> = new Set([
  'cloud.google.com/gke-accelerator', 'cloud.google.com/gke-tpu-accelerator', 'cloud.google.com/gke-gpu',
  'k8s.amazonaws.com/accelerator', 'kubernetes.azure.com/accelerator', 'accelerator',
]);

/**
 * Whether a label key describes hardware the node has (a GPU, an accelerator, a CPU feature): an
 * agent restricted to it (a device plugin, a GPU exporter) needs that hardware, and its clients
 * are the workloads that use it, so removing the restriction is no fix.
 */
export function isHardwareLabel(key: string): boolean {
  return HARDWARE_LABELS.has(key) || HARDWARE_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * The nodes that exist and can run DaemonSet pods: every such node has an OS of linux or windows,
 * an architecture and a host name, and is neither a Fargate nor a virtual-kubelet node.
 */
export const REAL_NODES: Product = new Map<string, Domain>([
  [OS_LABEL, { absent: false, negated: false, values: OPERATING_SYSTEMS }],
  [ARCH_LABEL, PRESENT],
  [HOSTNAME_LABEL, PRESENT],
  ...NO_DAEMONSET_NODES.map(({ key, value }): [string, Domain] => [key, { absent: true, negated: true, values: new Set([value]) }]),
]);
