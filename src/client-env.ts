// The environment variables connect() gives a client, written into the client's JSON each time
// it is serialized: after cdk8s-plus (of any version) rendered its containers, after the user's
// JSON patches and after a generated serializer, so every origin is written the same way and
// nothing is dropped. A JSON patch cannot do this: RFC 6902 has no "append, creating the list
// when absent", so a patch made for a container without `env` would replace the list the user
// gives it later, and a variable the user defines later would silently appear twice.
import { ApiObject } from 'cdk8s';
import { containerNames, displayObject, podSpecKeys } from './client-workload';
import { asArray, asObject, getIn, JsonObject, show } from './lint/json';

/** One environment variable as Kubernetes writes it. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: JsonObject;
}

/** A variable connect() wires, and the call that wired it, for messages. */
interface Wired {
  readonly variable: EnvVar;
  readonly where: string;
}

/** Per API object: the wired variables by container name, in the order connect() gave them. */
const WIRING = new WeakMap<ApiObject, Map<string, Wired[]>>();

/**
 * The entry of `env` that gives the variable another value, if any. An entry with the same
 * value is no conflict: connecting twice, or defining the variable as connect() would, is harmless.
 */
export function conflictingEntry(env: unknown[], variable: EnvVar): unknown {
  const wanted = envValueKey(variable);
  return env.find(e => getIn(e, 'name') === variable.name && envValueKey(e) !== wanted);
}

/** A variable's value for a message: `'otel-agent:4317'` or `valueFrom {...}`. */
export function describeEnvValue(entry: unknown): string {
  const value = getIn(entry, 'value');
  const valueFrom = getIn(entry, 'valueFrom');
  if (typeof value === 'string' && valueFrom === undefined) {
    return `'${value}'`;
  }
  if (value === undefined && valueFrom !== undefined) {
    return `valueFrom ${show(valueFrom)}`;
  }
  return show({ value, valueFrom });
}

/**
 * The container's `env` as a list; throws when it is something else (a manifest from an
 * Include can hold anything), since a variable cannot be added to it.
 */
export function envList(container: unknown, containerName: string, where: string): unknown[] {
  const env = getIn(container, 'env');
  if (env !== undefined && env !== null && !Array.isArray(env)) {
    throw new Error(`${where}: container '${containerName}' has env ${show(env)}, which is not a list of variables: make it a list such as [{ name: 'A', value: 'b' }]`);
  }
  return asArray(env);
}

/** The variables connect() has wired into a container of the object so far (written at serialization). */
export function wiredVariables(apiObject: ApiObject, containerName: string): EnvVar[] {
  return (WIRING.get(apiObject)?.get(containerName) ?? []).map(w => w.variable);
}

/**
 * Wire the variables into the named container each time the object is serialized. The caller
 * has checked that they conflict with nothing yet; a conflict that appears later (the user sets
 * the variable to another value after connect()) fails the serialization with a clear message.
 */
export function wireEnv(apiObject: ApiObject, containerName: string, variables: EnvVar[], where: string): void {
  let wiring = WIRING.get(apiObject);
  if (wiring === undefined) {
    wiring = new Map();
    WIRING.set(apiObject, wiring);
    writeOnSerialization(apiObject);
  }
  const wired = wiring.get(containerName) ?? [];
  for (const variable of variables) {
    if (!wired.some(w => w.variable.name === variable.name)) {
      wired.push({ variable, where });
    }
  }
  wiring.set(containerName, wired);
}

/** Wrap this one object's toJson(): the output of any origin, plus the wired variables. */
function writeOnSerialization(apiObject: ApiObject): void {
  const target = apiObject as unknown as { toJson: () => unknown };
  const original = target.toJson;
  target.toJson = function (this: ApiObject) {
    return withWiredEnv(original.apply(this), WIRING.get(apiObject) ?? new Map());
  };
}

function withWiredEnv(json: unknown, wiring: Map<string, Wired[]>): unknown {
  const object = asObject(json);
  const keys = podSpecKeys(object);
  if (object === undefined || keys === undefined) {
    const where = [...wiring.values()][0]?.[0]?.where ?? 'connect()';
    throw new Error(`${where}: ${displayObject(object)} no longer has a pod template, so the variables connect() set cannot be written: keep the pod template (check the JSON patches that change it)`);
  }
  // copy along the path to the pod spec: the JSON may be shared (a memoized serialization)
  const root: JsonObject = { ...object };
  let podSpec = root;
  for (const key of keys) {
    const copy: JsonObject = { ...asObject(podSpec[key]) };
    podSpec[key] = copy;
    podSpec = copy;
  }
  const containers = asArray(podSpec.containers);
  podSpec.containers = containers;
  const names = containerNames(podSpec);
  for (const [containerName, wired] of wiring) {
    const index = names.indexOf(containerName);
    if (index < 0) {
      throw new Error(`${wired[0].where}: container '${containerName}', which connect() set variables on, is no longer in the pod template of ${displayObject(object)}: keep the container, or connect the containers the client has`);
    }
    containers[index] = withVariables(containers[index], containerName, wired);
  }
  return root;
}

function withVariables(container: unknown, containerName: string, wired: Wired[]): JsonObject {
  const env = [...envList(container, containerName, wired[0].where)];
  for (const { variable, where } of wired) {
    const other = conflictingEntry(env, variable);
    if (other !== undefined) {
      throw new Error(`${where}: container '${containerName}' sets ${variable.name} to ${describeEnvValue(other)}, while connect() sets it to ${describeEnvValue(variable)}: define each variable once: remove the other definition (a JSON patch or the workload's own env), or the connect() call`);
    }
    if (env.some(e => getIn(e, 'name') === variable.name)) {
      continue; // defined as connect() defines it: once is enough
    }
    // a variable must come before those that refer to it as $(NAME), or Kubernetes does not expand it
    const reference = `$(${variable.name})`;
    const firstUse = env.findIndex(e => {
      const value = getIn(e, 'value');
      return typeof value === 'string' && value.includes(reference);
    });
    env.splice(firstUse < 0 ? env.length : firstUse, 0, { ...variable });
  }
  const had = getIn(container, 'env') !== undefined;
  const written = { ...asObject(container), env };
  return had ? written : sortedKeys(written);
}

/**
 * cdk8s writes keys in alphabetical order (unless CDK8S_DISABLE_SORT is set); an `env` added to
 * a container that had none goes where cdk8s would have put it.
 */
function sortedKeys(object: JsonObject): JsonObject {
  if (process.env.CDK8S_DISABLE_SORT) {
    return object;
  }
  return Object.fromEntries(Object.keys(object).sort().map(k => [k, object[k]]));
}

/**
 * What a variable's value means, for comparing two definitions: `value` and `valueFrom` with
 * keys in a fixed order, and a `fieldRef` without its default `apiVersion: v1`.
 */
function envValueKey(entry: unknown): string {
  let valueFrom = getIn(entry, 'valueFrom');
  const fieldRef = asObject(getIn(valueFrom, 'fieldRef'));
  if (fieldRef !== undefined && fieldRef.apiVersion === 'v1') {
    const withoutDefault = Object.fromEntries(Object.entries(fieldRef).filter(([k]) => k !== 'apiVersion'));
    valueFrom = { ...asObject(valueFrom), fieldRef: withoutDefault };
  }
  try {
    return JSON.stringify({ value: getIn(entry, 'value'), valueFrom }, (_key, v) => {
      const o = asObject(v);
      return o === undefined ? v : Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]));
    });
  } catch {
    return `unreadable ${show(entry)}`; // never equal to a variable connect() writes
  }
}
