import { Severity } from '../lint/finding';
import { getIn, pointer } from '../lint/json';
import { Rule, violation } from '../lint/rule';

/** NL105: the DaemonSet's pods do not use the node's network. */
export const hostNetwork: Rule = {
  id: 'NL105',
  name: 'host-network',
  severity: Severity.WARNING,
  summary: 'The DaemonSet\'s pods do not use hostNetwork.',
  reason: 'A node-local Service already brings each client to the pod on its node, so the pod does not need the node\'s '
    + 'network. With hostNetwork its ports collide with everything else on the node, it cannot roll out by surging '
    + '(NL010, so each rollout leaves a gap, NL102), and the namespace cannot enforce the Pod Security baseline or '
    + 'restricted standard. See https://kubernetes.io/docs/concepts/security/pod-security-standards/ and '
    + 'https://github.com/kubernetes/kubernetes/issues/106417',
  fix: 'Remove hostNetwork: true and let clients reach the pod through the Service.',
  check: (context) => context.checkedDaemonSets.flatMap((daemonSet) => {
    if (getIn(daemonSet.podSpec, 'hostNetwork') !== true) {
      return [];
    }
    const name = daemonSet.object.display;
    return [violation(daemonSet.object, pointer(daemonSet.podSpecPath, 'hostNetwork'),
      `${name} pods use hostNetwork: true: they share the node's network, so their ports collide with the node's, they `
      + 'cannot roll out by surging, and the namespace cannot enforce the Pod Security baseline or restricted standard',
      `Remove spec.template.spec.hostNetwork from ${name} and have clients use the node-local Service; acknowledge NL105 `
      + 'if the agent must see the node\'s network')];
  }),
};
