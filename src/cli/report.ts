// The report of a run: findings placed in the input (file, line, field line), as the JSON report
// (version 1) and as text. Every line of text is escaped: strings from the input are printed inert.
import { printable } from './escape';
import { LoadedManifest, fieldLine } from './manifests';
import { Finding, RelatedResource, Severity } from '../lint/finding';
import { isClusterScoped } from '../lint/kube';

/**
 * The JSON report (`--format json`), version 1. Adding fields is not a breaking change;
 * removing or renaming one bumps `version`.
 */
export interface JsonReport {
  readonly version: 1;
  readonly findings: JsonFinding[];
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    /** Objects checked. */
    readonly resources: number;
    /** Files read (standard input counts as one). */
    readonly files: number;
    /** The namespace assumed for objects without metadata.namespace. */
    readonly namespace: string;
    /** Inputs that could not be read (listed in `unreadable`); the exit code is then 2. */
    readonly unreadable: number;
  };
  /** The inputs that could not be read, each with the one-line error also written to stderr. */
  readonly unreadable: JsonUnreadable[];
}

/** One finding in the JSON report. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: string;
  readonly message: string;
  readonly fix: string;
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null };
  readonly path: string;
  /** The file the object is in; `<stdin>` for standard input; null if the finding is about no given object. */
  readonly file: string | null;
  /** The line of the object's first field. */
  readonly line: number | null;
  /** The line of the field `path` names, or of its closest ancestor written in the file. */
  readonly fieldLine: number | null;
  /** Other objects the finding concerns (the other copies of a duplicate, the other policies of a denial); absent when none. */
  readonly related?: JsonRelated[];
}

/** Another object a finding concerns, where it is. */
export interface JsonRelated {
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null };
  readonly path: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly fieldLine: number | null;
}

/** An input that could not be read. */
export interface JsonUnreadable {
  readonly file: string;
  /** Why, as on stderr: `file:line:column: ...` when the position is known. */
  readonly error: string;
}

/** A report in both forms; the formats render it. */
export interface Report {
  readonly json: JsonReport;
  readonly text: string;
}

/** What the report says besides the findings. */
export interface ReportContext {
  /** The namespace assumed for objects without one. @default 'default' */
  readonly namespace?: string;
  /** The inputs that could not be read. @default none */
  readonly unreadable?: JsonUnreadable[];
}

interface Located {
  readonly finding: Finding;
  readonly manifestIndex: number | undefined;
  readonly manifest: LoadedManifest | undefined;
}

/**
 * Groups the findings by object in input order and renders both forms.
 *
 * @param manifests the objects the findings are about, in the order given to the engine
 * @param files how many files were read
 */
