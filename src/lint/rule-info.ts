import { Severity } from './finding';

/**
 * A rule of the node-local rule pack, as the catalog (`docs/rules.md`) describes it.
 */
export interface RuleInfo {
  /** The rule's stable id, e.g. `NL001`: errors are `NL0xx`, warnings `NL1xx`. */
  readonly id: string;
  /** The rule's kebab-case name, e.g. `service-traffic-policy-not-local`. */
  readonly name: string;
  /** Whether a violation fails synthesis (error) or is only reported (warning). */
  readonly severity: Severity;
  /** What the rule checks, in one line. */
  readonly summary: string;
  /** The failure on a real cluster the rule prevents, with the upstream issue or Kubernetes docs that show it. */
  readonly reason: string;
  /** How to comply, in general; each finding carries the exact change for its case. */
  readonly fix: string;
  /**
   * What the rule cannot know from the manifests alone (the cluster's nodes, what a process
   * really listens on...), so a clean result is read for what it proves.
   */
  readonly limits: string;
  /**
   * The traffic modes of node-local Services the rule checks: `Local` (`internalTrafficPolicy:
   * Local`) and `PreferSameNode` (`trafficDistribution: PreferSameNode`). A rule whose harm is
   * dropped traffic checks `Local` only: under `PreferSameNode` a node without a ready agent
   * falls back to another node's.
   */
  readonly trafficModes: string[];
}
