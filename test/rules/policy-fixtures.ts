/**
 * NetworkPolicies and Namespaces around the fixture pair (see fixtures.ts and client-fixtures.ts),
 * shaped like the policies platform teams write: default-deny, allow-lists by namespace and pod.
 */
import { ADDR, DS_ADDR, NAMESPACE, SVC_NAME } from './fixtures';

/** A NetworkPolicy in the fixture's namespace (or another) with the spec given. */
export function policy(name: string, spec: Record<string, unknown>, inNamespace = NAMESPACE): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: inNamespace }, spec };
}

/** The namespace-wide default deny of regulated clusters: every pod isolated for Ingress, nothing admitted. */
export function defaultDenyIngress(inNamespace = NAMESPACE): any {
  return policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }, inNamespace);
}

/** An egress default deny: every pod of the namespace isolated for Egress. */
export function defaultDenyEgress(inNamespace = NAMESPACE): any {
  return policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] }, inNamespace);
}

/** The policy cdk8s-plus writes for `isolate: true`: the agent's pods, no ingress and no egress. */
export function isolated(): any {
  return policy('agent-defaultdenyall', {
    podSelector: { matchLabels: { [ADDR]: DS_ADDR } },
    policyTypes: ['Egress', 'Ingress'],
  });
}

/** The agent's pods admitted on both DNS ports from the peers given. */
export function admitAgent(name: string, from: unknown[] | undefined, ports: unknown[] = BOTH_PORTS): any {
  return policy(name, {
    podSelector: { matchLabels: { [ADDR]: DS_ADDR } },
    ingress: [{ ...(from !== undefined ? { from } : {}), ports }],
  });
}

/** Both container ports of the fixture agent, by number. */
export const BOTH_PORTS = [{ protocol: 'UDP', port: 8053 }, { protocol: 'TCP', port: 8053 }];

/** A peer for every pod of a namespace, by the label the API server sets on each namespace. */
export function namespacePeer(name: string): any {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } };
}

/** A Namespace object with labels. */
export function namespace(name: string, labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A Deployment in another namespace that sends to the fixture Service by its qualified name. */
export function remoteClient(clientNamespace: string, name = 'web', labels: Record<string, string> = { app: name }, podSpec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: clientNamespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'app', image: 'registry.example/web:1', env: [{ name: 'DNS_SERVER', value: `${SVC_NAME}.${NAMESPACE}.svc:53` }] }],
          ...podSpec,
        },
      },
    },
  };
}
