import { acknowledgementReason } from './acknowledgement';
import { LintContext, ObjectInfo } from './context';
import { Finding, RelatedResource } from './finding';
import { LintOptions } from './lint-options';
import { Violation } from './rule';
import { RuleInfo } from './rule-info';
import { ALL_RULES } from '../rules';

/**
 * Checks node-local DaemonSet/Service pairs in a set of Kubernetes manifests (plain objects,
 * as `cdk8s synth` writes them or as parsed from YAML) and returns the findings, sorted by
 * manifest index, rule id and path. Never throws on malformed input: an input that is not a
 * Kubernetes object is reported as NL000. A finding about an object that carries the annotation
 * `cdk8s-node-local/acknowledge-<ruleId>` with a reason is left out, and so is a finding about a
 * client when the pair's Service or DaemonSet carries it.
 *
 * @param manifests the manifests, in the order they are applied
 * @param options which pairs to check; by default every Service with `internalTrafficPolicy: Local`
 * or `trafficDistribution: PreferSameNode`
 */
export function lintManifests(manifests: any[], options?: LintOptions): Finding[] {
  const inputs: unknown[] = Array.isArray(manifests) ? Array.from(manifests) : manifests === undefined || manifests === null ? [] : [manifests];
  return run(inputs, new LintContext(inputs, options ?? {})).map(o => o.finding);
}

/** A pair given by the positions of its Service and DaemonSet in the manifests. */
export interface IndexedPair {
  readonly service: number;
  readonly daemonSet: number;
}

/** A finding with the position of the object it belongs to: the object at fault, or a client's agent. */
export interface OwnedFinding {
  readonly finding: Finding;
  readonly owner?: number;
}

/**
 * The construct's entry: pairs given by position, so that objects of the same kind, namespace
 * and name in two charts of one app (one chart per cluster, say) are not mistaken for each other.
 */
export function lintIndexedPairs(manifests: any[], pairs: IndexedPair[], options: { readonly kubernetesVersion?: string } = {}): OwnedFinding[] {
  return run(manifests, new LintContext(manifests, { kubernetesVersion: options.kubernetesVersion }, pairs))
    .map(({ finding, owner }) => ({ finding, owner }));
}

/**
 * The command's entry, internal to the package: every finding, the acknowledged ones too with the
 * acknowledgement's reason, so reports that record suppressions (SARIF) can show them. Without the
 * acknowledged ones, the findings are those `lintManifests` returns, in the same order.
 */
export function lintWithAcknowledged(manifests: unknown[], options?: LintOptions): ReportedFinding[] {
  const context = new LintContext(manifests, options ?? {});
  return run(manifests, context, true).map(({ owner: _, ...reported }) => reported);
}

/** A finding of `lintWithAcknowledged`. */
export interface ReportedFinding {
  readonly finding: Finding;
  /** The annotation that silences it, absent when it is reported. */
  readonly acknowledgement?: { readonly reason: string; readonly index: number };
  /** The positions of the objects of its pairs other than the object at fault: a Service's DaemonSets, a DaemonSet's Services, a client's agent (DaemonSet and Service). */
  readonly related: number[];
}

function run(inputs: unknown[], context: LintContext, keepAcknowledged = false): (OwnedFinding & ReportedFinding)[] {
  const partners = keepAcknowledged ? pairPartners(context) : new Map<number, number[]>();
  const findings: (OwnedFinding & ReportedFinding)[] = [];
  for (const rule of ALL_RULES) {
    const fallsBack = !rule.trafficModes.includes('PreferSameNode');
    for (const v of mergePerResource(rule.check(context))) {
      // a rule whose harm is a drop says nothing of a PreferSameNode pair: its traffic falls back to another node
      if (fallsBack && !dropsTraffic(context, v)) {
        continue;
      }
      // acknowledged on the object at fault or, for a client, on the pair's own objects
      const acknowledgers = [v.manifestIndex, v.pair?.service.object.index, v.pair?.daemonSet.object.index];
      const index = acknowledgers.find(i => i !== undefined && acknowledgementReason(inputs[i], rule.id) !== undefined);
      if (index !== undefined && !keepAcknowledged) {
        continue;
      }
      const finding: Finding = {
        ruleId: rule.id,
        ruleName: rule.name,
        severity: rule.severity,
        message: v.message,
        fix: v.fix,
        resource: v.resource,
        path: v.path,
        ...(v.pair !== undefined ? { pair: { service: v.pair.service.object.ref, daemonSet: v.pair.daemonSet.object.ref } } : {}),
        ...(v.manifestIndex !== undefined ? { manifestIndex: v.manifestIndex } : {}),
        ...(v.related !== undefined && v.related.length > 0 ? { related: v.related.map(relatedResource) } : {}),
      };
      const pairRelated = v.pair !== undefined
        ? [v.pair.daemonSet.object.index, v.pair.service.object.index]
        : partners.get(v.manifestIndex ?? -1) ?? [];
      // the violation's own related objects (another copy, another policy) follow the pair's
      const related = [...new Set([...pairRelated, ...(v.related ?? []).map((r) => r.object.index)])];
      findings.push({
        finding,
        owner: v.pair?.daemonSet.object.index ?? v.manifestIndex,
        related,
        ...(index !== undefined ? { acknowledgement: { reason: acknowledgementReason(inputs[index], rule.id)!, index } } : {}),
      });
    }
  }
  return findings.sort((a, b) => compareFindings(a.finding, b.finding));
}

