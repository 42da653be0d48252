/**
 * The hand-written side of the synthesis benchmark: the same app with cdk8s-plus-27 alone. Per
 * agent a DaemonSet and a Service under a plain construct of the same id (so names and the
 * cdk8s.io/metadata.addr labels match the library's), the construct's defaults written out, the
 * traffic policy, the rollout and the priority class as JSON patches, the priority quota, and the client's variable as a literal. No
 * validation. `bench.ts` checks that both apps synthesize the same YAML before it measures.
 */
import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AGENT_IMAGE, AppBuilder, CHART_ID, CLIENT_IMAGE, CLIENT_PORT, ENV, NAMESPACE, TCP_PORT, UDP_PORT } from './app-shape';

/** The construct's default resources for an agent, as a careful user would write them. */
const AGENT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

export const handWrittenApp: AppBuilder = (app, n) => {
  const chart = new Chart(app, CHART_ID, { namespace: NAMESPACE });
  for (let i = 0; i < n; i++) {
    const name = `agent-${i}`;
    const scope = new Construct(chart, name);
    // GKE admits system-node-critical pods outside kube-system only with a quota scoped to it
    new kplus.k8s.KubeResourceQuota(scope, 'CriticalPodsQuota', {
      metadata: { name: `${name}-critical-pods`, namespace: NAMESPACE },
      spec: {
        hard: { pods: kplus.k8s.Quantity.fromString('1G') },
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] },
      },
    });
    const daemonSet = new kplus.DaemonSet(scope, 'DaemonSet', {
      metadata: { name },
      // the new endpoint is programmed before the old pod stops
      minReadySeconds: 10,
      containers: [{
        name: 'agent',
        image: AGENT_IMAGE,
        ports: [
          { number: TCP_PORT.port, name: TCP_PORT.name, protocol: kplus.Protocol.TCP },
          { number: UDP_PORT.port, name: UDP_PORT.name, protocol: kplus.Protocol.UDP },
        ],
        resources: AGENT_RESOURCES,
        securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } },
        readiness: kplus.Probe.fromTcpSocket({ port: TCP_PORT.port }),
      }],
    });
    daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
    const daemonSetObject = ApiObject.of(daemonSet);
    // int-or-string fields go through cdk8s-plus' serializer: plain numbers would vanish
    daemonSetObject.addJsonPatch(JsonPatch.add('/spec/updateStrategy', {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: kplus.k8s.IntOrString.fromNumber(1), maxUnavailable: kplus.k8s.IntOrString.fromNumber(0) },
    }));
    daemonSetObject.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    daemonSetObject.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-node-critical'));

    const service = new kplus.Service(scope, 'Service', {
      metadata: { name },
      type: kplus.ServiceType.CLUSTER_IP,
      selector: daemonSet,
      ports: [
        { port: TCP_PORT.port, name: TCP_PORT.name, protocol: kplus.Protocol.TCP, targetPort: TCP_PORT.port },
        { port: UDP_PORT.port, name: UDP_PORT.name, protocol: kplus.Protocol.UDP, targetPort: UDP_PORT.port },
      ],
    });
    ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/internalTrafficPolicy', 'Local'));

    new kplus.Deployment(chart, `client-${i}`, {
      metadata: { name: `client-${i}` },
      containers: [{
        name: 'app',
        image: CLIENT_IMAGE,
        portNumber: CLIENT_PORT,
        // client and agent share a namespace, so the short name resolves (as connect() writes it)
        envVariables: { [ENV]: kplus.EnvValue.fromValue(`${name}:${TCP_PORT.port}`) },
      }],
    });
  }
};
