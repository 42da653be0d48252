// A node-local pair as a Helm chart renders it (node-local DNS cache), in two templates.
// Correct as written; tests derive broken variants by replacing lines, so line numbers are stable.
import { lines } from './support';

/** A correct node-local Service: line 2 is `apiVersion`, line 8 `internalTrafficPolicy`. */
export const SERVICE = lines(
  '# Source: node-cache/templates/service.yaml', //  1
  'apiVersion: v1', //                              2
  'kind: Service', //                               3
  'metadata:', //                                   4
  '  name: node-cache', //                          5
  '  namespace: kube-system', //                    6
  'spec:', //                                       7
  '  internalTrafficPolicy: Local', //              8
  '  selector:', //                                 9
  '    app.kubernetes.io/name: node-cache', //     10
  '  ports:', //                                   11
  '    - name: dns', //                            12
  '      port: 53', //                             13
  '      protocol: UDP', //                        14
  '      targetPort: dns', //                      15
);

/** The same Service, headless: NL002 at /spec/clusterIP, line 8. */
export const HEADLESS_SERVICE = SERVICE.replace('  internalTrafficPolicy: Local\n', '  clusterIP: None\n  internalTrafficPolicy: Local\n');

/** A correct DaemonSet for `SERVICE`: line 2 is `apiVersion`, line 11 `updateStrategy`. */
export const DAEMONSET = lines(
  '# Source: node-cache/templates/daemonset.yaml', //  1
  'apiVersion: apps/v1', //                            2
  'kind: DaemonSet', //                                3
  'metadata:', //                                      4
  '  name: node-cache', //                             5
  '  namespace: kube-system', //                       6
  'spec:', //                                          7
  '  selector:', //                                    8
  '    matchLabels:', //                               9
  '      app.kubernetes.io/name: node-cache', //      10
  '  updateStrategy:', //                             11
  '    type: RollingUpdate', //                       12
  '    rollingUpdate:', //                            13
  '      maxSurge: 1', //                             14
  '      maxUnavailable: 0', //                       15
  '  template:', //                                   16
  '    metadata:', //                                 17
  '      labels:', //                                 18
  '        app.kubernetes.io/name: node-cache', //    19
  '    spec:', //                                     20
  '      tolerations:', //                            21
  '        - operator: Exists', //                    22
  '      containers:', //                             23
  '        - name: node-cache', //                    24
  '          image: registry.k8s.io/dns/k8s-dns-node-cache:1.23.1', // 25
  '          ports:', //                              26
  '            - name: dns', //                       27
  '              containerPort: 53', //               28
  '              protocol: UDP', //                   29
  '          readinessProbe:', //                     30
  '            httpGet:', //                          31
  '              path: /health', //                   32
  '              port: 8080', //                      33
  '      priorityClassName: system-node-critical', //  34
  '  minReadySeconds: 10', //                         35: the new endpoint is programmed before the old pod stops (NL120)
);

/** The DaemonSet with Kubernetes' default rollout (maxUnavailable 1): only warning NL102, at line 11. */
export const GAPPY_DAEMONSET = DAEMONSET.replace('      maxSurge: 1\n      maxUnavailable: 0\n', '      maxUnavailable: 1\n      maxSurge: 0\n');
