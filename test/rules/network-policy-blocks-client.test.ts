import { CLIENT, client, PAIR } from './client-fixtures';
import { ADDR, DS, DS_ADDR, lintBoth, NAMESPACE, pair, single, SVC } from './fixtures';
import { BOTH_PORTS, defaultDenyEgress, defaultDenyIngress, namespacePeer, policy, remoteClient } from './policy-fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL017';
const DNS_OUT = { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }], to: [namespacePeer('kube-system')] };
const AGENT_PEER = { ...namespacePeer(NAMESPACE), podSelector: { matchLabels: { [ADDR]: DS_ADDR } } };

/** An egress policy for the shop namespace's web pods with the rules given. */
function webEgress(egress: unknown[]): any {
  return policy('web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress }, 'shop');
}

describe('NL017 network-policy-blocks-client', () => {
  describe('compliant', () => {
    test.each([
      ['no egress policy', []],
      ['an egress policy that admits everything (egress: [{}])', [webEgress([{}])]],
      ['an egress allow-list with the agent and DNS', [webEgress([DNS_OUT, { to: [AGENT_PEER], ports: BOTH_PORTS }])]],
      ['an egress allow-list with the agent by named ports', [webEgress([DNS_OUT, { to: [AGENT_PEER], ports: [{ protocol: 'UDP', port: 'dns' }, { protocol: 'TCP', port: 'dns-tcp' }] }])]],
      ['an Ingress-only default deny in the client namespace', [defaultDenyIngress('shop')]],
      ['an egress default deny in another namespace', [defaultDenyEgress('payments')]],
    ])('%s', (_, policies) => {
      expect(lintBoth([...pair(), remoteClient('shop'), ...policies], ID)).toEqual([]);
    });

    test('a client on the host network: most network plugins do not police it', () => {
      const web = remoteClient('shop', 'web', { app: 'web' }, { hostNetwork: true });
      expect(lintBoth([...pair(), web, defaultDenyEgress('shop')], ID)).toEqual([]);
    });
  });

  describe('fails', () => {
    test('fails if an egress default deny in the client namespace drops the traffic and DNS', () => {
      const finding = single(lintBoth([...pair(), client(), defaultDenyEgress()], ID));
      expect(finding).toMatchObject({
        ruleId: ID,
        severity: Severity.ERROR,
        resource: { kind: 'NetworkPolicy', name: 'default-deny-egress', namespace: NAMESPACE },
        path: '/spec/egress',
        pair: PAIR,
      });
      expect(finding.message).toBe(`NetworkPolicy ${NAMESPACE}/default-deny-egress selects the pods of ${CLIENT}, a client of ${SVC} `
        + `(env DNS_SERVER of container "app" is "node-dns-service-c8d9e0a7:53"), for Egress, and no egress rule admits ${DS} `
        + `(namespace ${NAMESPACE}, pod labels {${ADDR}=${DS_ADDR}}) on ${SVC} port "dns" (53/UDP, container port 8053) and `
        + `${SVC} port "dns-tcp" (53/TCP, container port 8053); no egress rule admits 53/UDP to any destination, so the client `
        + `cannot even resolve the name of ${SVC} through the cluster DNS: the network plugin drops the client's packets before `
        + 'they leave its pod');
      expect(finding.fix).toContain(`admit the peer {podSelector: {matchLabels: {${ADDR}: "${DS_ADDR}"}}} with the ports `
        + '{protocol: UDP, port: 8053} and {protocol: TCP, port: 8053} in an egress rule');
    });

    test('fails if the egress allow-list has DNS but not the agent', () => {
      const finding = single(lintBoth([...pair(), remoteClient('shop'), webEgress([DNS_OUT])], ID));
      expect(finding.message).toContain('no egress rule admits DaemonSet infra/node-dns-agent-c8f2a4b1');
      expect(finding.message).not.toContain('cannot even resolve');
    });

    test('fails if the egress allow-list names the agent namespace with the wrong port', () => {
      const finding = single(lintBoth([...pair(), remoteClient('shop'),
        webEgress([DNS_OUT, { to: [namespacePeer(NAMESPACE)], ports: [{ protocol: 'UDP', port: 53 }] }])], ID));
      expect(finding.message).toContain('no egress rule admits');
    });

    test('fails if egress rules without policyTypes isolate the client (Kubernetes implies Egress)', () => {
      const implied = policy('web-egress', { podSelector: { matchLabels: { app: 'web' } }, egress: [DNS_OUT] }, 'shop');
      expect(single(lintBoth([...pair(), remoteClient('shop'), implied], ID)).resource.name).toBe('web-egress');
    });
  });
});
