import { CLIENT, client } from './client-fixtures';
import { DS, DS_REF, lintBoth, NAMESPACE, pair, single, SVC, SVC_REF } from './fixtures';
import {
  admitAgent, defaultDenyEgress, defaultDenyIngress, isolated, namespacePeer, policy, remoteClient,
} from './policy-fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

const ID = 'NL016';
const UDP = `${SVC} port "dns" (53/UDP, container port 8053)`;
const TCP = `${SVC} port "dns-tcp" (53/TCP, container port 8053)`;

describe('NL016 network-policy-blocks-agent', () => {
  describe('compliant', () => {
    test.each([
      ['no NetworkPolicy', []],
      ['a policy that admits everything (ingress: [{}])', [policy('allow-all', { podSelector: {}, ingress: [{}] })]],
      ['a default deny plus a policy that admits the client namespace (policies add up)',
        [defaultDenyIngress(), admitAgent('allow-dns', [namespacePeer(NAMESPACE)])]],
      ['a policy that admits the ports from every namespace', [admitAgent('allow-dns', [{ namespaceSelector: {} }])]],
      ['a policy that admits the ports by name', [admitAgent('allow-dns', [{ podSelector: {} }],
        [{ protocol: 'UDP', port: 'dns' }, { protocol: 'TCP', port: 'dns-tcp' }])]],
      ['a policy that admits a port range (endPort)', [admitAgent('allow-dns', undefined,
        [{ protocol: 'UDP', port: 8000, endPort: 9000 }, { protocol: 'TCP', port: 8053 }])]],
      ['a policy that admits every port of both protocols', [admitAgent('allow-dns', undefined, [{ protocol: 'UDP' }, { protocol: 'TCP' }])]],
      ['a default deny in another namespace (a policy never selects pods of another namespace)', [defaultDenyIngress('payments')]],
      ['a policy that selects other pods only', [policy('web-only', { podSelector: { matchLabels: { app: 'web' } } })]],
      ['an Egress-only policy: it does not isolate for Ingress', [defaultDenyEgress()]],
      ['a policy the API server rejects (an unknown policyType) is not in the cluster',
        [policy('broken', { podSelector: {}, policyTypes: ['Inbound'] })]],
    ])('%s', (_, policies) => {
      expect(lintBoth([...pair(), client(), ...policies], ID)).toEqual([]);
    });

    test('an agent on the host network: most network plugins do not police host-network pods', () => {
      const manifests = [...pair((ds) => { ds.spec.template.spec.hostNetwork = true; }), defaultDenyIngress()];
      expect(lintBoth(manifests, ID)).toEqual([]);
      expect(lintBoth(manifests, 'NL109')).toEqual([]);
    });
  });

  describe('fails', () => {
    test('fails if a namespace default deny admits nothing: one finding naming both ports', () => {
      const finding = single(lintBoth([...pair(), defaultDenyIngress()], ID));
      expect(finding).toEqual({
        ruleId: ID,
        ruleName: 'network-policy-blocks-agent',
        severity: Severity.ERROR,
        resource: { kind: 'NetworkPolicy', name: 'default-deny-ingress', namespace: NAMESPACE },
        path: '/spec/ingress',
        manifestIndex: 2,
        pair: { service: SVC_REF, daemonSet: DS_REF },
        message: `NetworkPolicy ${NAMESPACE}/default-deny-ingress selects the pods of ${DS} for Ingress, and no ingress rule `
          + `admits ${UDP} and ${TCP} from any source: the network plugin drops these packets on every node, so clients of the `
          + 'node-local Service time out (policies add up: a packet passes when any policy that selects the pod admits it)',
        fix: `In NetworkPolicy ${NAMESPACE}/default-deny-ingress (or another NetworkPolicy that selects the pods of ${DS}), `
          + 'admit {protocol: UDP, port: 8053} and {protocol: TCP, port: 8053} in an ingress rule, e.g. {ports: [{protocol: '
          + 'UDP, port: 8053}, {protocol: TCP, port: 8053}], from: [{namespaceSelector: {}}]} (or remove from the Service a port '
          + 'no client is meant to reach)',
      });
    });

    test('fails if the policy cdk8s-plus writes for isolate: true selects the agent', () => {
      const finding = single(lintBoth([...pair(), isolated()], ID));
      expect(finding.resource.name).toBe('agent-defaultdenyall');
      expect(finding.message).toContain(`no ingress rule admits ${UDP} and ${TCP} from any source`);
    });

    test('fails if there is no policyTypes and only egress rules: Kubernetes implies Ingress too', () => {
      const manifests = [...pair(), policy('egress-rules', { podSelector: {}, egress: [{}] })];
      expect(single(lintBoth(manifests, ID)).message).toContain('no ingress rule admits');
    });

    test('fails if a UDP port is admitted as TCP only (the protocol defaults to TCP)', () => {
      const finding = single(lintBoth([...pair(), admitAgent('allow-dns', undefined, [{ port: 8053 }])], ID));
      expect(finding.message).toContain(`no ingress rule admits ${UDP} from any source`);
      expect(finding.message).not.toContain(TCP);
      expect(finding.fix).toContain('{protocol: UDP, port: 8053}');
    });

    test('fails if the policy admits the Service port instead of the container port it forwards to', () => {
      const finding = single(lintBoth([...pair(), admitAgent('allow-dns', undefined, [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }])], ID));
      expect(finding.message).toContain(`no ingress rule admits ${UDP} and ${TCP} from any source`);
    });

    test('fails if a named port is not a port of the agent', () => {
      const finding = single(lintBoth([...pair(), admitAgent('allow-dns', undefined, [{ protocol: 'UDP', port: 'domain' }, { protocol: 'TCP', port: 8053 }])], ID));
      expect(finding.message).toContain(`no ingress rule admits ${UDP} from any source`);
    });

    test('fails if an endPort range misses the port', () => {
      const finding = single(lintBoth([...pair(), admitAgent('allow-dns', undefined, [{ protocol: 'UDP', port: 9000, endPort: 9100 }, { protocol: 'TCP' }])], ID));
      expect(finding.message).toContain(`admits ${UDP} from`);
    });

    test('fails if the allow-list names the wrong namespace for a client in another namespace', () => {
      const web = remoteClient('shop');
      const finding = single(lintBoth([...pair(), web, admitAgent('allow-dns', [namespacePeer('payments')])], ID));
      expect(finding.message).toContain(`Deployment shop/web (namespace shop, pod labels {app=web}) is admitted on none of ${UDP} and ${TCP}`);
      expect(finding.fix).toContain('admit Deployment shop/web with the peer {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, '
        + 'podSelector: {matchLabels: {app: "web"}}}');
    });

    test('fails if a pod selector admits other pods of the namespace only', () => {
      const finding = single(lintBoth([...pair(), client(), admitAgent('allow-dns', [{ podSelector: { matchLabels: { app: 'billing' } } }])], ID));
      expect(finding.message).toContain(`${CLIENT} (namespace ${NAMESPACE}, pod labels {app=checkout}) is admitted on none of`);
    });

    test('fails if a matchExpressions NotIn excludes the client namespace', () => {
      const peer = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['shop'] }] } };
      const finding = single(lintBoth([...pair(), remoteClient('shop'), admitAgent('allow-dns', [peer])], ID));
      expect(finding.message).toContain('Deployment shop/web');
    });

    test('fails for a PreferSameNode Service too: the policy blocks the agent on every node, so there is nothing to fall back to', () => {
      const manifests = [...pair((_, svc) => {
        delete svc.spec.internalTrafficPolicy;
        svc.spec.trafficDistribution = 'PreferSameNode';
      }), defaultDenyIngress()];
      expect(lintManifests(manifests).filter((f) => f.ruleId === ID)).toHaveLength(1);
    });

    test('fails once for two policies that select the agent, on the first by name, the other as related', () => {
      const finding = single(lintBoth([...pair(), defaultDenyIngress(), isolated()], ID));
      expect(finding.message).toMatch(/^NetworkPolicies infra\/default-deny-ingress and infra\/agent-defaultdenyall select the pods/);
      expect(finding.resource.name).toBe('agent-defaultdenyall');
      expect(finding.related).toEqual([{ resource: { kind: 'NetworkPolicy', name: 'default-deny-ingress', namespace: NAMESPACE }, path: '/spec/podSelector', manifestIndex: 2 }]);
      expect(single(lintBoth([...pair(), isolated(), defaultDenyIngress()], ID)).resource.name).toBe('agent-defaultdenyall');
    });
  });
});

