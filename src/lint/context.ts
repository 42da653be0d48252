/**
 * The index the rules read: built once per lint call, in one pass over the manifests, so that
 * every rule stays linear in the number of objects.
 */
import { ClientIndex, ClientLink, findClients, ShortNameMiss } from './clients';
import { ResourceRef } from './finding';
import {
  asArray, asNonEmptyString, asObject, asString, getIn, JsonObject, pointer, show, stringMap,
} from './json';
import {
  apiGroup, DEFAULT_NAMESPACE, dns1123LabelError, isClusterScoped, KubeVersion, parseKubeVersion, protocolOf, trafficMode, TrafficMode,
} from './kube';
import { LintOptions } from './lint-options';

/** One Kubernetes object among the manifests. */
export interface ObjectInfo {
  /** Its position in the array given to the engine. */
  readonly index: number;
  readonly raw: JsonObject;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name?: string;
  readonly namespace?: string;
  /**
   * The namespace the object is applied to, used to compare objects: `metadata.namespace`, else
   * the namespace objects without one are applied to (`LintOptions.namespace`, `default` by
   * default; `''` in the construct's own lint, where it is unknown but shared by every such
   * object); `''` for a cluster-scoped kind.
   */
  readonly namespaceKey: string;
  /** Whether the kind is cluster-scoped (a Namespace, a PriorityClass...). */
  readonly clusterScoped: boolean;
  readonly ref: ResourceRef;
  /** How messages name it, e.g. `Service kube-system/node-dns`. */
  readonly display: string;
  /** Whether a controller owns it (a Pod of a ReplicaSet, ...): its owner is the workload. */
  readonly controlled: boolean;
}

/** An input that is not a Kubernetes object. */
export interface NotAnObject {
  readonly index: number;
  readonly ref: ResourceRef;
  readonly path: string;
  readonly problem: string;
}

/** A port a container declares. */
export interface ContainerPortInfo {
  readonly name?: string;
  readonly containerPort: unknown;
  readonly protocol: string;
  readonly hostPort: unknown;
  readonly path: string;
}

/** A container of a pod template. */
export interface ContainerInfo {
  readonly raw: unknown;
  readonly path: string;
  /** e.g. `container "main"` or `init container "proxy"`. */
  readonly display: string;
  readonly init: boolean;
  /** An init container with `restartPolicy: Always` (a sidecar): it serves traffic like a container. */
  readonly sidecar: boolean;
  readonly ports: ContainerPortInfo[];
}

/** An object that creates pods from a template (or a Pod itself). */
export interface WorkloadInfo {
  readonly object: ObjectInfo;
  /** The pod template's labels (string values only). */
  readonly labels: Map<string, string>;
  /** JSON pointer of the pod template's labels. */
  readonly labelsPath: string;
  readonly podSpec: unknown;
  /** JSON pointer of the pod spec, e.g. `/spec/template/spec`. */
  readonly podSpecPath: string;
  /** The containers that can serve a Service port: the containers, then the sidecars. */
  readonly servingContainers: ContainerInfo[];
  /** Every container and init container. */
  readonly allContainers: ContainerInfo[];
}

/** What a Service port forwards to, after Kubernetes defaulting (absent, 0 or "" means `port`). */
export type TargetPort =
  | { readonly type: 'name'; readonly name: string }
  | { readonly type: 'number'; readonly value: unknown; readonly defaulted: boolean }
  | { readonly type: 'invalid'; readonly value: unknown };

/** A port of a Service. */
export interface ServicePortInfo {
  readonly raw: unknown;
  readonly index: number;
  readonly path: string;
  readonly port: unknown;
  readonly protocol: string;
  readonly name?: string;
  /** e.g. `port "dns" (53/UDP)`. */
  readonly display: string;
  readonly target: TargetPort;
}

/** A Service. */
export interface ServiceInfo {
  readonly object: ObjectInfo;
  readonly spec: unknown;
  /** How it keeps traffic on the client's node, if it does. */
  readonly mode?: TrafficMode;
  /** The selector's string entries. */
  readonly selector: Map<string, string>;
  readonly ports: ServicePortInfo[];
}

/** A node-local Service and a DaemonSet it must route to. */
export interface Pair {
  readonly service: ServiceInfo;
  readonly daemonSet: WorkloadInfo;
}