function relatedResource(r: { readonly object: ObjectInfo; readonly path: string }): RelatedResource {
  return { resource: r.object.ref, path: r.path, manifestIndex: r.object.index };
}

/** For each object of a pair, the positions of the objects it is paired with, in one pass over the pairs. */
function pairPartners(context: LintContext): Map<number, number[]> {
  const partners = new Map<number, number[]>();
  const add = (from: number, to: number) => {
    const list = partners.get(from);
    if (list === undefined) {
      partners.set(from, [to]);
    } else {
      list.push(to); // each pair is listed once, so no partner twice
    }
  };
  for (const { service, daemonSet } of context.pairs) {
    add(service.object.index, daemonSet.object.index);
    add(daemonSet.object.index, service.object.index);
  }
  return partners;
}

/** Whether the harm of a violation is a drop: its pair, or the object at fault, is Local (not PreferSameNode). */
function dropsTraffic(context: LintContext, v: Violation): boolean {
  if (v.pair !== undefined) {
    return v.pair.service.mode !== 'PreferSameNode';
  }
  return v.manifestIndex === undefined || context.dropsTraffic(v.manifestIndex);
}

/**
 * One finding per rule and object: when a rule reports several violations about one object (two
 * ports, two clients' gaps), they are one finding that names them all, at the first one's field.
 * Rules word their own combined findings where they can; this keeps the promise for every rule.
 */
function mergePerResource(violations: Violation[]): Violation[] {
  const byObject = new Map<string, Violation[]>();
  const order: string[] = [];
  for (const v of violations) {
    const key = v.manifestIndex !== undefined ? `#${v.manifestIndex}` : `${v.resource.kind}\u0000${v.resource.namespace ?? ''}\u0000${v.resource.name ?? ''}\u0000${v.message}`;
    const list = byObject.get(key);
    if (list === undefined) {
      byObject.set(key, [v]);
      order.push(key);
    } else {
      list.push(v);
    }
  }
  return order.map((key) => {
    const list = byObject.get(key)!;
    if (list.length === 1) {
      return list[0];
    }
    const [first] = list;
    return {
      ...first,
      message: `${list.length} problems: ${list.map((v, i) => `(${i + 1}) ${v.message}`).join('; ')}`,
      fix: list.map((v, i) => `(${i + 1}) ${v.fix}`).join('; '),
      related: mergeRelated(list),
    };
  });
}

/** The related objects of merged violations, each once, in order. */
function mergeRelated(list: Violation[]): Violation['related'] {
  const seen = new Set<number>();
  const related = list.flatMap((v) => v.related ?? []).filter((r) => !seen.has(r.object.index) && seen.add(r.object.index) !== undefined);
  return related.length > 0 ? related : undefined;
}

/** Orders findings by manifest index (findings about no manifest last), rule id, path, then message. */
function compareFindings(a: Finding, b: Finding): number {
  const ia = a.manifestIndex ?? Number.MAX_SAFE_INTEGER;
  const ib = b.manifestIndex ?? Number.MAX_SAFE_INTEGER;
  return ia - ib || compareText(a.ruleId, b.ruleId) || compareText(a.path, b.path) || compareText(a.message, b.message);
}

/** A locale-independent comparison, so the order is the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The node-local rule engine: checks that each node-local Service (`internalTrafficPolicy:
 * Local` or `trafficDistribution: PreferSameNode`), the DaemonSet it routes to and the workloads
 * that send to it are deployable and never drop traffic.
 *
 * The rules are listed in `docs/rules.md`.
 */
export class NodeLocalLinter {
  /**
   * Checks node-local pairs in a set of Kubernetes manifests (plain objects, as `cdk8s synth`
   * writes them or as parsed from YAML). Never throws on malformed input: an input that is not
   * a Kubernetes object is reported as NL000.
   *
   * @param manifests the manifests, in the order they are applied
   * @param options which pairs to check; by default every Service with `internalTrafficPolicy: Local`
   * or `trafficDistribution: PreferSameNode`
 * or `trafficDistribution: PreferSameNode`
   * @returns the findings, sorted by manifest index, rule id and path
   */
  public static lint(manifests: any[], options?: LintOptions): Finding[] {
    return lintManifests(manifests, options);
  }

  /**
   * Every rule of the engine, in id order.
   */
  public static rules(): RuleInfo[] {
    return ALL_RULES.map((rule) => ({
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      summary: rule.summary,
      reason: rule.reason,
      fix: rule.fix,
      limits: rule.limits,
      trafficModes: [...rule.trafficModes],
    }));
  }

  private constructor() {}
}
