/**
 * Linux capability names as a container's `securityContext.capabilities` takes them: without the
 * `CAP_` prefix of the kernel's constants, or `ALL`. Shared by the rules and the construct so that
 * both accept the same names.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
 * @see https://man7.org/linux/man-pages/man7/capabilities.7.html
 */

/** Every capability of Linux 5.9 and later (CAP_CHECKPOINT_RESTORE is the last one, number 40). */
export const LINUX_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

const KNOWN = new Set(LINUX_CAPABILITIES);

/** What is wrong with one entry of `capabilities.add` or `drop`. */
export type CapabilityProblem =
  /** `CAP_NET_ADMIN`: a capability written with the kernel's prefix; `name` is the name to write. */
  | { readonly kind: 'prefixed'; readonly name: string }
  /** Not a capability at all (a typo, a made-up name, `CAP_ALL`). */
  | { readonly kind: 'unknown' }
  /** Not a string. */
  | { readonly kind: 'not-a-string' };

/**
 * What is wrong with a capability entry, or undefined when it is a capability or `ALL`. Names
 * are compared without regard to case, as containerd and CRI-O compare them.
 */
export function capabilityProblem(entry: unknown): CapabilityProblem | undefined {
  if (typeof entry !== 'string') {
    return { kind: 'not-a-string' };
  }
  const upper = entry.toUpperCase();
  if (upper === 'ALL' || KNOWN.has(upper)) {
    return undefined;
  }
  if (upper.startsWith('CAP_') && KNOWN.has(upper.slice('CAP_'.length))) {
    return { kind: 'prefixed', name: upper.slice('CAP_'.length) };
  }
  return { kind: 'unknown' };
}