/** A reference in `options.pairs` that does not resolve to an object of the manifests. */
export interface UnresolvedRef {
  readonly ref: ResourceRef;
  readonly pairIndex: number;
  readonly role: 'service' | 'daemonSet';
  readonly problem: string;
  readonly fix: string;
}

interface WorkloadKind {
  readonly groups: string[];
  /** Path to the pod template; empty for a Pod, whose object is its own template. */
  readonly template: string[];
}

const WORKLOAD_KINDS = new Map<string, WorkloadKind>([
  ['DaemonSet', { groups: ['apps', 'extensions'], template: ['spec', 'template'] }],
  ['Deployment', { groups: ['apps', 'extensions'], template: ['spec', 'template'] }],
  ['ReplicaSet', { groups: ['apps', 'extensions'], template: ['spec', 'template'] }],
  ['StatefulSet', { groups: ['apps'], template: ['spec', 'template'] }],
  ['Job', { groups: ['batch'], template: ['spec', 'template'] }],
  ['CronJob', { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] }],
  ['ReplicationController', { groups: [''], template: ['spec', 'template'] }],
  ['Pod', { groups: [''], template: [] }],
]);

/** Everything the rules need to know about one set of manifests. */
export class LintContext {
  /** The number of manifests given. */
  public readonly manifestCount: number;
  /** The inputs that are Kubernetes objects, in input order. */
  public readonly objects: ObjectInfo[] = [];
  /** The inputs that are not. */
  public readonly notObjects: NotAnObject[] = [];
  /** Every pod-bearing object, in input order. */
  public readonly workloads: WorkloadInfo[] = [];
  /** Every core Service, in input order. */
  public readonly services: ServiceInfo[] = [];
  /** Whether the pairs come from `options.pairs` (rather than from `internalTrafficPolicy: Local`). */
  public readonly declared: boolean;
  /** The Services the node-local rules apply to, each once, in input order. */
  public readonly checkedServices: ServiceInfo[] = [];
  /** The DaemonSets the node-local rules apply to, each once, in input order. */
  public readonly checkedDaemonSets: WorkloadInfo[] = [];
  /** The resolved pairs. */
  public readonly pairs: Pair[] = [];
  /** The references of `options.pairs` that resolve to nothing. */
  public readonly unresolved: UnresolvedRef[] = [];

  private readonly byLabel = new Map<string, WorkloadInfo[]>();
  private readonly byIdentity = new Map<string, ObjectInfo[]>();
  private readonly serviceByIndex = new Map<number, ServiceInfo>();
  private readonly workloadByIndex = new Map<number, WorkloadInfo>();
  private readonly pairsByService = new Map<number, Pair[]>();
  private readonly pairsByDaemonSet = new Map<number, Pair[]>();
  /** The modes of the pairs each Service and DaemonSet is part of. */
  private readonly modesByObject = new Map<number, Set<TrafficMode | undefined>>();
  private clientIndex?: ClientIndex;

  /** The namespace objects without `metadata.namespace` are in (`''` when unknown). */
  public readonly defaultNamespace: string;
  /** The cluster's Kubernetes version, when known. */
  public readonly kubernetesVersion?: KubeVersion;
  /** The options that are not what the engine takes, each with its fix (reported by NL014). */
  public readonly badOptions: Array<{ readonly problem: string; readonly fix: string }> = [];

