import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { connectClient, ConnectOptions } from './connect';
import { DNS1123_LABEL_RULE, isDns1123Label } from './k8s-names';
import { keepNewerDaemonSetFields, keepNewerServiceFields } from './keep-newer-fields';
import { resolveTargetVersion, TargetVersion } from './kubernetes-version';
import { show } from './lint/json';
import { checkCapabilities, kubernetesCapabilities } from './node-local-capabilities';
import { HandoverPlan, planHandover } from './node-local-handover';
import { NodeLocalPort } from './node-local-port';
import { resolvePorts, ResolvedPort } from './node-local-ports';
import { addPriorityQuota, applyPriorityClass, resolvePriorityClassName } from './node-local-priority';
import { validateProps } from './node-local-props-validation';
import { isNodeLocalRollout, NodeLocalRollout } from './node-local-rollout';
import { isNodeLocalTraffic, NodeLocalTraffic } from './node-local-traffic';
import {
  acknowledgementAnnotations, checkAcknowledgements, failsSynthesis, findingsFor, formatFinding,
  printWarning, registerAgent, RuleAcknowledgement, SynthValidationOptions,
} from './synth-validation';

/**
 * Labels and annotations for the Service only.
 */
export interface NodeLocalServiceMetadata {
  /**
   * Labels added to the Service, after those of `metadata`.
   * @default - only the labels of `metadata`
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the Service, after those of `metadata`.
   * @default - only the annotations of `metadata`
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * Properties for `NodeLocalDaemonService`.
 *
 * Every DaemonSet prop of cdk8s-plus is available (containers, volumes, scheduling, pod
 * metadata...), with safer defaults for a node agent; `metadata` names both the DaemonSet and
 * the Service. One is refused: `isolate: true` would add a NetworkPolicy that denies every packet
 * to and from the agent's pods, so no client could reach it (restrict the agent with a
 * NetworkPolicy that admits the Service's container ports from the clients instead). Capability
 * names are written as Kubernetes takes them, without the `CAP_` prefix of cdk8s-plus-27's
 * `Capability` values.
 */
export interface NodeLocalDaemonServiceProps extends kplus.DaemonSetProps {
  /**
   * The ports of the Service, each forwarded to a container port of the agent. At least one.
   */
  readonly ports: NodeLocalPort[];

  /**
   * Labels and annotations for the Service only, on top of `metadata`.
   * @default - the Service carries the labels and annotations of `metadata`
   */
  readonly serviceMetadata?: NodeLocalServiceMetadata;

  /**
   * How pods are replaced when the pod template changes.
   *
   * @default - `NodeLocalRollout.surge()`: a node never lacks a ready endpoint; but
   * `NodeLocalRollout.replace()` when the pod uses `hostNetwork` or a host port, which a surged
   * pod could not bind
   */
  readonly rollout?: NodeLocalRollout;

  /**
   * How the Service routes each client to the agents: only to its own node's agent
   * (`NodeLocalTraffic.local()`, `internalTrafficPolicy: Local`), or to its own node's agent
   * when it is ready and to another node's otherwise (`NodeLocalTraffic.preferSameNode()`,
   * `trafficDistribution: PreferSameNode`, Kubernetes 1.34 or later). See the README's
   * "Local or PreferSameNode".
   *
   * @default NodeLocalTraffic.local()
   */
  readonly traffic?: NodeLocalTraffic;

  /**
   * The Kubernetes version of the cluster, as `MAJOR.MINOR` (e.g. `'1.34'`), 1.22 or later. The
   * construct writes only what that version has: from 1.30 a surging agent's serving containers
   * get a preStop `sleep`. A traffic mode the version lacks is refused
   * (`NodeLocalTraffic.preferSameNode()` needs 1.34), and the synthesis-time rules are told it.
   *
   * @default - unknown, or at least 1.34 with `NodeLocalTraffic.preferSameNode()`: only fields
   * every supported version has are written
   */
  readonly kubernetesVersion?: string;

  /**
   * Tolerate every taint (`operator: Exists`), so that every node, tainted ones included, runs
   * the agent and has a local endpoint. Without it, clients on a tainted node have their
   * traffic dropped.
   *
   * @default true
   */
  readonly tolerateAllTaints?: boolean;

