// NodeLocalTrafficDropped: kube-proxy's own count of the Service ports it drops traffic to on its
// node. `kubeproxy_sync_proxy_rules_no_local_endpoints_total{traffic_policy="internal"}` is a
// gauge (despite its name), recounted at each sync since Kubernetes 1.24: the ports of Services
// with internalTrafficPolicy: Local that have endpoints, none of them on this node (a Service
// with no endpoint at all is rejected, not dropped, and is not counted). It carries no node
// label: the node comes from kube-state-metrics' kube_pod_info for the kube-proxy pod (the `pod`
// label that kube-prometheus' PodMonitor and kube-prometheus-stack's ServiceMonitor attach), or
// else from `instance`, which kube-prometheus sets to the node name. Newer kube-proxies add an
// `ip_family` label: a dual-stack node has two series, and the larger count is reported.
import { eq, indent, Matcher, promDuration, selector } from './promql';
import { AlertRule, ksm, runbookUrl } from './rule';
import { AlertSettings, TRAFFIC_DROPPED } from './settings';

/** The alert, once for the whole cluster: the count is per node, not per Service. */
export function trafficDroppedRule(settings: AlertSettings): AlertRule {
  const gauge = (...extra: Matcher[]) => selector('kubeproxy_sync_proxy_rules_no_local_endpoints_total',
    [eq('job', settings.kubeProxyJob), eq('traffic_policy', 'internal'), ...extra]);
  const withPod = `(max by (namespace, pod, instance) (${gauge()}) > 0)\n`
    + '* on (namespace, pod) group_left (node)\n'
    + `max by (namespace, pod, node) (${ksm(settings, 'kube_pod_info', { label: 'node', op: '!=', value: '' })})`;
  const withoutPod = `label_replace(\n  max by (instance) (${gauge(eq('pod', ''))}) > 0,\n  "node", "$1", "instance", "(.*)"\n)`;
  const lasting = promDuration(settings.trafficDropped.forMs);
  return {
    alert: TRAFFIC_DROPPED,
    expr: `(\n  ${indent(withPod)}\n)\nor\n${withoutPod}`,
    for: lasting,
    labels: { ...settings.labels, severity: settings.trafficDropped.severity },
    annotations: {
      summary: 'kube-proxy on node {{ $labels.node }} drops the traffic to {{ $value }} node-local Service port(s)',
      description: `For ${lasting}, kube-proxy on node {{ $labels.node }} has counted {{ $value }} port(s) of Services with `
        + 'internalTrafficPolicy: Local that have ready endpoints on other nodes but none on this one: it drops the in-cluster traffic '
        + 'that pods on this node send to them. For the agents these rules know, NodeLocalEndpointMissing names the DaemonSet; '
        + 'for another Service, find the node-local Services (kubectl get services -A -o custom-columns=NAMESPACE:.metadata.namespace,'
        + 'NAME:.metadata.name,POLICY:.spec.internalTrafficPolicy) and which of them has no ready endpoint on the node '
        + '(kubectl get endpointslices -A -o wide shows the endpoints; kubectl get pods -A -o wide --field-selector spec.nodeName={{ $labels.node }} '
        + 'the pods on the node).',
      runbook_url: runbookUrl(settings, TRAFFIC_DROPPED),
    },
  };
}
