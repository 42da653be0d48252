// Input series for promtool's unit tests, shaped as kube-state-metrics and kube-proxy expose them
// when kube-prometheus scrapes them (honorLabels keeps kube-state-metrics' own namespace and pod).
// Values use promtool's notation, one sample a minute: `1x10` is eleven samples of 1, `_` a
// missing sample, `stale` the end of a series (a pod deleted, a node gone).

/** One input series. */
export interface Series {
  readonly series: string;
  readonly values: string;
}

/** The target labels of the kube-state-metrics scrape. */
const KSM = { job: 'kube-state-metrics', instance: '10.244.0.12:8443', endpoint: 'https-main', service: 'kube-state-metrics' };

/** A second kube-state-metrics replica: high availability without sharding duplicates every series. */
export const KSM_REPLICA = { instance: '10.244.1.40:8443' };

function text(metric: string, labels: Record<string, string>): string {
  return `${metric}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

function ksm(metric: string, labels: Record<string, string>, values: string, replica?: Record<string, string>): Series {
  return { series: text(metric, { ...KSM, ...replica, ...labels }), values };
}

/** The Ready values turned into NotReady ones: 1 and 0 swap, gaps and `stale` stay. */
function invert(values: string): string {
  return mapSamples(values, bit => (bit === '1' ? '0' : '1'));
}

/** Every 0 or 1 sample as 0: the series exists when the other does, with value 0. */
function zeros(values: string): string {
  return mapSamples(values, () => '0');
}

function mapSamples(values: string, f: (bit: string) => string): string {
  return values.split(' ').map((token) => {
    const match = /^([01])(x\d+)?$/.exec(token);
    return match ? `${f(match[1])}${match[2] ?? ''}` : token;
  }).join(' ');
}

/** A stable fake address for a name. */
function address(name: string): string {
  const sum = [...name].reduce((n, c) => n + c.charCodeAt(0), 0);
  return `10.0.${sum % 250}.${(sum * 7) % 250 + 2}`;
}

/** `value` from minute 0 to `minutes`. */
export function constant(value: number | string, minutes: number): string {
  return `${value}x${minutes}`;
}

/** A node: kube_node_info, its Ready condition and its taints. */
export function node(name: string, options: {
  readonly minutes: number;
  /** The Ready condition's values. @default - ready throughout */
  readonly ready?: string;
  readonly taints?: ReadonlyArray<{ readonly key: string; readonly value?: string; readonly effect: string }>;
  readonly replica?: Record<string, string>;
}): Series[] {
  const all = constant(1, options.minutes);
  const ready = options.ready ?? all;
  return [
    ksm('kube_node_info', {
      node: name,
      kernel_version: '6.1.0-27-cloud-amd64',
      os_image: 'Debian GNU/Linux 12 (bookworm)',
      container_runtime_version: 'containerd://1.7.24',
      kubelet_version: 'v1.31.4',
      kubeproxy_version: 'v1.31.4',
      internal_ip: address(name),
      provider_id: `gce://shop-prod/europe-west1-b/${name}`,
      pod_cidr: '10.244.3.0/24',
      system_uuid: `5f1b3c2e-${name}`,
    }, all, options.replica),
    ksm('kube_node_status_condition', { node: name, condition: 'Ready', status: 'true' }, ready, options.replica),
    ksm('kube_node_status_condition', { node: name, condition: 'Ready', status: 'false' }, invert(ready), options.replica),
    ksm('kube_node_status_condition', { node: name, condition: 'Ready', status: 'unknown' }, zeros(ready), options.replica),
    ...(options.taints ?? []).map(t => ksm('kube_node_spec_taint', {
      node: name, key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect,
    }, all, options.replica)),
  ];
}