  /**
   * The PriorityClass of the agent's pods. A DaemonSet pod preempts only pods of a lower
   * priority: without a class it stays Pending on a node whose resources are taken, and that
   * node's clients have their traffic dropped. With a critical class outside `kube-system`, the
   * construct also writes a ResourceQuota scoped to it in the agent's namespace, which GKE
   * requires to admit such pods (EKS and AKS ignore it).
   *
   * @default 'system-node-critical' - the class of kube-proxy, node-local-dns and ztunnel, built
   * into every cluster and above every user-defined class
   */
  readonly priorityClassName?: string;

  /**
   * The cluster's DNS domain, used for `host` and `endpoint()`.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * How the pairing is validated at synthesis. The rule engine (docs/rules.md) runs over the
   * DaemonSet and the Service as they will be written, after every patch, together with every
   * other object of the app: errors fail synthesis, warnings are printed on standard error.
   *
   * @default - errors fail synthesis, warnings are printed, no rule is acknowledged
   */
  readonly validation?: SynthValidationOptions;
}

/** Requests sized for a node agent, instead of cdk8s-plus' one CPU per container. */
const AGENT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/** Dropping every capability is what the restricted Pod Security profile asks; cdk8s-plus' enum has no `ALL`. */
const DROP_ALL = 'ALL' as kplus.Capability;

/**
 * A DaemonSet and a Service that routes each client to the agent on its own node
 * (`internalTrafficPolicy: Local`, or `trafficDistribution: PreferSameNode`).
 *
 * The Service selects exactly this DaemonSet's pods, its ports resolve to container ports of the
 * same protocol, and the defaults keep a ready endpoint on every node: surge rollouts that hand
 * over once the new endpoint is programmed, every taint tolerated, a readiness probe, and pods
 * that meet the restricted Pod Security profile.
 *
 * cdk8s-plus-27 has no props for `internalTrafficPolicy`, `trafficDistribution`, `appProtocol`,
 * a DaemonSet `updateStrategy`, a preStop `sleep` or a seccomp profile: they are JSON patches on
 * the underlying objects (`ApiObject.of(this.service)`, `ApiObject.of(this.daemonSet)`), applied
 * before yours; the fields newer than Kubernetes 1.27 are kept through cdk8s-plus' serializer.
 */
export class NodeLocalDaemonService extends Construct {
  /** The agent's DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;

  /** The node-local Service in front of it. */
  public readonly service: kplus.Service;

  /** The Service's name (`metadata.name`, or the name cdk8s generated). */
  public readonly serviceName: string;

  /**
   * The namespace of both objects.
   * @default - unknown: neither `metadata.namespace` nor the chart's namespace is set
   */
  public readonly namespace?: string;

  /** The cluster's DNS domain. */
  public readonly clusterDomain: string;

  /**
   * The Service's DNS name: `<name>.<namespace>.svc.<clusterDomain>` when the namespace is
   * known, else the short name (which resolves only from the same namespace).
   */
  public readonly host: string;

  /** The rollout in force (the one given, or the default). */
  public readonly rollout: NodeLocalRollout;

  /** The PriorityClass of the agent's pods. */
  public readonly priorityClassName: string;

  /** How the Service routes traffic (the mode given, or the default). */
  public readonly traffic: NodeLocalTraffic;

  /**
   * The lowest Kubernetes version the agent is written for: `kubernetesVersion`, else what the
   * traffic mode needs (`1.34` for `NodeLocalTraffic.preferSameNode()`).
   * @default - unknown
   */
  public readonly kubernetesVersion?: string;

  /** Whether the pods tolerate every taint. */
  public readonly tolerateAllTaints: boolean;

  /** Whether the pods use host networking or a host port. */
  public readonly usesHostAccess: boolean;

  /** How the pairing is validated at synthesis, with its defaults resolved. */
  public readonly validation: SynthValidationOptions;

  private readonly resolvedPorts: ResolvedPort[];
  private readonly strict: boolean;
  private readonly acknowledged: Set<string>;

