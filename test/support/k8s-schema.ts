/**
 * Test helpers that prove synthesized manifests are acceptable to a
 * Kubernetes 1.27 API server.
 *
 * - `expectValidManifests` runs two independent checks per object:
 *   1. `kubernetes-models` v4 (types, required fields, enums; it ignores
 *      unknown fields and follows a newer API version), and
 *   2. a strict ajv validation against the vendored official 1.27.0
 *      definitions (`test/fixtures/k8s-v1.27.0-definitions.json`, produced by
 *      `scripts/vendor-k8s-schema.ts`) in which every object schema with
 *      `properties` rejects unknown fields.
 *   Fields newer than 1.27 that the construct may write (a Service's
 *   `trafficDistribution`, the `sleep` lifecycle action: withoutNewerFields) are not
 *   in those definitions: an object that has them is checked strictly against
 *   1.27 without exactly those fields, and as a whole against kubernetes-models
 *   5, which has them (`expectValidNewerManifests`).
 * - `expectRestrictedPodSecurity` checks a PodSpec against the Pod Security
 *   Standards "restricted" profile (which includes "baseline") as of 1.27.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ReplicationController } from 'kubernetes-models/v1/ReplicationController';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/** Path of the vendored definitions (see scripts/vendor-k8s-schema.ts). */
export const K8S_DEFINITIONS_FILE = path.join(__dirname, '..', 'fixtures', 'k8s-v1.27.0-definitions.json');

const SCHEMA_ID = 'k8s-v1.27.0';

interface ModelInstance {
  validate(): void;
}
type ModelClass = new (data: any) => ModelInstance;

/** kubernetes-models classes, keyed by `${apiVersion} ${kind}`. */
const MODELS: { readonly [apiVersionKind: string]: ModelClass } = {
  'apps/v1 DaemonSet': DaemonSet,
  'apps/v1 Deployment': Deployment,
  'apps/v1 StatefulSet': StatefulSet,
  'apps/v1 ReplicaSet': ReplicaSet,
  'batch/v1 Job': Job,
  'batch/v1 CronJob': CronJob,
  'v1 Pod': Pod,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Namespace': Namespace,
  'v1 ServiceAccount': ServiceAccount,
  'v1 ReplicationController': ReplicationController,
  'v1 ResourceQuota': ResourceQuota,
  'networking.k8s.io/v1 NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1 Ingress': Ingress,
};

interface StrictSchema {
  readonly ajv: Ajv;
  /** definition name, keyed by `${apiVersion} ${kind}` */
  readonly definitionByKind: ReadonlyMap<string, string>;
  readonly validators: Map<string, ValidateFunction>;
}

let strictSchema: StrictSchema | undefined;

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rewrites a (copied) schema in place so that it is strict:
 * - every schema with `properties` and no `additionalProperties` gets
 *   `additionalProperties: false` (maps such as labels, which use
 *   `additionalProperties: {type: string}` and no `properties`, stay maps),
 * - `format: int-or-string` becomes "integer or string".
 */
function strictify(schema: unknown, xKeywords: Set<string>): void {
  if (Array.isArray(schema)) {
    schema.forEach((s) => strictify(s, xKeywords));
    return;
  }
  if (!isPlainObject(schema)) return;

  for (const key of Object.keys(schema)) {
    if (key.startsWith('x-kubernetes-')) xKeywords.add(key);
  }
  if (schema.properties !== undefined && schema.additionalProperties === undefined
    && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    schema.additionalProperties = false;
  }
  if (schema.format === 'int-or-string') {
    delete schema.format;
    schema.type = ['integer', 'string'];
  }

  if (isPlainObject(schema.properties)) {
    Object.values(schema.properties).forEach((s) => strictify(s, xKeywords));
  }
  for (const key of ['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf']) {
    if (typeof schema[key] === 'object') strictify(schema[key], xKeywords);
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function loadStrictSchema(): StrictSchema {
  if (strictSchema) return strictSchema;

  const file = JSON.parse(fs.readFileSync(K8S_DEFINITIONS_FILE, 'utf-8'));
  const definitions: Record<string, any> = file.definitions;

  // Index top-level kinds before strictify (it does not touch GVK data anyway).
  const definitionByKind = new Map<string, string>();
  for (const [name, schema] of Object.entries(definitions)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      definitionByKind.set(`${apiVersion} ${gvk.kind}`, name);
    }
  }

  const xKeywords = new Set<string>();
  strictify(Object.values(definitions), xKeywords);

  const ajv = new Ajv({
    allErrors: true,
    // strict about schema keywords (unknown ones throw at compile time, so
    // a broken fixture is noticed), relaxed where OpenAPI v2 style needs it.
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  // OpenAPI extension keywords carry no validation semantics here.
  for (const keyword of [...xKeywords].sort()) ajv.addKeyword(keyword);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) });
  ajv.addFormat('int-or-string', true);
  ajv.addSchema({ $id: SCHEMA_ID, definitions });

  strictSchema = { ajv, definitionByKind, validators: new Map() };
  return strictSchema;
}

function strictValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const schema = loadStrictSchema();
  const key = `${apiVersion} ${kind}`;
  const cached = schema.validators.get(key);
  if (cached) return cached;
  const definition = schema.definitionByKind.get(key);
  if (!definition) return undefined;
  const validate = schema.ajv.compile({
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { const: apiVersion },
      kind: { const: kind },
    },
    allOf: [{ $ref: `${SCHEMA_ID}#/definitions/${definition}` }],
  });
  schema.validators.set(key, validate);
  return validate;
}

function formatAjvError(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params: Record<string, any> = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where} must NOT have additional property '${params.additionalProperty}'`;
    case 'enum':
      return `${where} ${error.message} ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${where} ${error.message}`;
  }
}

function label(manifest: any, index: number): string {
  const kind = typeof manifest?.kind === 'string' ? manifest.kind : '<no kind>';
  const name = manifest?.metadata?.name ?? manifest?.metadata?.generateName ?? `<unnamed #${index}>`;
  return `${kind} ${name}`;
}

/** Returns the problems found in one manifest (empty when it is valid). */
export function validateManifest(manifest: any): string[] {
  if (!isPlainObject(manifest)) return ['/ must be an object'];
  const { apiVersion, kind } = manifest;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['/ must have string apiVersion and kind'];
  }
  const key = `${apiVersion} ${kind}`;
  const problems: string[] = [];

  const Model = MODELS[key];
  const validate = strictValidator(apiVersion, kind);
  if (!Model || !validate) {
    return [`apiVersion ${apiVersion} kind ${kind} is not supported (add it to ROOT_KINDS in scripts/vendor-k8s-schema.ts, re-run it, and to MODELS in test/support/k8s-schema.ts)`];
  }

  try {
    new Model(manifest).validate();
  } catch (e: any) {
    const errors: ErrorObject[] | undefined = e?.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      problems.push(...errors.map((err) => `${formatAjvError(err)} (kubernetes-models)`));
    } else {
      problems.push(`${e?.message ?? String(e)} (kubernetes-models)`);
    }
  }

  if (!validate(manifest)) {
    problems.push(...(validate.errors ?? []).map(formatAjvError));
  }
  return [...new Set(problems)];
}

/** The pod spec of a workload manifest, where the lifecycle hooks of its containers are. */
function podSpecOf(manifest: any): any {
  if (manifest.kind === 'Pod') return manifest.spec;
  if (manifest.kind === 'CronJob') return manifest.spec?.jobTemplate?.spec?.template?.spec;
  return manifest.spec?.template?.spec;
}

/**
 * The fields newer than Kubernetes 1.27 that the construct may write, each removed from a copy
 * of the manifest; returns the copy and what was removed (empty when the manifest has none).
 */
export function withoutNewerFields(manifest: any): { readonly manifest: any; readonly removed: string[] } {
  if (!isPlainObject(manifest)) return { manifest, removed: [] };
  const copy = JSON.parse(JSON.stringify(manifest));
  const removed: string[] = [];
  if (copy.apiVersion === 'v1' && copy.kind === 'Service' && isPlainObject(copy.spec) && 'trafficDistribution' in copy.spec) {
    delete copy.spec.trafficDistribution;
    removed.push('/spec/trafficDistribution');
  }
  const podSpec = podSpecOf(copy);
  for (const list of ['containers', 'initContainers']) {
    const containers = Array.isArray(podSpec?.[list]) ? podSpec[list] : [];
    containers.forEach((c: any, i: number) => {
      for (const hook of ['preStop', 'postStart']) {
        const handler = c?.lifecycle?.[hook];
        if (isPlainObject(handler) && 'sleep' in handler) {
          delete handler.sleep;
          removed.push(`${list}[${i}].lifecycle.${hook}.sleep`);
        }
      }
    });
  }
  return { manifest: copy, removed };
}

