// Finds the Kubernetes object a client construct writes, whatever made it: a workload of any
// cdk8s-plus version, a generated KubeDeployment and friends, a plain ApiObject, an object of an
// Include or a Helm chart. Only the API object and its JSON are read, never a cdk8s-plus API,
// whose classes differ from one cdk8s-plus version to the next.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { wiredVariables } from './client-env';
import { asArray, asNonEmptyString, asObject, getIn, JsonObject, show } from './lint/json';

/** A client's API object and where its pod spec is in the object's JSON. */
export interface ClientWorkload {
  readonly apiObject: ApiObject;
  /** The object's JSON when it was found. */
  readonly json: JsonObject;
  /** The keys from the object's JSON to its pod spec, e.g. `spec`, `template`, `spec`. */
  readonly podSpecKeys: string[];
  /** The object for a message, e.g. `Deployment 'checkout'`. */
  readonly display: string;
}

/** What connect() accepts, for the messages that refuse a construct. */
export const ACCEPTED_CLIENTS = 'pass a construct whose Kubernetes object has a pod template '
  + '(spec.template.spec, or spec.jobTemplate.spec.template.spec for a CronJob) or is a Pod: '
  + 'a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod of any cdk8s-plus version, '
  + 'a generated KubeDeployment and friends, or an ApiObject of such a manifest (from an Include, say)';

const POD_TEMPLATE_SPEC = ['spec', 'template', 'spec'];
const CRON_JOB_POD_TEMPLATE_SPEC = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];

/**
 * The keys to the pod spec of a manifest: a Pod's `spec`, or the spec of the pod template, of
 * a CronJob's job template too; undefined when the object has none.
 */
export function podSpecKeys(json: unknown): string[] | undefined {
  if (getIn(json, 'kind') === 'Pod' && asObject(getIn(json, 'spec')) !== undefined) {
    return ['spec'];
  }
  for (const keys of [POD_TEMPLATE_SPEC, CRON_JOB_POD_TEMPLATE_SPEC]) {
    if (asObject(getIn(json, ...keys)) !== undefined) {
      return keys;
    }
  }
  return undefined;
}

/** The object for a message: its kind and name, e.g. `Deployment 'checkout'`. */
export function displayObject(json: unknown): string {
  const kind = asNonEmptyString(getIn(json, 'kind')) ?? 'object';
  const name = asNonEmptyString(getIn(json, 'metadata', 'name'));
  return name === undefined ? kind : `${kind} '${name}'`;
}

/** The names of the containers (not the init containers) of a pod spec, in order. */
export function containerNames(podSpec: unknown): Array<string | undefined> {
  return asArray(getIn(podSpec, 'containers')).map(c => asNonEmptyString(getIn(c, 'name')));
}

/**
 * The client's pod-bearing API object: the construct itself when it is an API object, else its
 * default child (a cdk8s-plus workload's `Resource`), else the only pod-bearing API object
 * under it (an Include or Helm chart with one workload). Several are refused rather than
 * guessed: the caller names the one it means.
 *
 * @param where the prefix of every message, e.g. `connect(apps/checkout)`
 */
export function findClientWorkload(client: IConstruct, where: string): ClientWorkload {
  const primary = primaryApiObject(client, where);
  const cheap = primary === undefined ? undefined : fromPodConstruct(client, primary);
  if (cheap !== undefined) {
    return cheap;
  }
  if (primary !== undefined) {
    const found = asWorkload(primary, where);
    if (found !== undefined) {
      return found;
    }
  }
  const objects = client.node.findAll().filter(ApiObject.isApiObject);
  const workloads: ClientWorkload[] = [];
  for (const object of objects) {
    const found = asWorkload(object, where);
    if (found !== undefined) {
      workloads.push(found);
    }
  }
  if (workloads.length === 1) {
    return workloads[0];
  }
  if (workloads.length > 1) {
    const listed = workloads.map(w => `${w.display} (${w.apiObject.node.path})`).join(', ');
    throw new Error(`${where}: the construct holds ${workloads.length} objects with a pod template, ${listed}, and connect() wires one client at a time: connect each one you mean, e.g. agent.connect(include.apiObjects.find(o => o.name === '${workloads[0].apiObject.name}')!, ...)`);
  }
  const held = primary !== undefined
    ? `${displayObject(primary.toJson())} has no pod template`
    : objects.length > 0
      ? `it holds ${objects.map(o => displayObject(o.toJson())).join(', ')}, none with a pod template`
      : 'it holds no Kubernetes object';
  throw new Error(`${where}: ${held}: ${ACCEPTED_CLIENTS}`);
}