  /**
   * @param indexedPairs pairs given by the positions of their objects (the construct's, which
   * knows them exactly); they take the place of `options.pairs`, and objects without a
   * namespace are in one unknown namespace
   */
  constructor(
    manifests: unknown[],
    options: LintOptions = {},
    indexedPairs?: ReadonlyArray<{ readonly service: number; readonly daemonSet: number }>,
  ) {
    this.manifestCount = manifests.length;
    this.defaultNamespace = indexedPairs !== undefined ? '' : this.readNamespaceOption(getIn(options, 'namespace'));
    this.kubernetesVersion = this.readVersionOption(getIn(options, 'kubernetesVersion'));
    for (let index = 0; index < manifests.length; index++) {
      this.add(manifests[index], index);
    }
    const pairs = getIn(options, 'pairs');
    this.declared = Array.isArray(pairs) || indexedPairs !== undefined;
    if (indexedPairs !== undefined) {
      for (const { service, daemonSet } of indexedPairs) {
        const s = this.serviceByIndex.get(service);
        const d = this.workloadByIndex.get(daemonSet);
        if (s && d && d.object.kind === 'DaemonSet') {
          this.addPair(s, d);
          this.checkedServices.push(s);
          this.checkedDaemonSets.push(d);
        }
      }
    } else if (Array.isArray(pairs)) {
      this.resolveDeclared(Array.from(pairs));
    } else {
      if (pairs !== undefined && pairs !== null) {
        this.badOptions.push({
          problem: `options.pairs is ${show(pairs)}, not a list of pairs, so every node-local Service was checked instead`,
          fix: 'Give options.pairs as a list of { service, daemonSet } references, or leave it out',
        });
      }
      this.resolveAuto();
    }
  }

  /**
   * The traffic mode of the pairs an object belongs to, for rules whose harm is a drop: `Local`
   * when one of them is Local (or is checked as a pair without a mode of its own), `PreferSameNode`
   * when every pair it is in falls back to another node.
   */
  public dropsTraffic(index: number): boolean {
    const modes = this.modesByObject.get(index);
    return modes === undefined || modes.has(undefined) || modes.has('Local');
  }

  /**
   * The workloads in a namespace whose pod template labels the selector (a Service's map of
   * labels) selects, in input order. An empty selector selects nothing: a Service without a
   * selector gets no endpoints from Kubernetes.
   */
  public selectWorkloads(namespaceKey: string, selector: Map<string, string>): WorkloadInfo[] {
    if (selector.size === 0) {
      return [];
    }
    let smallest: WorkloadInfo[] | undefined;
    for (const [key, value] of selector) {
      const bucket = this.byLabel.get(labelKey(namespaceKey, key, value));
      if (bucket === undefined) {
        return [];
      }
      if (smallest === undefined || bucket.length < smallest.length) {
        smallest = bucket;
      }
    }
    return (smallest ?? []).filter((w) => w.object.namespaceKey === namespaceKey && selects(selector, w.labels));
  }

  /** The pairs a Service is part of. */
  public pairsOf(service: ServiceInfo): Pair[] {
    return this.pairsByService.get(service.object.index) ?? [];
  }

  /** The pairs a DaemonSet is part of. */
  public pairsOfDaemonSet(daemonSet: WorkloadInfo): Pair[] {
    return this.pairsByDaemonSet.get(daemonSet.object.index) ?? [];
  }

  /**
   * Every client of every pair (see clients.ts), in input order of the clients, then of the pairs;
   * computed on first use. A controlled object (a Pod of a ReplicaSet) is left to its owner, and a
   * pair's own DaemonSet is never its client.
   */
  public clients(): ClientLink[] {
    return this.clientAnalysis().links;
  }

  /** The clients that name a pair's Service by its short name from another namespace, where it resolves to something else. */
  public shortNameMisses(): ShortNameMiss[] {
    return this.clientAnalysis().misses;
  }

  private clientAnalysis(): ClientIndex {
    this.clientIndex ??= findClients(this);
    return this.clientIndex;
  }

  private add(manifest: unknown, index: number): void {
    const notAnObject = checkObject(manifest, index);
    if (notAnObject !== undefined) {
      this.notObjects.push(notAnObject);
      return;
    }
    const raw = manifest as JsonObject;
    const kind = raw.kind as string;
    const apiVersion = raw.apiVersion as string;
    const name = asNonEmptyString(getIn(raw, 'metadata', 'name'));
    const namespace = asNonEmptyString(getIn(raw, 'metadata', 'namespace'));
    const clusterScoped = isClusterScoped(apiVersion, kind);
    const object: ObjectInfo = {
      index,
      raw,
      kind,
      apiVersion,
      name,
      namespace,
      namespaceKey: clusterScoped ? '' : namespace ?? this.defaultNamespace,
      clusterScoped,
      ref: makeRef(kind, name, namespace),
      display: displayObject(kind, name, namespace, index),
      controlled: asArray(getIn(raw, 'metadata', 'ownerReferences')).some((o) => getIn(o, 'controller') === true),
    };
    this.objects.push(object);
    const identity = identityKey(kind, object.namespaceKey, name ?? '');
    const same = this.byIdentity.get(identity);
    if (same) {
      same.push(object);
    } else {
      this.byIdentity.set(identity, [object]);
    }

    const group = apiGroup(apiVersion);
    if (kind === 'Service' && group === '') {
      const service = makeService(object);
      this.services.push(service);
      this.serviceByIndex.set(index, service);
      return;
    }
    const workloadKind = WORKLOAD_KINDS.get(kind);
    if (workloadKind !== undefined && workloadKind.groups.includes(group)) {
      const workload = makeWorkload(object, workloadKind);
      this.workloads.push(workload);
      this.workloadByIndex.set(index, workload);
      for (const [key, value] of workload.labels) {
        const k = labelKey(object.namespaceKey, key, value);
        const bucket = this.byLabel.get(k);
        if (bucket) {
          bucket.push(workload);
        } else {
          this.byLabel.set(k, [workload]);
        }
      }
    }
  }

