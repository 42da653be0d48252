import { ObjectInfo } from '../lint/context';
import { Severity } from '../lint/finding';
import { asObject, getIn, pointer, show } from '../lint/json';
import { labelKeyError, labelValueError } from '../lint/kube';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** A problem with one entry of a map of labels. */
interface BadEntry {
  readonly path: string;
  readonly text: string;
}

/** The entries of a label map (labels or a Service selector) that the API server rejects. */
function badEntries(map: unknown, base: string, what: string): BadEntry[] {
  const bad: BadEntry[] = [];
  if (map === undefined || map === null) {
    return bad;
  }
  const object = asObject(map);
  if (object === undefined) {
    return [{ path: base, text: `${what} is ${show(map)}, not a map of strings` }];
  }
  for (const [key, value] of Object.entries(object)) {
    const path = pointer(base, key);
    if (typeof value !== 'string') {
      // YAML 1.1, as kubectl reads it: a bare yes/no/on/off/true/false is a boolean, a bare 1:30 or 0x1F a number
      bad.push({ path, text: `${what} ${key} is ${show(value)}, a ${value === null ? 'null' : typeof value}, not a string (quote it in the YAML)` });
      continue;
    }
    const keyError = labelKeyError(key);
    const valueError = labelValueError(value);
    if (keyError !== undefined) {
      bad.push({ path, text: `${what} key ${show(key)} is not a label key: ${keyError}` });
    } else if (valueError !== undefined) {
      bad.push({ path, text: `${what} ${key} is ${show(value)}, not a label value: ${valueError}` });
    }
  }
  return bad;
}

/** NL022: the labels and selector of a node-local pair are what the API server accepts. */
export const invalidLabels: Rule = {
  id: 'NL022',
  name: 'invalid-labels',
  severity: Severity.ERROR,
  summary: 'The node-local Service\'s selector and labels, and the DaemonSet\'s labels and pod template labels, are maps of valid label keys to string label values.',
  reason: 'The API server rejects an object whose labels or Service selector hold a value that is not a string, or a key or '
    + 'value that is not a valid label (at most 63 characters of letters, digits, \'-\', \'_\' and \'.\'; keys may have a DNS '
    + 'prefix). In YAML, as kubectl reads it (YAML 1.1), a bare yes, no, on, off, true or false is a boolean and a bare 0x1F '
    + 'or 1:30 a number: `enabled: yes` in a selector is not the string "yes", and the Service or DaemonSet is never created, '
    + 'so every node drops the traffic. '
    + 'See https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set',
  fix: 'Quote label and selector values in the YAML (enabled: "yes"), and keep keys and values to the label syntax.',
  limits: 'It checks the Service and the DaemonSet of each pair, not every object of the manifests; a value written as a '
    + 'string in JSON that YAML would read otherwise is only seen once read.',
  trafficModes: ALL_MODES,
  check: (context) => {
    const objects: Array<{ readonly object: ObjectInfo; readonly maps: Array<readonly [unknown, string, string]> }> = [
      ...context.checkedServices.map((s) => ({
        object: s.object,
        maps: [
          [getIn(s.spec, 'selector'), '/spec/selector', 'spec.selector'] as const,
          [getIn(s.object.raw, 'metadata', 'labels'), '/metadata/labels', 'metadata.labels'] as const,
        ],
      })),
      ...context.checkedDaemonSets.map((d) => ({
        object: d.object,
        maps: [
          [getIn(d.object.raw, 'metadata', 'labels'), '/metadata/labels', 'metadata.labels'] as const,
          [getIn(d.object.raw, 'spec', 'template', 'metadata', 'labels'), d.labelsPath, 'the pod template label'] as const,
        ],
      })),
    ];
    return objects.flatMap(({ object, maps }) => {
      const bad = maps.flatMap(([map, path, what]) => badEntries(map, path, what));
      if (bad.length === 0) {
        return [];
      }
      return [violation(object, bad[0].path,
        `${object.display} has ${bad.map((b) => b.text).join('; ')}: the API server rejects the ${object.kind}, so it is never `
        + 'created or updated and the node-local pair is not deployed as written',
        `Correct ${bad.length === 1 ? 'the entry' : 'the entries'} of ${object.display} (a quoted string value such as "true", `
        + 'within the label syntax)')];
    });
  },
};
