/**
 * Kubernetes semantics the rules share, written to match the API server and controllers:
 * name formats (k8s.io/apimachinery/pkg/util/validation), int-or-percent values and label
 * selectors (k8s.io/apimachinery/pkg/apis/meta/v1), DaemonSet defaults (pkg/apis/apps/v1).
 */
import { asArray, asObject, asString, getIn, isInteger, pointer, show } from './json';

/** A DNS-1035 label: Service names. */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label: Service port names. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_MAX = 63;
const IANA_SVC_NAME_MAX = 15;

/** The protocols a Service or container port may use. */
export const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** The API group of an `apiVersion` (`''` for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Why a name is not a DNS-1035 label, or undefined when it is one. */
export function dns1035LabelError(name: string): string | undefined {
  if (name.length > LABEL_MAX) {
    return `it is ${name.length} characters long, at most ${LABEL_MAX} are allowed`;
  }
  if (!DNS1035_LABEL.test(name)) {
    return 'it must consist of lower case letters, digits and \'-\', start with a letter and end with a letter or digit';
  }
  return undefined;
}

/** Why a name is not a DNS-1123 label, or undefined when it is one. */
export function dns1123LabelError(name: string): string | undefined {
  if (name.length > LABEL_MAX) {
    return `it is ${name.length} characters long, at most ${LABEL_MAX} are allowed`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return 'it must consist of lower case letters, digits and \'-\', and start and end with a letter or digit';
  }
  return undefined;
}

/**
 * Why a name is not an IANA service name (the form of a named port, `IsValidPortName`),
 * or undefined when it is one.
 */
export function ianaServiceNameError(name: string): string | undefined {
  if (name.length === 0 || name.length > IANA_SVC_NAME_MAX) {
    return `it is ${name.length} characters long, a port name has 1 to ${IANA_SVC_NAME_MAX}`;
  }
  if (!/^[-a-z0-9]+$/.test(name)) {
    return 'it may contain only lower case letters, digits and \'-\'';
  }
  if (!/[a-z]/.test(name)) {
    return 'it must contain at least one letter';
  }
  if (name.includes('--')) {
    return 'it must not contain two adjacent hyphens';
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return 'it must not start or end with a hyphen';
  }
  return undefined;
}

/** Whether a value is a valid port number (an integer in 1-65535). */
export function isPortNumber(value: unknown): value is number {
  return isInteger(value) && value >= 1 && value <= 65535;
}

/** The protocol of a Service or container port: Kubernetes defaults an absent one to TCP. */
export function protocolOf(port: unknown): string {
  const protocol = getIn(port, 'protocol');
  return typeof protocol === 'string' && protocol !== '' ? protocol : 'TCP';
}

/**
 * The integer value Kubernetes reads from an int-or-percent field (`getIntOrPercentValue` in
 * the apps validation): the percentage for a valid percent string, the integer for a number,
 * and Go's `strconv.Atoi` (0 on failure) for any other string.
 */
export function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? Math.trunc(value) : 0;
  }
  if (typeof value === 'string') {
    const percent = /^([0-9]+)%$/.exec(value);
    if (percent) {
      return Number(percent[1]);
    }
    return /^[+-]?[0-9]+$/.test(value) ? Number(value) : 0;
  }
  return 0;
}

/**
 * Why an int-or-percent value is invalid for `maxSurge`/`maxUnavailable`, as a phrase such as
 * `is negative` (`ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent`), or undefined when valid.
 */
export function intOrPercentError(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!isInteger(value)) {
      return 'is not an integer';
    }
    return value < 0 ? 'is negative' : undefined;
  }
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) {
    return Number(value.slice(0, -1)) > 100 ? 'is more than 100%' : undefined;
  }
  return 'is neither an integer nor a percentage like "10%"';
}