  /**
   * @param scope the construct (usually a chart) to define the agent in
   * @param id the construct id; the DaemonSet and the Service are its children `DaemonSet` and `Service`
   * @param props the agent's pods, the Service's ports and the node-local options
   */
  constructor(scope: Construct, id: string, props: NodeLocalDaemonServiceProps) {
    // Props are checked before the construct joins the tree, and whatever fails after it joined
    // (cdk8s-plus' own checks) takes it out again: a refused construction leaves nothing behind.
    const plan = asPropsError(() => planAgent(scope, props));
    super(scope, id);
    try {
      this.clusterDomain = plan.clusterDomain;
      this.resolvedPorts = plan.ports;
      this.usesHostAccess = plan.usesHostAccess;
      this.rollout = plan.rollout;
      this.priorityClassName = plan.priorityClassName;
      this.traffic = plan.traffic;
      this.kubernetesVersion = plan.version.atLeast;
      this.tolerateAllTaints = props.tolerateAllTaints ?? true;
      this.validation = { strict: props.validation?.strict ?? false, acknowledge: plan.acknowledge };
      this.strict = this.validation.strict!;
      this.acknowledged = new Set(plan.acknowledge.map(a => a.ruleId));

      addPriorityQuota(this, plan.priorityClassName, props.metadata?.namespace ?? Chart.of(this).namespace,
        props.metadata?.name === undefined ? undefined : `${props.metadata.name}-critical-pods`);
      this.daemonSet = this.defineDaemonSet(props, plan);
      this.service = this.defineService(props, plan, this.daemonSet);
      const daemonSetObject = ApiObject.of(this.daemonSet);
      const serviceObject = ApiObject.of(this.service);
      this.serviceName = this.service.name;
      this.namespace = props.metadata?.namespace ?? Chart.of(this).namespace;
      this.host = this.namespace === undefined
        ? this.serviceName
        : `${this.serviceName}.${this.namespace}.svc.${this.clusterDomain}`;

      const pairing = { daemonSet: daemonSetObject, service: serviceObject, kubernetesVersion: plan.version.given };
      this.node.addValidation({ validate: () => this.validatePairing(pairing) });
      registerAgent(this, pairing);
    } catch (e) {
      scope.node.tryRemoveChild(id);
      throw asPropsError(() => {
        throw e;
      }, true);
    }
  }

  /**
   * The ports of the Service, with their defaults resolved.
   */
  public get ports(): NodeLocalPort[] {
    return this.resolvedPorts.map(p => ({
      port: p.port,
      name: p.name,
      protocol: p.protocol,
      targetPort: p.targetPort,
      appProtocol: p.appProtocol,
      container: p.container,
      hostPort: p.hostPort,
    }));
  }

  /**
   * The address of a port of the Service, `host:port`, e.g.
   * `otel-agent.observability.svc.cluster.local:4317`.
   *
   * @param portName the `name` of one of `ports`
   */
  public endpoint(portName: string): string {
    const port = this.resolvedPorts.find(p => p.name === portName);
    if (!port) {
      const names = this.resolvedPorts.map(p => p.name).filter(n => n !== undefined);
      const allowed = names.length > 0 ? `one of ${names.map(n => `'${n}'`).join(', ')}` : 'none: no port has a name; give the port a name';
      throw new Error(`endpoint(portName): no port is named '${portName}': the names are ${allowed}`);
    }
    return `${this.host}:${port.port}`;
  }

  /**
   * Wire a client to the agent on its node: set the environment variable `options.env` of the
   * client's containers to this Service's endpoint for `options.port`, e.g.
   * `http://otel-agent.observability.svc.cluster.local:4317`, or the node's IP and the port's host
   * port with `ClientEndpoint.hostIp()`. The same call twice is harmless; a different value for a
   * variable the client already has throws, and a refused call changes nothing.
   *
   * The client can come from anywhere: its Kubernetes object is found and written, whatever
   * made it. A construct that is an API object is used as it is; else its default child (the
   * `Resource` of a cdk8s-plus workload); else the only object with a pod template under it (an
   * `Include` or `Helm` chart with one workload). A construct holding several workloads is
   * refused with their names: connect each one you mean, e.g.
   * `include.apiObjects.find(o => o.name === 'web')`.
   *
   * The variables are written when the client is serialized, after your JSON patches, so a
   * container without `env` keeps what you add later; defining the variable again later with
   * another value fails synthesis rather than writing it twice.
   *
   * @param client a construct whose Kubernetes object has a pod template (`spec.template.spec`,
   * or `spec.jobTemplate.spec.template.spec` for a CronJob) or is a Pod: a Deployment,
   * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod of any cdk8s-plus version (27 to 34),
   * a generated `KubeDeployment` and friends, an `ApiObject`, or an `Include` holding one workload
   * @param options the port, the variable and how to reach the agent
   */
  public connect(client: IConstruct, options: ConnectOptions): void {
    const target = {
      chart: Chart.of(this),
      serviceName: this.serviceName,
      namespace: this.namespace,
      clusterDomain: this.clusterDomain,
      ports: this.resolvedPorts,
      daemonSet: ApiObject.of(this.daemonSet),
    };
    connectClient(target, client, options);
  }

