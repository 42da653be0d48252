import { ObjectInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { apiGroup } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL018: no two objects of the manifests are the same object of the cluster. */
export const duplicateObject: Rule = {
  id: 'NL018',
  name: 'duplicate-object',
  severity: Severity.ERROR,
  summary: 'No two objects have the same API group, kind, namespace and name.',
  reason: 'The cluster keeps one object per API group, kind, namespace and name. Given two, kubectl apply applies each in '
    + 'turn and the last one wins, so the object that runs is not the one the other copy describes: two agents with the '
    + 'same name in two charts write two DaemonSets and two Services, and the pair that was checked is not the pair that '
    + 'runs (other ports, another selector). kustomize refuses such input (already registered id), and Argo CD reports it '
    + 'as a repeated resource. Objects without metadata.namespace count as in the namespace they are applied to. '
    + 'See https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  fix: 'Give each copy its own name or namespace, or remove the copies but one (a chart or file included twice).',
  limits: 'It sees one set of manifests: an object of the same name already in the cluster, or applied by '
    + 'another pipeline, is not seen. Objects named by generateName are never duplicates. Versions of one API group are '
    + 'one object; the same kind in two groups (extensions and apps in clusters older than 1.16) counts as two.',
  trafficModes: ALL_MODES,
  check: (context) => {
    const byIdentity = new Map<string, ObjectInfo[]>();
    for (const object of context.objects) {
      if (object.name === undefined) {
        continue; // generateName: the API server names it
      }
      const key = `${apiGroup(object.apiVersion)}\u0000${object.kind}\u0000${object.namespaceKey}\u0000${object.name}`;
      const copies = byIdentity.get(key);
      if (copies === undefined) {
        byIdentity.set(key, [object]);
      } else {
        copies.push(object);
      }
    }
    const found: Violation[] = [];
    for (const copies of byIdentity.values()) {
      if (copies.length < 2) {
        continue;
      }
      const identical = copies.every((c) => sameJson(c.raw, copies[0].raw));
      const positions = copies.map((c) => c.index).join(', ');
      for (const copy of copies) {
        const others = copies.filter((c) => c !== copy);
        found.push({
          ...violation(copy, '/metadata/name',
            `${copy.display} is defined ${copies.length} times in the manifests (at positions ${positions}): `
            + (identical
              ? 'the copies are identical, so kubectl applies the same object twice, while kustomize refuses the input and '
                + 'Argo CD reports a repeated resource'
              : 'the copies differ, and kubectl apply keeps whichever comes last, so the other copies are checked here but '
                + 'never run'),
            `Rename or remove all copies of ${copy.display} but one (a chart or file included twice, or two agents with the `
            + 'same metadata.name and namespace)'),
          related: others.map((c) => ({ object: c, path: '/metadata/name' })),
        });
      }
    }
    return found.sort((a, b) => a.manifestIndex! - b.manifestIndex!);
  },
};

/** Whether two manifests serialize to the same JSON (key order included, as the tools that wrote them keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
