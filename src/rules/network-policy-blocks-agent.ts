import { POLICY_BLIND_SPOTS } from './network-policy-model';
import { policyViolations } from './network-policy-reach';
import { Severity } from '../lint/finding';
import { ALL_MODES, Rule } from '../lint/rule';

/** NL016: the NetworkPolicies that select the agent's pods admit its Service's ports and its clients. */
export const networkPolicyBlocksAgent: Rule = {
  id: 'NL016',
  name: 'network-policy-blocks-agent',
  severity: Severity.ERROR,
  summary: 'The NetworkPolicies that select the DaemonSet\'s pods for Ingress admit every port of the node-local Service, and every client of it.',
  reason: 'A pod selected by a NetworkPolicy for Ingress (policyTypes Ingress, or no policyTypes: Kubernetes implies '
    + 'Ingress) accepts only what a rule of some policy that selects it admits. A namespace default-deny (podSelector: {}), '
    + 'cdk8s-plus\' isolate: true, an allow-list that names the wrong namespaces or labels, or ports that miss the '
    + 'container port the Service forwards to (a UDP port allowed as TCP, a named port the container does not declare) '
    + 'make the network plugin drop the packets: the clients time out, on every node. Through a Service the agent sees '
    + 'the client pod\'s address and the container port (targetPort). '
    + 'See https://kubernetes.io/docs/concepts/services-networking/network-policies/ and '
    + 'https://github.com/ahmetb/kubernetes-network-policy-recipes',
  fix: 'Add an ingress rule, to a policy that selects the agent\'s pods, that admits the container ports of the Service from the clients\' namespaces and pods.',
  limits: `${POLICY_BLIND_SPOTS} ` + 'Agents on the host network are not checked: most network plugins do not police host-network '
    + 'pods (see NetworkPolicies and hostNetwork pods in the Kubernetes documentation).',
  trafficModes: ALL_MODES,
  check: (context) => policyViolations(context).ingressDenied,
};
