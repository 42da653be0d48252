import { policyViolations } from './network-policy-reach';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL109: the NetworkPolicies around a pair may drop its traffic, and the manifests cannot tell. */
export const networkPolicyUnproven: Rule = {
  id: 'NL109',
  name: 'network-policy-unproven',
  severity: Severity.WARNING,
  summary: 'Whether the NetworkPolicies around a node-local pair admit its clients can be decided from the manifests.',
  reason: 'NL016 and NL017 report only what the manifests prove. Where admission depends on what they do not hold (the '
    + 'labels of a Namespace that is not among them, labels a controller adds to pods, pod addresses against an ipBlock, '
    + 'which Calico matches and Cilium never does, traffic seen from the node\'s address through a host port or the host '
    + 'network), the packets may be dropped all the same, and this warning says which selector or block is in doubt. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicies-and-hostnetwork-pods and '
    + 'https://github.com/cilium/cilium/issues/9209',
  fix: 'Admit the clients with pod and namespace selectors the manifests decide (kubernetes.io/metadata.name names every namespace; add the Namespace to the manifests for its other labels), or acknowledge the warning.',
  limits: 'The blind spots of NL016 and NL017 (policies outside the manifests, CNI-specific policies, labels '
    + 'set outside the manifests) stay blind: this warning only names the selector, block or port in doubt where the '
    + 'manifests hold the policy. When the cluster decides it (pod addresses inside an ipBlock, a Namespace label set by '
    + 'the platform), acknowledge the warning.',
  trafficModes: ALL_MODES,
  check: (context) => policyViolations(context).unproven,
};
