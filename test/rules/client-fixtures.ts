/**
 * Clients of the fixture pair (see fixtures.ts) as plain objects: workloads whose environment
 * refers to the node-local Service, for the client-coverage rules to compare with the agent.
 */
import { DS_REF, NAMESPACE, SVC_NAME, SVC_REF } from './fixtures';

export const CLIENT_NAME = 'checkout';
export const CLIENT = `Deployment ${NAMESPACE}/${CLIENT_NAME}`;
export const CLIENT_REF = { kind: 'Deployment', name: CLIENT_NAME, namespace: NAMESPACE };
export const POD = '/spec/template/spec';
/** The pair a client's finding concerns. */
export const PAIR = { service: SVC_REF, daemonSet: DS_REF };

/** The fully qualified DNS name of the fixture's Service. */
export const SVC_FQDN = `${SVC_NAME}.${NAMESPACE}.svc.cluster.local`;

/** A Deployment in the fixture's namespace that sends to the Service through `value`, with the pod spec fields given. */
export function client(podSpec: Record<string, unknown> = {}, value = `${SVC_NAME}:53`, name = CLIENT_NAME): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image: 'registry.example/app:1', env: [{ name: 'DNS_SERVER', value }] }],
          ...podSpec,
        },
      },
    },
  };
}

/** A required node affinity with these nodeSelectorTerms (whatever they hold). */
export function requiredTerms(nodeSelectorTerms: unknown): any {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } };
}

/** A required node affinity of one term per list of expressions. */
export function requiredAffinity(...terms: Array<Array<Record<string, unknown>>>): any {
  return requiredTerms(terms.map((matchExpressions) => ({ matchExpressions })));
}

/** The fixture DaemonSet mutated to tolerate no taint. */
export function noTolerations(ds: any): void {
  delete ds.spec.template.spec.tolerations;
}