/** The API object `ApiObject.of` would give: the construct, or down its default children. */
function primaryApiObject(client: IConstruct, where: string): ApiObject | undefined {
  let current: IConstruct | undefined = client;
  while (current !== undefined) {
    if (ApiObject.isApiObject(current)) {
      return current;
    }
    try {
      current = current.node.defaultChild;
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}: give the construct one default child`);
    }
  }
  return undefined;
}

/** Where the pod spec of each kind a cdk8s-plus workload writes is. */
const POD_SPEC_BY_KIND = new Map<string, string[]>([
  ['Deployment', POD_TEMPLATE_SPEC], ['StatefulSet', POD_TEMPLATE_SPEC], ['DaemonSet', POD_TEMPLATE_SPEC],
  ['ReplicaSet', POD_TEMPLATE_SPEC], ['Job', POD_TEMPLATE_SPEC], ['CronJob', CRON_JOB_POD_TEMPLATE_SPEC], ['Pod', ['spec']],
]);

/**
 * What connect() reads of a cdk8s-plus workload (any version), without serializing it: its
 * containers' names and variables, from the public `containers` of the construct (each with a
 * `name` and an `env` whose `variables` map names to values). Serializing a workload is the
 * larger part of a connect() call; the variables are checked again when it is written (JSON
 * patches included, which only the written object shows). Undefined when the construct does not
 * look like that, or has no containers yet: then its JSON is read.
 */
function fromPodConstruct(client: IConstruct, apiObject: ApiObject): ClientWorkload | undefined {
  const keys = POD_SPEC_BY_KIND.get(apiObject.kind);
  const containers: unknown = ApiObject.isApiObject(client) ? undefined : (client as { containers?: unknown }).containers;
  if (keys === undefined || !Array.isArray(containers) || containers.length === 0) {
    return undefined;
  }
  const written: JsonObject[] = [];
  for (const container of containers) {
    const name = getIn(container, 'name');
    const variables = asObject((container as { env?: { variables?: unknown } })?.env?.variables);
    if (typeof name !== 'string' || variables === undefined) {
      return undefined;
    }
    const env: unknown[] = Object.entries(variables).map(([variable, value]) => ({
      name: variable,
      ...(getIn(value, 'value') !== undefined ? { value: getIn(value, 'value') } : {}),
      // the generated serializers write a reference's fields in alphabetical order (key, name...)
      ...(getIn(value, 'valueFrom') !== undefined ? { valueFrom: sortedKeys(getIn(value, 'valueFrom')) } : {}),
    }));
    // what an earlier connect() wired is added when the object is written: it counts too
    env.push(...wiredVariables(apiObject, name));
    written.push({ name, env });
  }
  const metadata = { name: apiObject.name, ...(apiObject.metadata.namespace !== undefined ? { namespace: apiObject.metadata.namespace } : {}) };
  let json: JsonObject = { containers: written };
  for (let i = keys.length - 1; i >= 0; i--) {
    json = { [keys[i]]: json };
  }
  json = { apiVersion: apiObject.apiVersion, kind: apiObject.kind, metadata, ...json };
  return { apiObject, json, podSpecKeys: keys, display: displayObject(json) };
}

function sortedKeys(value: unknown): unknown {
  const object = asObject(value);
  if (object === undefined) {
    return value;
  }
  return Object.fromEntries(Object.keys(object).sort().filter(k => object[k] !== undefined).map(k => [k, sortedKeys(object[k])]));
}

function asWorkload(apiObject: ApiObject, where: string): ClientWorkload | undefined {
  let json: JsonObject | undefined;
  try {
    json = asObject(apiObject.toJson());
  } catch (e) {
    throw new Error(`${where}: ${apiObject.node.path} cannot be serialized yet, so its containers cannot be read (${reason(e)}): complete the object, e.g. give it its containers, before connecting it`);
  }
  const keys = podSpecKeys(json);
  if (json === undefined || keys === undefined) {
    return undefined;
  }
  return { apiObject, json, podSpecKeys: keys, display: displayObject(json) };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : show(e);
}
