import { Severity } from '../lint/finding';
import { asObject, getIn, show } from '../lint/json';
import { matchLabelSelector, showLabels } from '../lint/kube';
import { ALL_MODES, Rule, Violation, violation } from '../lint/rule';

/** NL012: the DaemonSet's selector matches its own pod template. */
export const daemonSetSelectorMismatch: Rule = {
  id: 'NL012',
  name: 'daemonset-selector-mismatch',
  severity: Severity.ERROR,
  summary: 'The DaemonSet has a non-empty spec.selector (matchLabels and matchExpressions) that matches its own pod template labels.',
  reason: 'apps/v1 requires a DaemonSet selector, rejects an empty one and rejects a selector that does not match '
    + 'spec.template.metadata.labels ("selector does not match template labels"): the DaemonSet is not deployed, so the '
    + 'node-local Service has no endpoints and every node drops its traffic. The selector is also immutable, so fix it before '
    + 'the first deployment. See https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#pod-selector and '
    + 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements',
  fix: 'Make every requirement of spec.selector hold for spec.template.metadata.labels.',
  limits: 'It checks the selector against the template labels as written; labels added to the pod template by an '
    + 'admission webhook are invisible.',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    const name = daemonSet.object.display;
    const selector = getIn(daemonSet.object.raw, 'spec', 'selector');
    const labels = showLabels(daemonSet.labels);
    if (asObject(selector) === undefined) {
      return [violation(daemonSet.object, '/spec/selector',
        `${name} has spec.selector ${show(selector)}: apps/v1 requires a label selector, so the API server rejects the DaemonSet`,
        `Set spec.selector of ${name} to {matchLabels: ${labels}} (its pod template labels)`)];
    }
    // Absent or empty parts; a malformed part is reported below as invalid, not as empty.
    const isBlank = (value: unknown): boolean => value === undefined || value === null
      || (asObject(value) !== undefined && Object.keys(value as object).length === 0)
      || (Array.isArray(value) && value.length === 0);
    const empty = isBlank(getIn(selector, 'matchLabels')) && isBlank(getIn(selector, 'matchExpressions'));
    if (empty) {
      return [violation(daemonSet.object, '/spec/selector',
        `${name} has the empty selector ${show(selector)}: the API server rejects a DaemonSet whose selector would select every pod`,
        `Set spec.selector of ${name} to {matchLabels: ${labels}} (its pod template labels)`)];
    }
    const match = matchLabelSelector(selector, daemonSet.labels);
    const found: Violation[] = match.invalid.map((invalid) => violation(daemonSet.object, `/spec/selector${invalid.path}`,
      `${name} spec.selector is invalid: ${invalid.reason}; the API server rejects the DaemonSet`,
      `Correct spec.selector${invalid.path.replace(/\//g, '.')} of ${name}`));
    if (match.unmet.length > 0) {
      found.push(violation(daemonSet.object, '/spec/selector',
        `${name} spec.selector does not match its own pod template labels ${labels} (${match.unmet.join('; ')}): the API `
        + 'server rejects the DaemonSet (selector does not match template labels)',
        `Change spec.template.metadata.labels or spec.selector of ${name} so that every requirement holds: ${match.unmet.join('; ')}`));
    }
    return found;
  }),
};
