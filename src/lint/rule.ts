/**
 * The shape of a rule inside the engine (not public: only `RuleInfo` is).
 */
import { LintContext, ObjectInfo, Pair } from './context';
import { ResourceRef } from './finding';
import { RuleInfo } from './rule-info';

/** One violation a rule reports; the engine adds the rule's id, name and severity. */
export interface Violation {
  /** The object at fault. */
  readonly resource: ResourceRef;
  /** Its position in the manifests, undefined when it is not one of them. */
  readonly manifestIndex?: number;
  /** JSON pointer to the field at fault. */
  readonly path: string;
  /** What is wrong (object, value found) and why it matters on a cluster. */
  readonly message: string;
  /** The exact change that fixes it. */
  readonly fix: string;
  /** The node-local pair it concerns, when the object at fault is not the pair's own (a client). */
  readonly pair?: Pair;
  /** Other objects of the manifests it concerns (another copy, another policy), with the field that matters. */
  readonly related?: ReadonlyArray<{ readonly object: ObjectInfo; readonly path: string }>;
}

/** The traffic modes of a rule that checks every node-local Service. */
export const ALL_MODES: string[] = ['Local', 'PreferSameNode'];

/** The traffic modes of a rule whose harm is a drop, which PreferSameNode falls back from. */
export const LOCAL_ONLY: string[] = ['Local'];

/** A rule: its catalog entry and a pure check over the lint context. */
export interface Rule extends RuleInfo {
  /** Returns the violations in the context; must not throw, whatever the manifests hold. */
  check(context: LintContext): Violation[];
}

/** A violation about an object of the manifests. */
export function violation(
  object: { readonly ref: ResourceRef; readonly index: number },
  path: string,
  message: string,
  fix: string,
): Violation {
  return { resource: object.ref, manifestIndex: object.index, path, message, fix };
}
