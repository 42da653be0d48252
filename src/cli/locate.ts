// Ties findings to the objects of the input files, in report order: every format (text, JSON,
// SARIF, GitHub) is rendered from this one list, so they cannot disagree on a file or a line.
import { LoadedManifest } from './manifests';
import { Finding } from '../lint/finding';

/** A finding with the loaded object it is about, when it is one of the input's objects. */
export type Located<T extends { readonly finding: Finding }> = T & {
  readonly manifestIndex: number | undefined;
  readonly manifest: LoadedManifest | undefined;
};

/**
 * Finds each finding's object and orders the findings by object in input order, then in the
 * engine's order; findings about no given object come last.
 */
export function locate<T extends { readonly finding: Finding }>(items: T[], manifests: LoadedManifest[]): Located<T>[] {
  const located = items.map(item => {
    const index = item.finding.manifestIndex ?? findByRef(item.finding, manifests);
    return { ...item, manifestIndex: index, manifest: index === undefined ? undefined : manifests[index] };
  });
  const order = (l: Located<T>) => l.manifestIndex ?? Number.MAX_SAFE_INTEGER;
  return located.map((l, i) => ({ l, i })).sort((a, b) => order(a.l) - order(b.l) || a.i - b.i).map(x => x.l);
}

/** A finding the engine did not tie to an input position: find its object by kind, namespace and name. */
function findByRef(finding: Finding, manifests: LoadedManifest[]): number | undefined {
  const { kind, name, namespace } = finding.resource;
  const index = manifests.findIndex(m => m.object?.kind === kind
    && m.object?.metadata?.name === name
    && (m.object?.metadata?.namespace ?? undefined) === namespace);
  return index < 0 ? undefined : index;
}
