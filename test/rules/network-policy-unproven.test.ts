import { lintBoth, NAMESPACE, pair, single } from './fixtures';
import { admitAgent, defaultDenyEgress, namespace, namespacePeer, policy, remoteClient } from './policy-fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL109';
const TEAM = { namespaceSelector: { matchLabels: { team: 'shop' } } };

describe('NL109 network-policy-unproven', () => {
  test('a namespace selector on a label of a Namespace that is not among the manifests cannot be decided', () => {
    const finding = single(lintBoth([...pair(), remoteClient('shop'), admitAgent('allow-teams', [TEAM])], ID));
    expect(finding.severity).toBe(Severity.WARNING);
    expect(finding.resource.name).toBe('allow-teams');
    expect(finding.message).toContain('Deployment shop/web (namespace shop, pod labels {app=web}) is perhaps not admitted on');
    expect(finding.message).toContain('Namespace shop is not among the manifests, so its labels other than kubernetes.io/metadata.name are unknown');
    expect(lintBoth([...pair(), remoteClient('shop'), admitAgent('allow-teams', [TEAM])], 'NL016')).toEqual([]);
  });

  test('a Namespace among the manifests decides it: with the label the client is admitted', () => {
    const manifests = [...pair(), namespace('shop', { team: 'shop' }), remoteClient('shop'), admitAgent('allow-teams', [TEAM])];
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(lintBoth(manifests, 'NL016')).toEqual([]);
  });

  test('fails as NL016 if the Namespace among the manifests lacks the label', () => {
    const manifests = [...pair(), namespace('shop', { team: 'web' }), remoteClient('shop'), admitAgent('allow-teams', [TEAM])];
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(lintBoth(manifests, 'NL016')).toHaveLength(1);
  });

  test('an ipBlock admits pod addresses only on some network plugins', () => {
    const finding = single(lintBoth([...pair(), remoteClient('shop'), admitAgent('allow-all-ips', [{ ipBlock: { cidr: '0.0.0.0/0' } }])], ID));
    expect(finding.message).toContain('an ipBlock (0.0.0.0/0) admits it only if the network plugin matches pod addresses against ipBlocks');
    expect(finding.message).toContain('cilium/cilium#9209');
  });

  test('a client on the host network is seen from the node address', () => {
    const web = remoteClient('shop', 'web', { app: 'web' }, { hostNetwork: true });
    const finding = single(lintBoth([...pair(), web, admitAgent('allow-shop', [namespacePeer('shop')])], ID));
    expect(finding.message).toContain('runs on the host network, so its packets come from the node\'s address');
  });

  test('a selector on a label the controller sets (pod-template-hash) cannot be decided', () => {
    const peer = { namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] } };
    const finding = single(lintBoth([...pair(), remoteClient('shop'), admitAgent('allow-deployments', [peer])], ID));
    expect(finding.message).toContain('the Deployment controller sets the label pod-template-hash');
  });

  test('an agent policy whose selector may or may not select the agent, and admits nothing, is a warning, not an error', () => {
    const maybe = policy('maybe', { podSelector: { matchExpressions: [{ key: 'controller-revision-hash', operator: 'Exists' }] } });
    expect(lintBoth([...pair(), maybe], 'NL016')).toEqual([]);
    expect(single(lintBoth([...pair(), maybe], ID)).message).toContain('if they select its pods (the DaemonSet controller sets the label controller-revision-hash');
  });

  test('an egress rule to the agent namespace by a label of an unknown Namespace cannot be decided', () => {
    const egress = policy('web-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }, { to: [{ namespaceSelector: { matchLabels: { role: 'infra' } } }] }],
    }, 'shop');
    const finding = single(lintBoth([...pair(), remoteClient('shop'), egress], ID));
    expect(finding.path).toBe('/spec/egress');
    expect(finding.message).toContain(`Namespace ${NAMESPACE} is not among the manifests`);
    expect(lintBoth([...pair(), remoteClient('shop'), egress], 'NL017')).toEqual([]);
  });

  test('a client that names no port, admitted on one port of two, may use the other', () => {
    const web = remoteClient('shop');
    web.spec.template.spec.containers[0].env[0].value = `${'node-dns-service-c8d9e0a7'}.${NAMESPACE}`;
    const udp = admitAgent('udp-for-all', [{ namespaceSelector: {} }], [{ protocol: 'UDP', port: 8053 }]);
    const tcp = admitAgent('tcp-for-payments', [namespacePeer('payments')], [{ protocol: 'TCP', port: 8053 }]);
    const finding = single(lintBoth([...pair(), web, udp, tcp], ID));
    expect(finding.message).toContain('is not admitted on Service infra/node-dns-service-c8d9e0a7 port "dns-tcp" (53/TCP, container port 8053), '
      + 'though admitted on Service infra/node-dns-service-c8d9e0a7 port "dns" (53/UDP, container port 8053), and the rule cannot tell which port it uses');
    expect(lintBoth([...pair(), web, udp, tcp], 'NL016')).toEqual([]);
  });

  test('a port admitted from no source at all is NL016\'s, not a doubt about the client', () => {
    const web = remoteClient('shop');
    web.spec.template.spec.containers[0].env[0].value = `${'node-dns-service-c8d9e0a7'}.${NAMESPACE}`;
    const manifests = [...pair(), web, admitAgent('udp-only', [{ namespaceSelector: {} }], [{ protocol: 'UDP', port: 8053 }])];
    expect(lintBoth(manifests, ID)).toEqual([]);
    expect(single(lintBoth(manifests, 'NL016')).message).toContain('port "dns-tcp" (53/TCP, container port 8053) from any source');
  });

  test('a host-network client without egress rules is not reported', () => {
    const web = remoteClient('shop', 'web', { app: 'web' }, { hostNetwork: true });
    expect(lintBoth([...pair(), web, defaultDenyEgress('shop')], ID)).toEqual([]);
  });
});
