/**
 * The node-local rule pack. Ids are stable forever: a retired rule keeps its id unused.
 * Errors are NL0xx, warnings NL1xx.
 */
import { clientCoverage } from './client-coverage';
import { clientCoverageUnproven } from './client-coverage-unproven';
import { clientInvalidCapability } from './client-invalid-capability';
import { clientPlatformCoverage } from './client-platform-coverage';
import { clientShortNameOtherService } from './client-short-name-other-service';
import { clientShortNameUnresolved } from './client-short-name-unresolved';
import { daemonSetSelectorMismatch } from './daemonset-selector-mismatch';
import { duplicateObject } from './duplicate-object';
import { duplicateServicePort } from './duplicate-service-port';
import { handoverWindow } from './handover-window';
import { invalidCapability } from './invalid-capability';
import { invalidLabels } from './invalid-labels';
import { invalidRollingUpdate } from './invalid-rolling-update';
import { invalidServiceName } from './invalid-service-name';
import { invalidServicePort } from './invalid-service-port';
import { invalidUpdateStrategyType } from './invalid-update-strategy-type';
import { missingPriorityClass } from './missing-priority-class';
import { missingReadinessProbe } from './missing-readiness-probe';
import { networkPolicyBlocksAgent } from './network-policy-blocks-agent';
import { networkPolicyBlocksClient } from './network-policy-blocks-client';
import { networkPolicyUnproven } from './network-policy-unproven';
import { notAKubernetesObject } from './not-a-kubernetes-object';
import { partialNodeCoverage } from './partial-node-coverage';
import { preStopExceedsGracePeriod } from './prestop-exceeds-grace-period';
import { publishNotReadyAddresses } from './publish-not-ready-addresses';
import { rolloutGap } from './rollout-gap';
import { selectorMissesDaemonSet } from './selector-misses-daemonset';
import { selectorSelectsOtherWorkload } from './selector-selects-other-workload';
import { serviceExternalFields } from './service-external-fields';
import { serviceNotClusterIp } from './service-not-cluster-ip';
import { serviceTrafficPolicyNotLocal } from './service-traffic-policy-not-local';
import { surgeWithHostPorts } from './surge-with-host-ports';
import { targetPortUndeclared } from './target-port-undeclared';
import { targetPortUnresolved } from './target-port-unresolved';
import { topologyRoutingIgnored } from './topology-routing-ignored';
import { trafficDistributionUnsupported } from './traffic-distribution-unsupported';
import { unresolvedPair } from './unresolved-pair';
import { Rule } from '../lint/rule';

/** Ids set aside for rules still to come: never give them to another rule. */
export const RESERVED_RULE_IDS: readonly string[] = [];

/** A rule that was removed: its id stays unused, so an old acknowledgement never silences another rule. */
export interface RetiredRule {
  readonly id: string;
  readonly name: string;
  /** Why it was retired, and where its concerns went. */
  readonly why: string;
}

/** The retired rules, in id order. */
export const RETIRED_RULES: readonly RetiredRule[] = [
  {
    id: 'NL105',
    name: 'host-network',
    why: 'It warned on every DaemonSet with hostNetwork: true, which CNIs, node exporters and DNS caches need: removing it '
      + 'breaks them, and the ways hostNetwork drops traffic are reported by the rules that see them (NL010 for a surge '
      + 'that cannot bind the port, NL102 for the gap of a rollout that cannot surge).',
  },
];

/** The retired rule with this id, or undefined. */
export function findRetiredRule(id: string): RetiredRule | undefined {
  return RETIRED_RULES.find((rule) => rule.id === id);
}

/** Every rule, in id order (sorted here, so a new rule can be listed anywhere). */
export const ALL_RULES: readonly Rule[] = ([
  notAKubernetesObject,
  serviceTrafficPolicyNotLocal,
  serviceNotClusterIp,
  serviceExternalFields,
  selectorMissesDaemonSet,
  selectorSelectsOtherWorkload,
  targetPortUnresolved,
  duplicateServicePort,
  invalidServicePort,
  invalidServiceName,
  surgeWithHostPorts,
  invalidRollingUpdate,
  daemonSetSelectorMismatch,
  clientCoverage,
  unresolvedPair,
  invalidUpdateStrategyType,
  networkPolicyBlocksAgent,
  networkPolicyBlocksClient,
  duplicateObject,
  invalidCapability,
  clientShortNameUnresolved,
  trafficDistributionUnsupported,
  invalidLabels,
  missingReadinessProbe,
  rolloutGap,
  partialNodeCoverage,
  topologyRoutingIgnored,
  targetPortUndeclared,
  clientCoverageUnproven,
  publishNotReadyAddresses,
  handoverWindow,
  preStopExceedsGracePeriod,
  networkPolicyUnproven,
  clientInvalidCapability,
  missingPriorityClass,
  clientPlatformCoverage,
  clientShortNameOtherService,
] as Rule[]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const BY_ID = new Map<string, Rule>(ALL_RULES.map((rule) => [rule.id, rule]));

/** The rule with this id (e.g. `NL001`), or undefined when there is none. */
export function findRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}
