/**
 * The capability-name analysis behind NL019 (an agent's container) and NL110 (a client's): each
 * entry of `securityContext.capabilities.add` and `drop` that a container runtime does not take.
 */
import { capabilityProblem, CapabilityProblem } from '../lint/capabilities';
import { WorkloadInfo } from '../lint/context';
import { asArray, getIn, pointer, show } from '../lint/json';

/** One entry of a container's capabilities that no runtime takes as written. */
export interface BadCapability {
  /** e.g. `container "main"`. */
  readonly container: string;
  /** JSON pointer of the entry. */
  readonly path: string;
  readonly list: 'add' | 'drop';
  readonly index: number;
  readonly entry: unknown;
  readonly problem: CapabilityProblem;
}

/** The bad capability entries of every container of the workload, in order. */
export function badCapabilities(workload: WorkloadInfo): BadCapability[] {
  const found: BadCapability[] = [];
  for (const container of workload.allContainers) {
    const capabilities = getIn(container.raw, 'securityContext', 'capabilities');
    for (const list of ['add', 'drop'] as const) {
      asArray(getIn(capabilities, list)).forEach((entry, index) => {
        const problem = capabilityProblem(entry);
        if (problem !== undefined) {
          found.push({
            container: container.display,
            path: pointer(container.path, 'securityContext', 'capabilities', list, index),
            list,
            index,
            entry,
            problem,
          });
        }
      });
    }
  }
  return found;
}

/** What happens to one bad entry on a node, for a message. */
export function describeBadCapability(bad: BadCapability): string {
  const where = `${bad.container} securityContext.capabilities.${bad.list}[${bad.index}] ${show(bad.entry)}`;
  switch (bad.problem.kind) {
    case 'prefixed': {
      const effect = bad.list === 'add' ? `the container runs without ${bad.problem.name}` : `${bad.problem.name} is not dropped`;
      return `${where} carries the kernel's CAP_ prefix: containerd adds the prefix itself and asks runc for `
        + `CAP_${String(bad.entry).toUpperCase()}, which runc ignores with a warning (older runc refuses to start `
        + `the container), so ${effect}`;
    }
    case 'unknown':
      return `${where} is not a Linux capability: CRI-O refuses to create the container (unknown capability), `
        + 'and containerd\'s runc ignores it';
    default:
      return `${where} is not a capability name: the API server rejects the object`;
  }
}

/** The change that fixes one bad entry, for a fix. */
export function fixBadCapability(bad: BadCapability): string {
  switch (bad.problem.kind) {
    case 'prefixed':
      return `write ${bad.problem.name} instead of ${show(bad.entry)} in ${bad.list} of ${bad.container}`;
    case 'unknown':
      return `replace ${show(bad.entry)} in ${bad.list} of ${bad.container} with the capability meant, written without CAP_ `
        + '(e.g. NET_ADMIN), or ALL';
    default:
      return `replace ${show(bad.entry)} in ${bad.list} of ${bad.container} with a capability name such as NET_ADMIN`;
  }
}