  private defineDaemonSet(props: NodeLocalDaemonServiceProps, plan: AgentPlan): kplus.DaemonSet {
    const containers = props.containers ?? [];
    const hostNetwork = props.hostNetwork ?? false;
    const acknowledgements = acknowledgementAnnotations(plan.acknowledge);
    const daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      ...props,
      metadata: definedOnly({ ...props.metadata, annotations: mergeMaps(props.metadata?.annotations, acknowledgements) }),
      containers: containers.map(c => this.agentContainer(c)),
      initContainers: props.initContainers?.map(c => withAgentDefaults(c)),
      dns: hostNetwork && props.dns?.policy === undefined
        // a pod on the host network resolves with the node's resolv.conf unless told otherwise
        ? { ...props.dns, policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET }
        : props.dns,
      minReadySeconds: plan.handover.minReadySeconds,
      terminationGracePeriod: plan.handover.terminationGracePeriod ?? props.terminationGracePeriod,
    });
    if (this.tolerateAllTaints) {
      daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
    }
    const daemonSetObject = ApiObject.of(daemonSet);
    keepNewerDaemonSetFields(daemonSetObject);
    daemonSetObject.addJsonPatch(JsonPatch.add('/spec/updateStrategy', this.updateStrategy()));
    daemonSetObject.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    applyPriorityClass(daemonSetObject, plan.priorityClassName);
    addPreStopSleeps(daemonSetObject, containers, plan.handover);
    return daemonSet;
  }

  private defineService(props: NodeLocalDaemonServiceProps, plan: AgentPlan, daemonSet: kplus.DaemonSet): kplus.Service {
    const acknowledgements = acknowledgementAnnotations(plan.acknowledge);
    const service = new kplus.Service(this, 'Service', {
      metadata: definedOnly({
        ...props.metadata,
        labels: mergeMaps(props.metadata?.labels, props.serviceMetadata?.labels),
        annotations: mergeMaps(mergeMaps(props.metadata?.annotations, props.serviceMetadata?.annotations), acknowledgements),
      }),
      type: kplus.ServiceType.CLUSTER_IP,
      selector: daemonSet,
      ports: this.resolvedPorts.map(p => ({ port: p.port, name: p.name, protocol: p.protocol, targetPort: p.targetPort })),
    });
    const serviceObject = ApiObject.of(service);
    keepNewerServiceFields(serviceObject);
    serviceObject.addJsonPatch(JsonPatch.add('/spec/internalTrafficPolicy', this.traffic.internalTrafficPolicy));
    if (this.traffic.trafficDistribution !== undefined) {
      serviceObject.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', this.traffic.trafficDistribution));
    }
    this.resolvedPorts.forEach((p, i) => {
      if (p.appProtocol !== undefined) {
        serviceObject.addJsonPatch(JsonPatch.add(`/spec/ports/${i}/appProtocol`, p.appProtocol));
      }
    });
    return service;
  }

  /**
   * Errors (and, when strict, warnings) fail synthesis under cdk8s' `[construct path]` prefix;
   * other warnings are printed on standard error, once per synthesis.
   */
  private validatePairing(pairing: { daemonSet: ApiObject; service: ApiObject }): string[] {
    const findings = findingsFor(this, pairing).filter(f => !this.acknowledged.has(f.ruleId));
    for (const warning of findings.filter(f => !failsSynthesis(f, this.strict))) {
      printWarning(this, `[${this.node.path}] warning ${formatFinding(warning)}`);
    }
    return findings.filter(f => failsSynthesis(f, this.strict)).map(formatFinding);
  }

  private updateStrategy(): unknown {
    if (this.rollout.strategyType === 'OnDelete') {
      return { type: 'OnDelete' };
    }
    // The patch goes through cdk8s-plus' generated serializer, which reads int-or-string
    // fields from IntOrString objects: a plain number would silently vanish.
    return {
      type: 'RollingUpdate',
      rollingUpdate: {
        maxSurge: intOrString(this.rollout.maxSurge!.value),
        maxUnavailable: intOrString(this.rollout.maxUnavailable!.value),
      },
    };
  }

  /** A container of the agent: agent defaults, the container ports the Service needs, a readiness probe. */
  private agentContainer(container: kplus.ContainerProps): kplus.ContainerProps {
    const containerName = container.name ?? 'main';
    const ports = this.resolvedPorts.filter(p => p.container === containerName);
    const declared = declaredPorts(container);
    const startup = container.startup ?? (declared.fromPortNumber ? kplus.Probe.fromTcpSocket({ port: declared.fromPortNumber }) : undefined);
    for (const p of ports) {
      const existing = declared.ports.findIndex(d => d.number === p.targetPort && (d.protocol ?? kplus.Protocol.TCP) === p.protocol);
      if (existing < 0) {
        declared.ports.push({ number: p.targetPort, name: p.name, protocol: p.protocol, hostPort: p.hostPort });
        continue;
      }
      const d = declared.ports[existing];
      declared.ports[existing] = { ...d, name: d.name ?? p.name, hostPort: d.hostPort ?? p.hostPort };
    }
    const firstTcp = ports.find(p => p.protocol === kplus.Protocol.TCP);
    return withAgentDefaults({
      ...container,
      port: undefined,
      portNumber: undefined,
      ports: declared.ports,
      // cdk8s-plus only adds its TCP startup probe for `portNumber`, which is folded into `ports`
      startup,
      // the only endpoint on the node must not count as ready before it listens
      readiness: container.readiness ?? (firstTcp ? kplus.Probe.fromTcpSocket({ port: firstTcp.targetPort }) : undefined),
    });
  }
}