/** A DaemonSet's update strategy after Kubernetes defaulting (`SetDefaults_DaemonSet`). */
export interface EffectiveUpdateStrategy {
  /** `RollingUpdate` when absent. */
  readonly type: string;
  /** Whether `type` was set in the manifest. */
  readonly typeSet: boolean;
  /** The raw `maxSurge` (0 when absent and the type is RollingUpdate). */
  readonly maxSurge: unknown;
  readonly maxSurgeSet: boolean;
  /** The raw `maxUnavailable` (1 when absent and the type is RollingUpdate). */
  readonly maxUnavailable: unknown;
  readonly maxUnavailableSet: boolean;
}

/** The update strategy of a DaemonSet with Kubernetes' defaults applied. */
export function effectiveUpdateStrategy(daemonSet: unknown): EffectiveUpdateStrategy {
  const strategy = getIn(daemonSet, 'spec', 'updateStrategy');
  const rawType = getIn(strategy, 'type');
  const typeSet = rawType !== undefined && rawType !== null && rawType !== '';
  const type = typeSet ? (asString(rawType) ?? show(rawType)) : 'RollingUpdate';
  const rollingUpdate = getIn(strategy, 'rollingUpdate');
  const surge = getIn(rollingUpdate, 'maxSurge');
  const unavailable = getIn(rollingUpdate, 'maxUnavailable');
  const maxSurgeSet = surge !== undefined && surge !== null;
  const maxUnavailableSet = unavailable !== undefined && unavailable !== null;
  return {
    type,
    typeSet,
    maxSurge: maxSurgeSet ? surge : 0,
    maxSurgeSet,
    maxUnavailable: maxUnavailableSet ? unavailable : 1,
    maxUnavailableSet,
  };
}

/**
 * Whether the API server accepts a DaemonSet's rolling update (`ValidateRollingUpdateDaemonSet`):
 * both values well-formed, and exactly one of them above zero (NL011 reports the others).
 */
export function isValidRollingUpdate(strategy: EffectiveUpdateStrategy): boolean {
  if ((strategy.maxSurgeSet && intOrPercentError(strategy.maxSurge) !== undefined)
    || (strategy.maxUnavailableSet && intOrPercentError(strategy.maxUnavailable) !== undefined)) {
    return false;
  }
  return (intOrPercentValue(strategy.maxSurge) !== 0) !== (intOrPercentValue(strategy.maxUnavailable) !== 0);
}

/** The JSON pointer of a rolling update field of a DaemonSet. */
export const ROLLING_UPDATE_PATH = '/spec/updateStrategy/rollingUpdate';

/** The outcome of matching a label selector against a set of labels. */
export interface SelectorMatch {
  /** Whether every requirement holds (false when the selector is invalid). */
  readonly matches: boolean;
  /** Requirements that do not hold, described for a message. */
  readonly unmet: string[];
  /** Requirements that the API server rejects, each with its JSON pointer below the selector. */
  readonly invalid: Array<{ readonly path: string; readonly reason: string }>;
}

const SET_OPERATORS = ['In', 'NotIn'];
const EXISTS_OPERATORS = ['Exists', 'DoesNotExist'];

/**
 * Evaluates a `metav1.LabelSelector` (matchLabels AND matchExpressions) against labels, the way
 * `LabelSelectorAsSelector` does: all requirements must hold.
 */