/** Problems kubernetes-models 5 finds in each manifest, in one child process (it is ESM-only). */
export function newerSchemaProblems(manifests: any[]): string[][] {
  if (manifests.length === 0) return [];
  const run = spawnSync(process.execPath, [path.join(__dirname, 'k8s-schema-v5.mjs')], {
    input: JSON.stringify(manifests),
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`kubernetes-models 5 validation did not run (exit ${run.status}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

/** Fails (throws) unless kubernetes-models 5 accepts every manifest. */
export function expectValidNewerManifests(manifests: any[]): void {
  const lines = newerSchemaProblems(manifests).flatMap((problems, index) =>
    problems.map((problem) => `${label(manifests[index], index)}: ${problem}`));
  if (lines.length > 0) {
    throw new Error(`manifest(s) rejected by kubernetes-models 5:\n  ${lines.join('\n  ')}`);
  }
}

/**
 * Fails (throws) unless every manifest is accepted by both kubernetes-models
 * and the strict Kubernetes 1.27.0 schema (unknown fields rejected). A manifest
 * with fields newer than 1.27 (withoutNewerFields) is checked strictly without them,
 * and as a whole by kubernetes-models 5: now, or, when `deferred` is given, by
 * the caller's later `expectValidNewerManifests(deferred)` (one child process
 * for many manifests).
 */
export function expectValidManifests(manifests: any[], deferred?: any[]): void {
  if (!Array.isArray(manifests)) {
    throw new Error(`expectValidManifests: expected an array of manifests, got ${typeof manifests}`);
  }
  const lines: string[] = [];
  const newer: any[] = [];
  let failed = 0;
  manifests.forEach((original, index) => {
    const { manifest, removed } = withoutNewerFields(original);
    if (removed.length > 0) newer.push(original);
    const problems = validateManifest(manifest);
    if (problems.length > 0) failed++;
    for (const problem of problems) {
      lines.push(`${label(manifest, index)}: ${problem}`);
    }
  });
  if (lines.length > 0) {
    throw new Error(`${failed} of ${manifests.length} manifest(s) rejected by the Kubernetes 1.27 schema:\n  ${lines.join('\n  ')}`);
  }
  if (deferred) {
    deferred.push(...newer);
  } else {
    expectValidNewerManifests(newer);
  }
}

// ---------------------------------------------------------------------------
// Pod Security Standards: restricted (v1.27)
// https://kubernetes.io/docs/concepts/security/pod-security-standards/
// ---------------------------------------------------------------------------

const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
/** Volume source fields that are not volume types. */
const VOLUME_NON_SOURCE_FIELDS = new Set(['name']);
/** Safe sysctls allowed by baseline as of v1.27 (ip_local_reserved_ports was added in 1.27). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
]);
const ALLOWED_SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t']);
const ALLOWED_SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Returns the restricted-profile violations of a PodSpec (empty when compliant). */
export function restrictedPodSecurityViolations(podSpec: any): string[] {
  if (!isPlainObject(podSpec)) return ['pod spec must be an object'];
  const v: string[] = [];
  const podSc: Record<string, any> = isPlainObject(podSpec.securityContext) ? podSpec.securityContext : {};
  const containers: Array<{ where: string; c: any }> = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = podSpec[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      v.push(`spec.${field} must be a list`);
      continue;
    }
    list.forEach((c: any, i: number) => containers.push({ where: `spec.${field}[${i}] (${c?.name ?? '?'})`, c }));
  }
  if (!containers.some(({ where }) => where.startsWith('spec.containers['))) {
    v.push('spec.containers must not be empty');
  }
  const sc = (c: any): Record<string, any> => (isPlainObject(c?.securityContext) ? c.securityContext : {});
  // Linux-only controls are skipped for pods that declare a Windows OS.
  const linux = podSpec.os?.name !== 'windows';

  // --- baseline ---
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[field] === true) v.push(`spec.${field} must be unset or false`);
  }
  if (podSc.windowsOptions?.hostProcess === true) v.push('spec.securityContext.windowsOptions.hostProcess must be unset or false');
  for (const { where, c } of containers) {
    const s = sc(c);
    if (s.privileged === true) v.push(`${where}: securityContext.privileged must be unset or false`);
    if (s.windowsOptions?.hostProcess === true) v.push(`${where}: securityContext.windowsOptions.hostProcess must be unset or false`);
    if (s.procMount !== undefined && s.procMount !== 'Default') v.push(`${where}: securityContext.procMount must be unset or Default`);
    for (const [i, port] of (Array.isArray(c?.ports) ? c.ports : []).entries()) {
      if (port?.hostPort !== undefined && port.hostPort !== 0) v.push(`${where}: ports[${i}].hostPort must be unset or 0 (got ${port.hostPort})`);
    }
  }
  for (const [i, sysctl] of (Array.isArray(podSc.sysctls) ? podSc.sysctls : []).entries()) {
    if (!SAFE_SYSCTLS.has(sysctl?.name)) v.push(`spec.securityContext.sysctls[${i}]: unsafe sysctl ${sysctl?.name}`);
  }
  const seLinux = (where: string, opts: any) => {
    if (!isPlainObject(opts)) return;
    if (opts.type !== undefined && opts.type !== '' && !ALLOWED_SELINUX_TYPES.has(opts.type)) {
      v.push(`${where}.seLinuxOptions.type must be unset or one of ${[...ALLOWED_SELINUX_TYPES].join(', ')} (got ${opts.type})`);
    }
    if (opts.user !== undefined && opts.user !== '') v.push(`${where}.seLinuxOptions.user must be unset`);
    if (opts.role !== undefined && opts.role !== '') v.push(`${where}.seLinuxOptions.role must be unset`);
  };
  seLinux('spec.securityContext', podSc.seLinuxOptions);
  for (const { where, c } of containers) seLinux(`${where}: securityContext`, sc(c).seLinuxOptions);

  // --- restricted: volume types (baseline's hostPath ban is covered) ---
  for (const [i, volume] of (Array.isArray(podSpec.volumes) ? podSpec.volumes : []).entries()) {
    const types = Object.keys(isPlainObject(volume) ? volume : {}).filter((k) => !VOLUME_NON_SOURCE_FIELDS.has(k));
    for (const type of types) {
      if (!RESTRICTED_VOLUME_TYPES.has(type)) v.push(`spec.volumes[${i}] (${volume?.name ?? '?'}): volume type ${type} is not allowed`);
    }
  }

  // --- restricted: running as non-root ---
  if (podSc.runAsNonRoot === false) v.push('spec.securityContext.runAsNonRoot must not be false');
  if (podSc.runAsUser === 0) v.push('spec.securityContext.runAsUser must not be 0');
  for (const { where, c } of containers) {
    const s = sc(c);
    if (s.runAsNonRoot === false) {
      v.push(`${where}: securityContext.runAsNonRoot must not be false`);
    } else if (podSc.runAsNonRoot !== true && s.runAsNonRoot !== true) {
      v.push(`${where}: runAsNonRoot must be true (set it on the pod or on every container)`);
    }
    if (s.runAsUser === 0) v.push(`${where}: securityContext.runAsUser must not be 0`);
  }

  if (linux) {
    // --- restricted: seccomp (baseline: never Unconfined) ---
    const podSeccomp = podSc.seccompProfile?.type;
    if (podSeccomp !== undefined && !ALLOWED_SECCOMP_TYPES.has(podSeccomp)) {
      v.push(`spec.securityContext.seccompProfile.type must be RuntimeDefault or Localhost (got ${podSeccomp})`);
    }
    for (const { where, c } of containers) {
      const seccomp = sc(c).seccompProfile?.type;
      if (seccomp !== undefined) {
        if (!ALLOWED_SECCOMP_TYPES.has(seccomp)) v.push(`${where}: securityContext.seccompProfile.type must be RuntimeDefault or Localhost (got ${seccomp})`);
      } else if (podSeccomp === undefined) {
        v.push(`${where}: seccompProfile.type must be RuntimeDefault or Localhost (set it on the pod or on every container)`);
      }
    }

    for (const { where, c } of containers) {
      const s = sc(c);
      // --- restricted: privilege escalation ---
      if (s.allowPrivilegeEscalation !== false) {
        v.push(`${where}: securityContext.allowPrivilegeEscalation must be false (got ${s.allowPrivilegeEscalation})`);
      }
      // --- restricted: capabilities ---
      const drop: unknown[] = Array.isArray(s.capabilities?.drop) ? s.capabilities.drop : [];
      if (!drop.includes('ALL')) v.push(`${where}: securityContext.capabilities.drop must include ALL`);
      const add: unknown[] = Array.isArray(s.capabilities?.add) ? s.capabilities.add : [];
      for (const cap of add) {
        if (cap !== 'NET_BIND_SERVICE') v.push(`${where}: securityContext.capabilities.add may only contain NET_BIND_SERVICE (got ${cap})`);
      }
    }
  }
  return v;
}

/** Fails (throws) unless the PodSpec satisfies the Pod Security Standards restricted profile (v1.27). */
export function expectRestrictedPodSecurity(podSpec: any): void {
  const violations = restrictedPodSecurityViolations(podSpec);
  if (violations.length > 0) {
    throw new Error(`${violations.length} Pod Security Standards (restricted, v1.27) violation(s):\n  ${violations.join('\n  ')}`);
  }
}
