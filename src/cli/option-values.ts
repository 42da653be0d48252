// The values the command's options and the plugin's properties share: the namespace objects
// without one are applied to, the cluster's Kubernetes version, and sizes.
import { isDns1123Label } from '../k8s-names';

/** kubectl's and Helm's namespace for objects without one. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Why `value` is not a namespace name (a DNS-1123 label), or undefined when it is one.
 */
export function namespaceProblem(value: string): string | undefined {
  if (isDns1123Label(value)) {
    return undefined;
  }
  return `${JSON.stringify(value)} is not a valid namespace name: at most 63 characters of a-z, 0-9 and -, `
    + 'starting and ending with a letter or digit (e.g. kube-system)';
}

/**
 * A Kubernetes version as `MAJOR.MINOR` (e.g. `1.34`), from what users write: `1.34`, `v1.34`,
 * `1.34.2` (the patch is dropped, as Helm's `--kube-version` accepts it). Undefined when it is none.
 */
export function normalizeKubernetesVersion(value: string): string | undefined {
  const match = /^v?(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})(\.(0|[1-9][0-9]{0,5}))?$/.exec(value);
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/** What `normalizeKubernetesVersion` accepts, for messages. */
export const KUBERNETES_VERSION_FORMS = 'MAJOR.MINOR such as 1.34 (v1.34 and 1.34.2 are read as 1.34)';

const UNITS: Record<string, number> = { '': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3 };

/**
 * A size in bytes from `65536`, `64K`, `64M`, `1G` (powers of 1024; `KiB`, `MB`... are read the
 * same). Undefined when it is none, or not a positive whole number of bytes.
 */
export function parseSize(value: string): number | undefined {
  const match = /^([0-9]+)\s*([kKmMgG]?)(i?[bB])?$/.exec(value);
  if (!match) {
    return undefined;
  }
  const bytes = Number(match[1]) * UNITS[match[2].toLowerCase()];
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** A size for people: `64 MiB`, `512 KiB`, `100 bytes`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}
