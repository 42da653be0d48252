import { NodeLocalPairRef } from './lint-options';

/**
 * How serious a finding is.
 */
export enum Severity {
  /** The pairing drops traffic or the API server rejects it: synthesis fails. */
  ERROR = 'error',
  /** The pairing works, but can drop traffic in some situations: reported, synthesis goes on. */
  WARNING = 'warning',
}

/**
 * The Kubernetes object a finding is about.
 */
export interface ResourceRef {
  /** The object's `kind`, e.g. `Service`; empty when the input has none (rule NL000). */
  readonly kind: string;
  /**
   * The object's `metadata.name`.
   * @default - the object has no name
   */
  readonly name?: string;
  /**
   * The object's `metadata.namespace`.
   * @default - the object names no namespace
   */
  readonly namespace?: string;
}

/**
 * Another object a finding concerns: another copy of a duplicated object, or another
 * NetworkPolicy that takes part in a denial.
 */
export interface RelatedResource {
  /** The object. */
  readonly resource: ResourceRef;
  /** A JSON pointer (RFC 6901) to the field that matters inside it; `''` is the whole object. */
  readonly path: string;
  /**
   * The object's position in the array given to the engine.
   * @default - not one of the given objects
   */
  readonly manifestIndex?: number;
}

/**
 * One problem the rule engine found in a set of manifests.
 */
export interface Finding {
  /** The rule's stable id, e.g. `NL001`. */
  readonly ruleId: string;
  /** The rule's short kebab-case name, e.g. `service-traffic-policy-not-local`. */
  readonly ruleName: string;
  /** Whether the finding fails synthesis (error) or is only reported (warning). */
  readonly severity: Severity;
  /** What is wrong, naming the object and the value at fault, and why it matters on a cluster. */
  readonly message: string;
  /** The exact change that fixes it. */
  readonly fix: string;
  /** The object at fault. */
  readonly resource: ResourceRef;
  /**
   * A JSON pointer (RFC 6901) to the field at fault inside that object, e.g. `/spec/internalTrafficPolicy`
   * (`/` in a key is written `~1`). The field may be absent when the fault is that it is missing; `''` is
   * the whole object.
   */
  readonly path: string;
  /**
   * The node-local pair the finding concerns, when the object at fault is not one of its own:
   * a client that can land on a node without the agent, say.
   * @default - the object at fault is the pair's Service or DaemonSet (or no pair is concerned)
   */
  readonly pair?: NodeLocalPairRef;

  /**
   * The position of the object at fault in the array given to the engine.
   * @default - the finding is not about one of the given objects
   */
  readonly manifestIndex?: number;

  /**
   * Other objects the finding concerns, where they are needed to fix it (the other copies of a
   * duplicated object, the other policies of a denial), in input order.
   * @default - no other object
   */
  readonly related?: RelatedResource[];
}