export function matchLabelSelector(selector: unknown, labels: Map<string, string>): SelectorMatch {
  const unmet: string[] = [];
  const invalid: Array<{ path: string; reason: string }> = [];

  const matchLabels = getIn(selector, 'matchLabels');
  if (matchLabels !== undefined && matchLabels !== null && asObject(matchLabels) === undefined) {
    invalid.push({ path: '/matchLabels', reason: `matchLabels is ${show(matchLabels)}, not a map of labels` });
  }
  for (const [key, value] of Object.entries(asObject(matchLabels) ?? {})) {
    if (typeof value !== 'string') {
      invalid.push({ path: pointer('', 'matchLabels', key), reason: `matchLabels ${key} is ${show(value)}, not a string` });
      continue;
    }
    const actual = labels.get(key);
    if (actual !== value) {
      unmet.push(actual === undefined
        ? `matchLabels ${key}=${value}, but the template has no label ${key}`
        : `matchLabels ${key}=${value}, but the template label ${key} is ${show(actual)}`);
    }
  }

  const expressions = getIn(selector, 'matchExpressions');
  if (expressions !== undefined && expressions !== null && !Array.isArray(expressions)) {
    invalid.push({ path: '/matchExpressions', reason: `matchExpressions is ${show(expressions)}, not a list` });
  }
  asArray(expressions).forEach((expression, i) => {
    const path = `/matchExpressions/${i}`;
    const key = asString(getIn(expression, 'key'));
    const operator = asString(getIn(expression, 'operator'));
    const rawValues = getIn(expression, 'values');
    const values = asArray(rawValues);
    if (key === undefined || key === '') {
      invalid.push({ path: `${path}/key`, reason: `matchExpressions[${i}] has no key` });
      return;
    }
    if (operator === undefined || ![...SET_OPERATORS, ...EXISTS_OPERATORS].includes(operator)) {
      invalid.push({
        path: `${path}/operator`,
        reason: `matchExpressions[${i}] has operator ${show(getIn(expression, 'operator'))}; it must be In, NotIn, Exists or DoesNotExist`,
      });
      return;
    }
    if (rawValues !== undefined && rawValues !== null && !Array.isArray(rawValues)) {
      invalid.push({ path: `${path}/values`, reason: `matchExpressions[${i}] values is ${show(rawValues)}, not a list` });
      return;
    }
    if (values.some((v) => typeof v !== 'string')) {
      invalid.push({ path: `${path}/values`, reason: `matchExpressions[${i}] values ${show(rawValues)} are not all strings` });
      return;
    }
    if (SET_OPERATORS.includes(operator) && values.length === 0) {
      invalid.push({ path: `${path}/values`, reason: `matchExpressions[${i}] (${key} ${operator}) needs at least one value` });
      return;
    }
    if (EXISTS_OPERATORS.includes(operator) && values.length > 0) {
      invalid.push({ path: `${path}/values`, reason: `matchExpressions[${i}] (${key} ${operator}) must have no values` });
      return;
    }
    const actual = labels.get(key);
    const shown = `matchExpressions[${i}] (${key} ${operator}${values.length ? ' ' + show(values) : ''})`;
    switch (operator) {
      case 'In':
        if (actual === undefined || !values.includes(actual)) {
          unmet.push(`${shown}, but the template ${actual === undefined ? `has no label ${key}` : `label ${key} is ${show(actual)}`}`);
        }
        break;
      case 'NotIn':
        if (actual !== undefined && values.includes(actual)) {
          unmet.push(`${shown}, but the template label ${key} is ${show(actual)}`);
        }
        break;
      case 'Exists':
        if (actual === undefined) {
          unmet.push(`${shown}, but the template has no label ${key}`);
        }
        break;
      default: // DoesNotExist
        if (actual !== undefined) {
          unmet.push(`${shown}, but the template has the label ${key}=${actual}`);
        }
    }
  });

  return { matches: unmet.length === 0 && invalid.length === 0, unmet, invalid };
}

/** Formats labels or a selector map for a message, e.g. `{app=dns, tier=node}`. */
export function showLabels(labels: Map<string, string>): string {
  if (labels.size === 0) {
    return '{}';
  }
  return '{' + [...labels].map(([k, v]) => `${k}=${v}`).join(', ') + '}';
}

/** A Service that a DNS name refers to: `namespace` is undefined for a short name. */
export interface ServiceDnsName {
  readonly name: string;
  readonly namespace?: string;
}

/**
 * The Service a host name refers to through cluster DNS: `name` (short, resolved in the
 * client's own namespace), `name.namespace`, `name.namespace.svc` or
 * `name.namespace.svc.<cluster domain>` for any cluster domain; undefined for any other name.
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
 */
