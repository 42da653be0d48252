import { POLICY_BLIND_SPOTS } from './network-policy-model';
import { policyViolations } from './network-policy-reach';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL017: the egress NetworkPolicies that select a client's pods admit its traffic to the agent. */
export const networkPolicyBlocksClient: Rule = {
  id: 'NL017',
  name: 'network-policy-blocks-client',
  severity: Severity.ERROR,
  summary: 'The NetworkPolicies that select a client\'s pods for Egress admit the agent\'s pods on the ports the client sends to, and DNS.',
  reason: 'A pod selected by a NetworkPolicy for Egress (policyTypes Egress, or egress rules without policyTypes) sends '
    + 'only what a rule of some policy that selects it admits. An egress default-deny in the client\'s namespace, or an '
    + 'allow-list without the agent\'s namespace, pods or container port, drops the client\'s packets before they leave '
    + 'its pod; without port 53 to the cluster DNS it cannot even resolve the Service\'s name. Egress policies see the '
    + 'agent pod and its container port, after the Service\'s translation. '
    + 'See https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic',
  fix: 'Add an egress rule, to a policy that selects the client\'s pods, that admits the agent\'s namespace and pods on the container ports it serves, and port 53 to the cluster DNS.',
  limits: `${POLICY_BLIND_SPOTS} ` + 'Clients on the host network are not checked: most network plugins do not police them. For DNS '
    + 'it only proves that no egress rule admits port 53/UDP at all; whether a rule that does reaches the cluster DNS pods '
    + 'is not in the manifests.',
  trafficModes: ALL_MODES,
  check: (context) => policyViolations(context).egressDenied,
};