  private resolveAuto(): void {
    for (const service of this.services) {
      if (service.mode === undefined) {
        continue;
      }
      this.checkedServices.push(service);
      const daemonSets = this.selectWorkloads(service.object.namespaceKey, service.selector)
        .filter((w) => w.object.kind === 'DaemonSet');
      for (const daemonSet of daemonSets) {
        this.addPair(service, daemonSet);
      }
    }
    this.collectCheckedDaemonSets();
  }

  private resolveDeclared(pairs: unknown[]): void {
    // A declared object is checked even when its partner is missing (NL014 reports that).
    const services = new Set<number>();
    const daemonSets = new Set<number>();
    pairs.forEach((pair, pairIndex) => {
      const foundServices = this.resolveRef(getIn(pair, 'service'), 'service', pairIndex);
      const foundDaemonSets = this.resolveRef(getIn(pair, 'daemonSet'), 'daemonSet', pairIndex);
      foundDaemonSets.forEach((d) => daemonSets.add(d.index));
      for (const s of foundServices) {
        services.add(s.index);
        for (const d of foundDaemonSets) {
          this.addPair(this.serviceByIndex.get(s.index)!, this.workloadByIndex.get(d.index)!);
        }
      }
    });
    for (const service of this.services) {
      if (services.has(service.object.index)) {
        this.checkedServices.push(service);
      }
    }
    for (const workload of this.workloads) {
      if (daemonSets.has(workload.object.index)) {
        this.checkedDaemonSets.push(workload);
      }
    }
  }

  private resolveRef(value: unknown, role: 'service' | 'daemonSet', pairIndex: number): ObjectInfo[] {
    const expected = role === 'service' ? 'Service' : 'DaemonSet';
    const field = `options.pairs[${pairIndex}].${role}`;
    const kind = asString(getIn(value, 'kind'));
    const name = asNonEmptyString(getIn(value, 'name'));
    const namespace = asNonEmptyString(getIn(value, 'namespace'));
    const ref = makeRef(kind ?? expected, name, namespace);
    const shown = displayObject(kind ?? expected, name, namespace);
    const unresolved = (problem: string, fix: string): ObjectInfo[] => {
      this.unresolved.push({ ref, pairIndex, role, problem, fix });
      return [];
    };
    if (asObject(value) === undefined) {
      return unresolved(`${field} is ${show(value)}, not a reference to a ${expected}`,
        `Set ${field} to the kind, name and namespace of the ${expected}`);
    }
    if (kind !== expected) {
      return unresolved(`${field} names a ${kind === undefined ? 'resource without kind' : kind}, but the pair needs a ${expected}`,
        `Set ${field}.kind to '${expected}' and name a ${expected} of the manifests`);
    }
    if (name === undefined) {
      return unresolved(`${field} names no ${expected}: its name is ${show(getIn(value, 'name'))}`,
        `Set ${field}.name to the metadata.name of the ${expected}`);
    }
    const found = (this.byIdentity.get(identityKey(expected, namespace ?? this.defaultNamespace, name)) ?? [])
      .filter((o) => role === 'service' ? this.serviceByIndex.has(o.index) : this.workloadByIndex.has(o.index));
    if (found.length === 0) {
      return unresolved(
        `${shown} of ${field} is not among the ${this.manifestCount} given manifests, so the pair cannot be checked`
        + ' and Kubernetes would have nothing to route it to',
        `Add ${shown} to the manifests, or correct the name and namespace in ${field}`
        + ` (a reference or an object without a namespace is in namespace ${show(this.defaultNamespace)})`);
    }
    return found;
  }