/** A pod of a DaemonSet: kube_pod_info, kube_pod_owner and kube_pod_status_ready. */
export function agentPod(options: {
  readonly namespace: string;
  readonly daemonSet: string;
  readonly pod: string;
  /** The node it is bound to; undefined while it is Pending without a node. */
  readonly node?: string;
  /** When the pod exists: 1 per minute it exists, `_` before it is created, `stale` once deleted. */
  readonly exists: string;
  /** Its Ready condition, one value per minute of `exists`: 1 ready, 0 not. */
  readonly ready: string;
  readonly replica?: Record<string, string>;
}): Series[] {
  const uid = `${options.pod}-uid`;
  const pod = { namespace: options.namespace, pod: options.pod, uid };
  return [
    ksm('kube_pod_info', {
      ...pod,
      ...(options.node ? { node: options.node, host_ip: address(options.node), pod_ip: address(options.pod) } : {}),
      created_by_kind: 'DaemonSet',
      created_by_name: options.daemonSet,
      priority_class: 'system-node-critical',
      host_network: 'false',
    }, options.exists, options.replica),
    ksm('kube_pod_owner', { ...pod, owner_kind: 'DaemonSet', owner_name: options.daemonSet, owner_is_controller: 'true' }, options.exists, options.replica),
    ksm('kube_pod_status_ready', { ...pod, condition: 'true' }, options.ready, options.replica),
    ksm('kube_pod_status_ready', { ...pod, condition: 'false' }, invert(options.ready), options.replica),
    ksm('kube_pod_status_ready', { ...pod, condition: 'unknown' }, zeros(options.ready), options.replica),
  ];
}

/** A pod that is not a DaemonSet's (kube-proxy's own, say), bound to a node, for kube_pod_info only. */
export function otherPod(namespace: string, pod: string, nodeName: string, createdByKind: string, minutes: number): Series {
  return ksm('kube_pod_info', {
    namespace,
    pod,
    uid: `${pod}-uid`,
    node: nodeName,
    host_ip: address(nodeName),
    pod_ip: address(nodeName),
    created_by_kind: createdByKind,
    created_by_name: 'kube-proxy',
    priority_class: 'system-node-critical',
    host_network: 'true',
  }, constant(1, minutes));
}

/** A DaemonSet's status, one values string per count. */
export function daemonSetStatus(namespace: string, daemonSet: string, counts: {
  readonly desired: string;
  readonly current: string;
  readonly updated: string;
  readonly available: string;
  readonly ready: string;
  readonly unavailable: string;
  readonly misscheduled: string;
}): Series[] {
  const labels = { namespace, daemonset: daemonSet };
  return [
    ksm('kube_daemonset_status_desired_number_scheduled', labels, counts.desired),
    ksm('kube_daemonset_status_current_number_scheduled', labels, counts.current),
    ksm('kube_daemonset_status_updated_number_scheduled', labels, counts.updated),
    ksm('kube_daemonset_status_number_available', labels, counts.available),
    ksm('kube_daemonset_status_number_ready', labels, counts.ready),
    ksm('kube_daemonset_status_number_unavailable', labels, counts.unavailable),
    ksm('kube_daemonset_status_number_misscheduled', labels, counts.misscheduled),
  ];
}

/**
 * kube-proxy's gauge on one node, as kube-prometheus' PodMonitor scrapes it: `instance` is the
 * node's name and the target carries the kube-proxy pod's `namespace` and `pod`. With `static`,
 * as a hand-written scrape config leaves it: only `job` and `instance`.
 */
export function kubeProxyGauge(options: {
  readonly node: string;
  readonly pod?: string;
  readonly internal: string;
  /** @default - 0 for an hour */
  readonly external?: string;
  readonly ipFamily?: string;
  readonly static?: boolean;
}): Series[] {
  const target: Record<string, string> = options.static
    ? { job: 'kube-proxy', instance: options.node }
    : { job: 'kube-proxy', instance: options.node, namespace: 'kube-system', pod: options.pod!, container: 'kube-proxy' };
  const family: Record<string, string> = options.ipFamily ? { ip_family: options.ipFamily } : {};
  const metric = 'kubeproxy_sync_proxy_rules_no_local_endpoints_total';
  return [
    { series: text(metric, { ...target, ...family, traffic_policy: 'internal' }), values: options.internal },
    { series: text(metric, { ...target, ...family, traffic_policy: 'external' }), values: options.external ?? constant(0, 60) },
  ];
}