/** What the props resolve to, once they are known to be valid. */
interface AgentPlan {
  readonly clusterDomain: string;
  readonly ports: ResolvedPort[];
  readonly usesHostAccess: boolean;
  readonly rollout: NodeLocalRollout;
  readonly traffic: NodeLocalTraffic;
  readonly version: TargetVersion;
  readonly handover: HandoverPlan;
  readonly acknowledge: RuleAcknowledgement[];
  readonly priorityClassName: string;
}

function planAgent(scope: Construct, props: NodeLocalDaemonServiceProps): AgentPlan {
  validateProps(props);
  const containers = props.containers ?? [];
  if (containers.length === 0) {
    throw new Error("containers is empty: a node-local daemon needs at least one container; add one, e.g. containers: [{ image: 'otel/opentelemetry-collector:0.98.0' }]");
  }
  if (props.rollout !== undefined && !isNodeLocalRollout(props.rollout)) {
    throw new Error(`rollout ${show(props.rollout)} is not a NodeLocalRollout: use NodeLocalRollout.surge(), NodeLocalRollout.replace() or NodeLocalRollout.onDelete()`);
  }
  if (props.traffic !== undefined && !isNodeLocalTraffic(props.traffic)) {
    throw new Error(`traffic ${show(props.traffic)} is not a NodeLocalTraffic: use NodeLocalTraffic.local() or NodeLocalTraffic.preferSameNode()`);
  }
  const chartNamespace = Chart.of(scope).namespace;
  if (props.metadata?.namespace === undefined && chartNamespace !== undefined && !isDns1123Label(chartNamespace)) {
    throw new Error(`the namespace ${show(chartNamespace)} of chart ${Chart.of(scope).node.path || '(root)'} is not a namespace name: use ${DNS1123_LABEL_RULE}, or set metadata.namespace on the agent`);
  }
  if (props.isolate !== undefined && props.isolate !== false) {
    throw new Error(`isolate is ${show(props.isolate)}: cdk8s-plus would add a NetworkPolicy that denies every packet `
      + 'to and from the agent\'s pods, so no client could reach it and it could reach nothing (its backend, its upstream DNS); '
      + 'leave isolate unset and restrict the agent with a NetworkPolicy that admits the Service\'s ports from the clients\' namespaces');
  }
  checkCapabilities(containers, 'containers');
  checkCapabilities(Array.isArray(props.initContainers) ? props.initContainers : [], 'initContainers');
  const traffic = props.traffic ?? NodeLocalTraffic.local();
  const version = resolveTargetVersion(props.kubernetesVersion, traffic);
  const hostNetwork = props.hostNetwork ?? false;
  const ports = resolvePorts(props.ports, containers, hostNetwork);
  const usesHostAccess = hostNetwork
    || ports.some(p => p.hostPort !== undefined)
    || containers.some(c => (c.ports ?? []).some(p => p.hostPort !== undefined));
  const rollout = resolveRollout(props.rollout, hostNetwork, usesHostAccess);
  const handover = planHandover({
    rollout,
    kubernetesAtLeast: version.atLeast,
    minReadySeconds: props.minReadySeconds,
    terminationGracePeriod: props.terminationGracePeriod,
    containers,
    servingContainers: [...new Set(ports.map(p => p.container))],
  });
  return {
    clusterDomain: props.clusterDomain ?? 'cluster.local',
    ports,
    usesHostAccess,
    rollout,
    traffic,
    version,
    handover,
    acknowledge: checkAcknowledgements(props.validation?.acknowledge),
    priorityClassName: resolvePriorityClassName(props.priorityClassName),
  };
}