export function buildReport(findings: Finding[], manifests: LoadedManifest[], files: number, context: ReportContext = {}): Report {
  const namespace = context.namespace ?? 'default';
  const unreadable = context.unreadable ?? [];
  const byRef = refIndex(manifests);
  const located: Located[] = findings.map(finding => {
    const index = finding.manifestIndex ?? byRef(finding);
    return { finding, manifestIndex: index, manifest: index === undefined ? undefined : manifests[index] };
  });
  // stable: by object in input order, then in the engine's order; findings about no given object last
  const order = (l: Located) => l.manifestIndex ?? Number.MAX_SAFE_INTEGER;
  const sorted = located.map((l, i) => ({ l, i })).sort((a, b) => order(a.l) - order(b.l) || a.i - b.i).map(x => x.l);

  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    errors += f.severity === Severity.ERROR ? 1 : 0;
    warnings += f.severity === Severity.WARNING ? 1 : 0;
  }
  const summary = { errors, warnings, resources: manifests.length, files, namespace, unreadable: unreadable.length };

  const jsonFindings: JsonFinding[] = sorted.map(({ finding: f, manifest: m }) => ({
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    message: f.message,
    fix: f.fix,
    resource: { kind: f.resource.kind, name: f.resource.name ?? null, namespace: f.resource.namespace ?? null },
    path: f.path,
    file: m?.file ?? null,
    line: m?.line ?? null,
    fieldLine: m ? fieldLine(m, f.path) : null,
    ...(f.related !== undefined ? { related: f.related.map(r => relatedOf(r, manifests)) } : {}),
  }));

  const lines: string[] = [];
  let previous: string | undefined;
  sorted.forEach(({ finding: f, manifest: m }, i) => {
    const j = jsonFindings[i];
    const header = `${m ? `${m.file}:${m.line}` : '(not in the input)'}: ${describeResource(f)}`;
    if (header !== previous) {
      if (previous !== undefined) {
        lines.push('');
      }
      lines.push(header);
      previous = header;
    }
    const at = j.fieldLine === null ? f.path : `${f.path}, line ${j.fieldLine}`;
    lines.push(`  ${f.ruleId} ${f.severity} ${f.ruleName} (${at})`);
    lines.push(`    ${f.message}`);
    lines.push(`    fix: ${f.fix}`);
    for (const r of j.related ?? []) {
      const where = r.file === null ? '(not in the input)' : `${r.file}:${r.line}`;
      lines.push(`    related: ${where}: ${describeResource(r)} (${r.fieldLine === null ? r.path : `${r.path}, line ${r.fieldLine}`})`);
    }
  });
  if (lines.length > 0) {
    lines.push('');
  }
  lines.push(summaryLine(summary, assumesNamespace(manifests)));

  return {
    json: { version: 1, findings: jsonFindings, summary, unreadable },
    text: `${lines.map(printable).join('\n')}\n`,
  };
}

function summaryLine(summary: JsonReport['summary'], assumed: boolean): string {
  const { errors, warnings, resources, files, namespace, unreadable } = summary;
  let line = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(resources, 'resource')} from ${plural(files, 'file')}`;
  if (assumed) {
    line += ` (namespace "${namespace}" assumed for objects without one)`;
  }
  if (unreadable > 0) {
    line += `; ${plural(unreadable, 'input')} could not be read (see standard error)`;
  }
  return line;
}

/** Whether some object has no namespace of its own. */
function assumesNamespace(manifests: LoadedManifest[]): boolean {
  return manifests.some(m => (typeof m.object?.metadata?.namespace !== 'string' || m.object.metadata.namespace === '')
    && !(typeof m.object?.apiVersion === 'string' && typeof m.object?.kind === 'string' && isClusterScoped(m.object.apiVersion, m.object.kind)));
}

/**
 * Places a finding the engine did not tie to an input position by kind, namespace and name,
 * through an index built once (not a search of all objects per finding).
 */
function refIndex(manifests: LoadedManifest[]): (finding: Finding) => number | undefined {
  let index: Map<string, number> | undefined;
  const key = (kind: unknown, namespace: unknown, name: unknown) => JSON.stringify([kind, namespace ?? null, name ?? null]);
  return (finding) => {
    if (index === undefined) {
      index = new Map();
      manifests.forEach((m, i) => {
        const k = key(m.object?.kind, m.object?.metadata?.namespace, m.object?.metadata?.name);
        if (!index!.has(k)) {
          index!.set(k, i);
        }
      });
    }
    const { kind, name, namespace } = finding.resource;
    return index.get(key(kind, namespace, name));
  };
}

function relatedOf(r: RelatedResource, manifests: LoadedManifest[]): JsonRelated {
  const m = r.manifestIndex === undefined ? undefined : manifests[r.manifestIndex];
  return {
    resource: { kind: r.resource.kind, name: r.resource.name ?? null, namespace: r.resource.namespace ?? null },
    path: r.path,
    file: m?.file ?? null,
    line: m?.line ?? null,
    fieldLine: m ? fieldLine(m, r.path) : null,
  };
}

interface Described {
  readonly resource: { readonly kind: string; readonly name?: string | null; readonly namespace?: string | null };
}

function describeResource(f: Described): string {
  const { kind, name, namespace } = f.resource;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
