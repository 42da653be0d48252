import { Severity } from '../lint/finding';
import { getIn, show } from '../lint/json';
import { isAtLeast, KubeVersion } from '../lint/kube';
import { ALL_MODES, Rule, violation } from '../lint/rule';

/** When each trafficDistribution value is on by default, and the alpha release before, with its feature gate. */
const SUPPORT = new Map<string, { readonly since: [number, number]; readonly alpha: [number, number]; readonly gate: string }>([
  ['PreferClose', { since: [1, 31], alpha: [1, 30], gate: 'ServiceTrafficDistribution' }],
  ['PreferSameZone', { since: [1, 34], alpha: [1, 33], gate: 'PreferSameTrafficDistribution' }],
  ['PreferSameNode', { since: [1, 34], alpha: [1, 33], gate: 'PreferSameTrafficDistribution' }],
]);

function shown(version: KubeVersion): string {
  return `${version.major}.${version.minor}`;
}

/** NL021: the node-local Service's trafficDistribution is one the cluster's Kubernetes has. */
export const trafficDistributionUnsupported: Rule = {
  id: 'NL021',
  name: 'traffic-distribution-unsupported',
  severity: Severity.ERROR,
  summary: 'The node-local Service\'s spec.trafficDistribution is a value Kubernetes accepts (PreferClose, PreferSameZone, PreferSameNode), and one the cluster\'s version has on by default.',
  reason: 'The API server only accepts the trafficDistribution values its version knows: PreferClose from 1.31 (alpha behind '
    + 'the ServiceTrafficDistribution gate in 1.30), PreferSameZone and PreferSameNode from 1.34 (alpha behind the '
    + 'PreferSameTrafficDistribution gate in 1.33); before 1.30 the field does not exist. Another value, or a value the '
    + 'version does not have, is rejected (or the field is dropped when validation is off), and a PreferSameNode Service '
    + 'then either does not exist or routes cluster-wide. The version is only known when it is given (--kube-version, '
    + 'LintOptions.kubernetesVersion, the construct\'s kubernetesVersion). '
    + 'See https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-distribution and '
    + 'https://github.com/kubernetes/enhancements/issues/3015',
  fix: 'Use internalTrafficPolicy: Local on clusters before 1.34, or a value the cluster has; lint for the version the cluster runs.',
  limits: 'Without a Kubernetes version it only reports values no version accepts. It cannot see feature gates: a cluster '
    + 'that enabled an alpha gate accepts the value a release earlier (acknowledge the finding then).',
  trafficModes: ALL_MODES,
  check: (context) => context.checkedServices.flatMap((service) => {
    const value = getIn(service.spec, 'trafficDistribution');
    if (value === undefined || value === null) {
      return [];
    }
    const name = service.object.display;
    const support = typeof value === 'string' ? SUPPORT.get(value) : undefined;
    if (support === undefined) {
      return [violation(service.object, '/spec/trafficDistribution',
        `${name} has trafficDistribution ${show(value)}, which no Kubernetes version accepts (PreferClose, PreferSameZone and `
        + 'PreferSameNode are the values, case-sensitive): the API server rejects the Service',
        `Set spec.trafficDistribution of ${name} to PreferSameNode (Kubernetes 1.34 and later), or remove it`)];
    }
    const version = context.kubernetesVersion;
    if (version === undefined || isAtLeast(version, ...support.since)) {
      return [];
    }
    const alpha = isAtLeast(version, ...support.alpha)
      ? ` (in ${shown(version)} only behind the alpha feature gate ${support.gate}, off by default)` : '';
    const outcome = service.mode === 'Local'
      ? 'the API server rejects the Service, although internalTrafficPolicy Local would ignore the field anyway'
      : 'the API server rejects the Service (or, with validation off, drops the field and the Service routes cluster-wide), '
        + 'so the pair is not node-local';
    const fix = service.mode === 'Local'
      ? `Remove spec.trafficDistribution from ${name}: internalTrafficPolicy Local already keeps traffic on the node`
      : `On Kubernetes ${shown(version)}, replace spec.trafficDistribution with internalTrafficPolicy: Local on ${name} (it drops `
        + 'traffic on a node without a ready agent instead of falling back), or lint for the version the cluster runs';
    return [violation(service.object, '/spec/trafficDistribution',
      `${name} has trafficDistribution ${show(value)}, which Kubernetes ${shown(version)} does not have: it is on by default from `
      + `${support.since.join('.')}${alpha}; ${outcome}`, fix)];
  }),
};