  private addPair(service: ServiceInfo, daemonSet: WorkloadInfo): void {
    const existing = this.pairsByService.get(service.object.index) ?? [];
    if (existing.some((p) => p.daemonSet === daemonSet)) {
      return;
    }
    const pair = { service, daemonSet };
    existing.push(pair);
    this.pairsByService.set(service.object.index, existing);
    const ofDaemonSet = this.pairsByDaemonSet.get(daemonSet.object.index);
    if (ofDaemonSet === undefined) {
      this.pairsByDaemonSet.set(daemonSet.object.index, [pair]);
    } else {
      ofDaemonSet.push(pair);
    }
    this.pairs.push(pair);
    for (const index of [service.object.index, daemonSet.object.index]) {
      const modes = this.modesByObject.get(index) ?? new Set<TrafficMode | undefined>();
      modes.add(service.mode);
      this.modesByObject.set(index, modes);
    }
  }

  private collectCheckedDaemonSets(): void {
    const paired = new Set<number>(this.pairs.map((p) => p.daemonSet.object.index));
    for (const workload of this.workloads) {
      if (paired.has(workload.object.index)) {
        this.checkedDaemonSets.push(workload);
      }
    }
  }

  private readNamespaceOption(value: unknown): string {
    if (value === undefined || value === null) {
      return DEFAULT_NAMESPACE;
    }
    const problem = typeof value !== 'string' ? 'is not a string' : dns1123LabelError(value);
    if (problem === undefined) {
      return value as string;
    }
    this.badOptions.push({
      problem: `options.namespace ${show(value)} is not a namespace name (${problem}), so objects without a namespace were `
        + `taken to be in ${show(DEFAULT_NAMESPACE)}`,
      fix: 'Give options.namespace as a namespace name (a DNS-1123 label such as \'observability\'), or leave it out for \'default\'',
    });
    return DEFAULT_NAMESPACE;
  }

  private readVersionOption(value: unknown): KubeVersion | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    const version = parseKubeVersion(value);
    if (version === undefined) {
      this.badOptions.push({
        problem: `options.kubernetesVersion ${show(value)} is not a Kubernetes version, so no finding depends on the version`,
        fix: 'Give options.kubernetesVersion as MAJOR.MINOR, e.g. \'1.34\', or leave it out',
      });
    }
    return version;
  }
}

/** Whether a Service's selector (a map of labels) selects the labels. */
export function selects(selector: Map<string, string>, labels: Map<string, string>): boolean {
  if (selector.size === 0) {
    return false;
  }
  for (const [key, value] of selector) {
    if (labels.get(key) !== value) {
      return false;
    }
  }
  return true;
}

/** How messages name an object, e.g. `Service kube-system/node-dns` or `Service node-dns`. */
export function displayObject(kind: string, name: string | undefined, namespace: string | undefined, index?: number): string {
  const shownKind = kind === '' ? 'object' : kind;
  if (name === undefined) {
    return index === undefined ? `${shownKind} without name` : `${shownKind} without name (manifest ${index})`;
  }
  return namespace === undefined ? `${shownKind} ${name}` : `${shownKind} ${namespace}/${name}`;
}

