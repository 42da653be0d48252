// Kubernetes' own name checks (k8s.io/apimachinery/pkg/util/validation), so that a name the
// API server would reject is refused at construction, with a message, before any YAML is
// written. The checks themselves are the rule engine's, so the construct and the rules agree.
import { dns1035LabelError, dns1123LabelError, ianaServiceNameError, labelKeyError, labelValueError as engineLabelValueError } from './lint/kube';

export { isPortNumber } from './lint/kube';

/** The rule a Service name must follow, for messages. */
export const DNS1035_LABEL_RULE = 'at most 63 characters of a-z, 0-9 and -, starting with a letter and ending with a letter or digit';

/** The rule a port name must follow, for messages. */
export const IANA_SVC_NAME_RULE = 'at most 15 characters of a-z, 0-9 and -, with at least one letter, no leading, trailing or double hyphen';

/** Whether `name` is a DNS-1035 label: what a Service name must be. */
export function isDns1035Label(name: string): boolean {
  return dns1035LabelError(name) === undefined;
}

/** Whether `name` is a DNS-1123 label: what a namespace name must be. */
export function isDns1123Label(name: string): boolean {
  return dns1123LabelError(name) === undefined;
}

/** Whether `domain` is a DNS-1123 subdomain, e.g. a cluster domain such as `cluster.local`. */
export function isDns1123Subdomain(domain: string): boolean {
  return domain.length <= 253 && domain.split('.').every(isDns1123Label);
}

/** Whether `name` is an IANA service name: what a port name must be (IsValidPortName). */
export function isIanaServiceName(name: string): boolean {
  return ianaServiceNameError(name) === undefined;
}

/**
 * Whether `value` is a valid `appProtocol`: an IANA service name, or a domain-prefixed name such
 * as `kubernetes.io/h2c` (a qualified name, like a label key).
 */
export function isAppProtocol(value: string): boolean {
  const slash = value.indexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) {
    return false;
  }
  return name.length >= 1 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** The rule a namespace or container name must follow, for messages. */
export const DNS1123_LABEL_RULE = 'at most 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit';

/**
 * Why a label or annotation key is not a qualified name (`prefix/name`, the prefix a DNS
 * subdomain, the name at most 63 characters), or undefined when it is one: the rule engine's
 * check, worded for a prop.
 */
export function qualifiedNameError(key: string): string | undefined {
  const problem = labelKeyError(key);
  if (problem === undefined) {
    return undefined;
  }
  return problem.startsWith('its prefix')
    ? 'has a prefix that is not a DNS subdomain'
    : 'is not a qualified name (at most 63 characters of letters, digits, -, _ and ., starting and ending with a letter or digit, after an optional DNS prefix and /)';
}

/** Why a label value is invalid (at most 63 characters, empty or a qualified name's form), or undefined: the rule engine's check. */
export function labelValueError(value: string): string | undefined {
  return engineLabelValueError(value) === undefined
    ? undefined
    : 'is not a label value (at most 63 characters of letters, digits, -, _ and ., starting and ending with a letter or digit, or empty)';
}

/** Whether `name` is a name Kubernetes accepts for an environment variable. */
export function isEnvVarName(name: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name);
}

/** The rule a label must follow, for messages. */
export const LABEL_RULE = 'a key is an optional DNS subdomain prefix and / and a name of at most 63 characters of a-z, A-Z, 0-9, -, _ and ., '
  + 'starting and ending with a letter or digit; a value is such a name, or empty';

/** Whether `key` is a label key: an optional DNS subdomain prefix and `/`, and a name (the rule engine's check). */
export function isLabelKey(key: string): boolean {
  return labelKeyError(key) === undefined;
}

/** Whether `value` is a label value (the rule engine's check). */
export function isLabelValue(value: string): boolean {
  return engineLabelValueError(value) === undefined;
}
