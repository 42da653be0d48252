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
}