function makeRef(kind: string, name: string | undefined, namespace: string | undefined): ResourceRef {
  return {
    kind,
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

function identityKey(kind: string, namespaceKey: string, name: string): string {
  return `${kind}\u0000${namespaceKey}\u0000${name}`;
}

function labelKey(namespaceKey: string, key: string, value: string): string {
  return `${namespaceKey}\u0000${key}\u0000${value}`;
}

function checkObject(manifest: unknown, index: number): NotAnObject | undefined {
  const object = asObject(manifest);
  if (object === undefined) {
    const what = manifest === null ? 'null'
      : Array.isArray(manifest) ? 'an array'
        : manifest === undefined ? 'undefined' : `a ${typeof manifest} (${show(manifest)})`;
    return { index, ref: { kind: '' }, path: '', problem: `is ${what}` };
  }
  const kind = asNonEmptyString(getIn(object, 'kind'));
  const apiVersion = asNonEmptyString(getIn(object, 'apiVersion'));
  if (kind !== undefined && apiVersion !== undefined) {
    return undefined;
  }
  const name = asNonEmptyString(getIn(object, 'metadata', 'name'));
  const namespace = asNonEmptyString(getIn(object, 'metadata', 'namespace'));
  const ref = makeRef(kind ?? '', name, namespace);
  if (kind === undefined) {
    const rawKind = getIn(object, 'kind');
    return { index, ref, path: '/kind', problem: `is an object ${rawKind === undefined ? 'without kind' : `with kind ${show(rawKind)}`}` };
  }
  const rawApiVersion = getIn(object, 'apiVersion');
  return {
    index,
    ref,
    path: '/apiVersion',
    problem: `is a ${kind} ${rawApiVersion === undefined ? 'without apiVersion' : `with apiVersion ${show(rawApiVersion)}`}`,
  };
}

function makeService(object: ObjectInfo): ServiceInfo {
  const spec = getIn(object.raw, 'spec');
  const ports = asArray(getIn(spec, 'ports')).map((raw, index) => makeServicePort(raw, index));
  return { object, spec, mode: trafficMode(spec), selector: stringMap(getIn(spec, 'selector')), ports };
}

function makeServicePort(raw: unknown, index: number): ServicePortInfo {
  const port = getIn(raw, 'port');
  const protocol = protocolOf(raw);
  const name = asNonEmptyString(getIn(raw, 'name'));
  const targetPort = getIn(raw, 'targetPort');
  let target: TargetPort;
  if (targetPort === undefined || targetPort === null || targetPort === 0 || targetPort === '') {
    target = { type: 'number', value: port, defaulted: true };
  } else if (typeof targetPort === 'number') {
    target = { type: 'number', value: targetPort, defaulted: false };
  } else if (typeof targetPort === 'string') {
    target = { type: 'name', name: targetPort };
  } else {
    target = { type: 'invalid', value: targetPort };
  }
  const numbers = `${show(port)}/${protocol}`;
  const display = name !== undefined ? `port ${show(name)} (${numbers})` : `port ${numbers}`;
  return { raw, index, path: pointer('/spec/ports', index), port, protocol, name, display, target };
}

function makeWorkload(object: ObjectInfo, workloadKind: WorkloadKind): WorkloadInfo {
  const templatePath = pointer('', ...workloadKind.template);
  const template = workloadKind.template.length === 0 ? object.raw : getIn(object.raw, ...workloadKind.template);
  const podSpec = getIn(template, 'spec');
  const podSpecPath = `${templatePath}/spec`;
  const containers = asArray(getIn(podSpec, 'containers'))
    .map((raw, i) => makeContainer(raw, pointer(podSpecPath, 'containers', i), false, i));
  const initContainers = asArray(getIn(podSpec, 'initContainers'))
    .map((raw, i) => makeContainer(raw, pointer(podSpecPath, 'initContainers', i), true, i));
  return {
    object,
    labels: stringMap(getIn(template, 'metadata', 'labels')),
    labelsPath: `${templatePath}/metadata/labels`,
    podSpec,
    podSpecPath,
    servingContainers: [...containers, ...initContainers.filter((c) => c.sidecar)],
    allContainers: [...containers, ...initContainers],
  };
}

function makeContainer(raw: unknown, path: string, init: boolean, index: number): ContainerInfo {
  const name = asNonEmptyString(getIn(raw, 'name'));
  const what = init ? 'init container' : 'container';
  const ports = asArray(getIn(raw, 'ports')).map((port, i): ContainerPortInfo => ({
    name: asNonEmptyString(getIn(port, 'name')),
    containerPort: getIn(port, 'containerPort'),
    protocol: protocolOf(port),
    hostPort: getIn(port, 'hostPort'),
    path: pointer(path, 'ports', i),
  }));
  return {
    raw,
    path,
    display: name !== undefined ? `${what} ${show(name)}` : `${what} #${index}`,
    init,
    sidecar: init && getIn(raw, 'restartPolicy') === 'Always',
    ports,
  };
}

export type { ClientLink, ShortNameMiss } from './clients';