test('NL016 names at most ten denied clients and counts the others', () => {
  const clients = Array.from({ length: 12 }, (_, i) => remoteClient('shop', `web-${i}`));
  const finding = single(lintBoth([...pair(), ...clients, admitAgent('allow-payments', [namespacePeer('payments')])], 'NL016'));
  expect(finding.message).toContain('Deployment shop/web-9 (namespace shop');
  expect(finding.message).not.toContain('Deployment shop/web-10 (');
  expect(finding.message).toContain('; and 2 more like these: the network plugin drops');
});

test('NL016 checks a client that reaches the agent through the node IP and a host port, the port in a variable of its own', () => {
  const manifests = [
    ...pair((ds) => { ds.spec.template.spec.containers[0].ports[0].hostPort = 8053; }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'statsd-client', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'statsd-client' } },
        template: {
          metadata: { labels: { app: 'statsd-client' } },
          spec: {
            containers: [{
              name: 'app',
              image: 'registry.example/app:1',
              env: [
                { name: 'DD_AGENT_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
                { name: 'DD_DOGSTATSD_PORT', value: '8053' },
              ],
            }],
          },
        },
      },
    },
    admitAgent('allow-payments', [namespacePeer('payments')]),
  ];
  const finding = single(lintBoth(manifests, 'NL016'));
  expect(finding.message).toContain('Deployment shop/statsd-client (namespace shop, pod labels {app=statsd-client}) is admitted on none of '
    + 'host port 8053/UDP of DaemonSet infra/node-dns-agent-c8f2a4b1 (container port 8053)');
});
