// cdk8s-plus-27 writes its Capability values with the kernel's CAP_ prefix (CAP_NET_ADMIN), which
// Kubernetes does not take (cdk8s-team/cdk8s-plus#4267 fixed it in later majors only): the agent
// would run without the capability on containerd, or not start on CRI-O. The construct writes
// every capability it is given the way Kubernetes names it, and refuses names that are none.
import * as kplus from 'cdk8s-plus-27';
import { capabilityProblem } from './lint/capabilities';

/**
 * Checks the capabilities of the containers given in a prop, before anything is written.
 *
 * @param prop the prop the containers come from, for messages: `containers` or `initContainers`
 */
export function checkCapabilities(containers: readonly kplus.ContainerProps[], prop: string): void {
  containers.forEach((container, i) => {
    const capabilities = container?.securityContext?.capabilities;
    for (const list of ['add', 'drop'] as const) {
      const entries: unknown = capabilities?.[list];
      if (entries === undefined) {
        continue;
      }
      const where = `${prop}[${i}].securityContext.capabilities.${list}`;
      if (!Array.isArray(entries)) {
        throw new Error(`${where} is ${JSON.stringify(entries)}, not a list: use a list of kplus.Capability values, e.g. [kplus.Capability.NET_ADMIN]`);
      }
      entries.forEach((entry, j) => {
        const problem = capabilityProblem(entry);
        if (problem !== undefined && problem.kind !== 'prefixed') {
          throw new Error(`${where}[${j}] ${JSON.stringify(entry) ?? String(entry)} is not a Linux capability: use a kplus.Capability value `
            + `(e.g. kplus.Capability.NET_ADMIN)${list === 'drop' ? ', or \'ALL\' as kplus.Capability to drop them all' : ''}`);
        }
      });
    }
  });
}

/** The capabilities as Kubernetes names them: without the CAP_ prefix, upper case (as runtimes compare them). */
export function kubernetesCapabilities(
  capabilities: kplus.ContainerSecutiryContextCapabilities | undefined,
): kplus.ContainerSecutiryContextCapabilities | undefined {
  if (capabilities === undefined) {
    return undefined;
  }
  const rename = (entries: kplus.Capability[] | undefined) => entries?.map(c => capabilityName(c));
  return {
    ...capabilities,
    ...(capabilities.add !== undefined ? { add: rename(capabilities.add) } : {}),
    ...(capabilities.drop !== undefined ? { drop: rename(capabilities.drop) } : {}),
  };
}

function capabilityName(capability: kplus.Capability): kplus.Capability {
  const problem = capabilityProblem(capability);
  const name = problem?.kind === 'prefixed' ? problem.name : String(capability).toUpperCase();
  return name as kplus.Capability;
}