export function parseServiceDnsName(host: string): ServiceDnsName | undefined {
  const labels = host.split('.');
  if (labels.some((l) => l === '')) {
    return undefined;
  }
  if (labels.length === 1) {
    return { name: labels[0] };
  }
  if (labels.length > 2 && labels[2] !== 'svc') {
    return undefined;
  }
  return { name: labels[0], namespace: labels[1] };
}

/**
 * The kinds of the built-in API groups that are cluster-scoped: they have no namespace, whatever
 * `kubectl apply -n` says. Kinds of other groups (custom resources) are taken as namespaced.
 */
const CLUSTER_SCOPED = new Map<string, readonly string[]>([
  ['', ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus']],
  ['rbac.authorization.k8s.io', ['ClusterRole', 'ClusterRoleBinding']],
  ['storage.k8s.io', ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass']],
  ['scheduling.k8s.io', ['PriorityClass']],
  ['node.k8s.io', ['RuntimeClass']],
  ['networking.k8s.io', ['IngressClass', 'IPAddress', 'ServiceCIDR']],
  ['apiextensions.k8s.io', ['CustomResourceDefinition']],
  ['apiregistration.k8s.io', ['APIService']],
  ['admissionregistration.k8s.io', [
    'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  ]],
  ['certificates.k8s.io', ['CertificateSigningRequest', 'ClusterTrustBundle']],
  ['flowcontrol.apiserver.k8s.io', ['FlowSchema', 'PriorityLevelConfiguration']],
  ['policy', ['PodSecurityPolicy']],
  ['resource.k8s.io', ['DeviceClass', 'ResourceSlice']],
]);

/** Whether objects of this kind (of this `apiVersion`) have no namespace. */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED.get(apiGroup(apiVersion))?.includes(kind) ?? false;
}

/** The namespace kubectl and Helm apply objects without `metadata.namespace` to. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * How a Service keeps traffic on the client's node, if it does:
 * - `Local`: `internalTrafficPolicy: Local`; traffic never leaves the node and is dropped while
 *   the node has no ready endpoint. It takes precedence over any `trafficDistribution`.
 * - `PreferSameNode`: `trafficDistribution: PreferSameNode` without `internalTrafficPolicy: Local`;
 *   the node's endpoint when it has a ready one, another node's otherwise (KEP-3015).
 * - undefined: neither; traffic is spread over the endpoints of every node.
 */
export type TrafficMode = 'Local' | 'PreferSameNode';

/** The traffic mode of a Service spec. */
export function trafficMode(spec: unknown): TrafficMode | undefined {
  if (getIn(spec, 'internalTrafficPolicy') === 'Local') {
    return 'Local';
  }
  return getIn(spec, 'trafficDistribution') === 'PreferSameNode' ? 'PreferSameNode' : undefined;
}

/** A Kubernetes version, `MAJOR.MINOR`. */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * Reads a Kubernetes version as Helm's `--kube-version` takes it: `1.34`, `v1.34` or `1.34.2`
 * (the patch is ignored); undefined for anything else.
 */
export function parseKubeVersion(text: unknown): KubeVersion | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = /^v?([0-9]{1,3})\.([0-9]{1,3})(?:\.[0-9]{1,5})?$/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** Whether a version is at least `major.minor`. */
export function isAtLeast(version: KubeVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is not a qualified name (`IsQualifiedName`), or undefined when it is one. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'its prefix must be a DNS subdomain such as example.com';
  }
  if (name.length === 0 || name.length > LABEL_MAX || !QUALIFIED_NAME.test(name)) {
    return `its name must be 1 to ${LABEL_MAX} characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why a label value is not valid (`IsValidLabelValue`), or undefined when it is. */
export function labelValueError(value: string): string | undefined {
  if (value.length > LABEL_MAX) {
    return `it is ${value.length} characters long, at most ${LABEL_MAX} are allowed`;
  }
  if (value !== '' && !QUALIFIED_NAME.test(value)) {
    return 'it must be empty or consist of letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit';
  }
  return undefined;
}