/**
 * Runs a step of the construction and lets only Errors of our own making out: anything else
 * (a TypeError from deep inside cdk8s-plus on a value no check foresaw) becomes an Error that
 * says so, never a stack trace of someone else's code.
 */
function asPropsError<T>(step: () => T, built = false): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError)) {
      throw e;
    }
    const message = e instanceof Error ? e.message : show(e);
    throw new Error(`props: ${built ? 'cdk8s-plus could not build the agent from these props' : 'the props could not be read'} (${message}): check the values of the containers, volumes and scheduling props`);
  }
}

function resolveRollout(rollout: NodeLocalRollout | undefined, hostNetwork: boolean, usesHostAccess: boolean): NodeLocalRollout {
  if (rollout === undefined) {
    return usesHostAccess ? NodeLocalRollout.replace() : NodeLocalRollout.surge();
  }
  if (rollout.surges && usesHostAccess) {
    const why = hostNetwork ? 'hostNetwork is true' : 'a container port has a hostPort';
    throw new Error(`rollout: NodeLocalRollout.surge() cannot be used because ${why}: the surged pod could never bind the same host port and the rollout would stall (kubernetes/kubernetes#106417); use NodeLocalRollout.replace() or drop the host access`);
  }
  return rollout;
}

/** Light resources and the restricted Pod Security profile, where the user set nothing. */
function withAgentDefaults(container: kplus.ContainerProps): kplus.ContainerProps {
  const securityContext = container.securityContext ?? {};
  return {
    ...container,
    resources: container.resources ?? AGENT_RESOURCES,
    securityContext: {
      ...securityContext,
      capabilities: {
        ...kubernetesCapabilities(securityContext.capabilities),
        drop: kubernetesCapabilities(securityContext.capabilities)?.drop ?? [DROP_ALL],
      },
    },
  };
}

/** The ports a container's props declare, with `portNumber` (TCP, unnamed) folded in. */
function declaredPorts(container: kplus.ContainerProps): { ports: kplus.ContainerPort[]; fromPortNumber?: number } {
  const portNumber = container.portNumber ?? container.port;
  const ports = [...(container.ports ?? [])];
  if (portNumber !== undefined) {
    ports.unshift({ number: portNumber });
  }
  return { ports, fromPortNumber: portNumber };
}

/**
 * The preStop `sleep` of the handover, on each serving container that has no preStop of its own.
 * A patch, because cdk8s-plus-27's handlers have no sleep; the container keeps its postStart.
 */
function addPreStopSleeps(daemonSet: ApiObject, containers: kplus.ContainerProps[], handover: HandoverPlan): void {
  const sleep = { sleep: { seconds: handover.preStopSleepSeconds } };
  containers.forEach((c, i) => {
    if (!handover.sleepingContainers.includes(c.name ?? 'main')) {
      return;
    }
    const path = `/spec/template/spec/containers/${i}/lifecycle`;
    daemonSet.addJsonPatch(c.lifecycle === undefined
      ? JsonPatch.add(path, { preStop: sleep })
      : JsonPatch.add(`${path}/preStop`, sleep));
  });
}

function intOrString(value: unknown): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(String(value));
}

/**
 * cdk8s spreads the given metadata over the generated name, so `name: undefined` would erase
 * it: keep only the keys that have a value.
 */
function definedOnly<T extends object>(metadata: T): T {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined)) as T;
}

function mergeMaps(
  base: { [key: string]: string } | undefined,
  extra: { [key: string]: string } | undefined,
): { [key: string]: string } | undefined {
  return base === undefined && extra === undefined ? undefined : { ...base, ...extra };
}
