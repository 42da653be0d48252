/**
 * A correct node-local pair as plain objects, shaped like cdk8s-plus output, for the rule
 * tests to mutate: each test breaks one thing and expects exactly the finding for it.
 */
import { Finding } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';
import { LintOptions } from '../../src/lint/lint-options';

export const NAMESPACE = 'infra';
export const DS_NAME = 'node-dns-agent-c8f2a4b1';
export const SVC_NAME = 'node-dns-service-c8d9e0a7';
export const ADDR = 'cdk8s.io/metadata.addr';
export const DS_ADDR = 'node-dns-agent-c8a1b2c3';

/** How messages name the fixture's objects. */
export const DS = `DaemonSet ${NAMESPACE}/${DS_NAME}`;
export const SVC = `Service ${NAMESPACE}/${SVC_NAME}`;

/** The fixture's objects as findings name them. */
export const DS_REF = { kind: 'DaemonSet', name: DS_NAME, namespace: NAMESPACE };
export const SVC_REF = { kind: 'Service', name: SVC_NAME, namespace: NAMESPACE };

/** Options that declare the fixture's pair explicitly. */
export const DECLARED: LintOptions = { pairs: [{ service: SVC_REF, daemonSet: DS_REF }] };

/**
 * A correct DaemonSet: DNS cache agent on 8053 (UDP and TCP), surge rollout that waits for the
 * new endpoint to be programmed (minReadySeconds 10), tolerates every taint.
 */
export function daemonSet(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: DS_NAME, namespace: NAMESPACE },
    spec: {
      minReadySeconds: 10,
      selector: { matchLabels: { [ADDR]: DS_ADDR } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { [ADDR]: DS_ADDR } },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              image: 'registry.example/node-dns:1.2.3',
              imagePullPolicy: 'Always',
              name: 'main',
              ports: [
                { containerPort: 8053, name: 'dns', protocol: 'UDP' },
                { containerPort: 8053, name: 'dns-tcp', protocol: 'TCP' },
              ],
              readinessProbe: { failureThreshold: 3, tcpSocket: { port: 8053 } },
              resources: { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
            },
          ],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          priorityClassName: 'system-node-critical',
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
          tolerations: [{ operator: 'Exists' }],
        },
      },
    },
  };
}

/** A correct node-local Service in front of `daemonSet()`. */
export function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SVC_NAME, namespace: NAMESPACE },
    spec: {
      externalIPs: [],
      internalTrafficPolicy: 'Local',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns-tcp' },
      ],
      selector: { [ADDR]: DS_ADDR },
      type: 'ClusterIP',
    },
  };
}

/** The correct pair, [DaemonSet, Service], after applying a mutation to fresh copies. */
export function pair(mutate?: (ds: any, svc: any) => void): any[] {
  const ds = daemonSet();
  const svc = service();
  mutate?.(ds, svc);
  return [ds, svc];
}

/** Lints in both modes and returns the findings of one rule; both modes must agree. */
export function lintBoth(manifests: any[], ruleId: string): Finding[] {
  const auto = lintManifests(manifests).filter((f) => f.ruleId === ruleId);
  const declared = lintManifests(manifests, DECLARED).filter((f) => f.ruleId === ruleId);
  expect(declared).toEqual(auto);
  return auto;
}

/** The rule ids of the findings, in order. */
export function ids(findings: Finding[]): string[] {
  return findings.map((f) => f.ruleId);
}

/** The single finding of the list; fails the test when there are none or several. */
export function single(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0];
}
