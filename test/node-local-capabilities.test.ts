import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps } from '../src';
import { expectValidManifests } from './support/k8s-schema';
import { LINUX_CAPABILITIES } from '../src/lint/capabilities';

const IMAGE = 'registry.k8s.io/dns/k8s-dns-node-cache:1.23.1';

function synth(props: Partial<NodeLocalDaemonServiceProps>) {
  const chart = Testing.chart();
  new NodeLocalDaemonService(chart, 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 53, protocol: kplus.Protocol.UDP }], ...props });
  const manifests = Testing.synth(chart);
  expectValidManifests(manifests);
  return { manifests, podSpec: manifests.find(m => m.kind === 'DaemonSet').spec.template.spec };
}

describe('capabilities', () => {
  test('cdk8s-plus-27 writes its Capability values with the CAP_ prefix (cdk8s-team/cdk8s-plus#4267)', () => {
    expect(kplus.Capability.NET_ADMIN).toBe('CAP_NET_ADMIN');
  });

  test('every Capability value of cdk8s-plus-27 is written without the prefix, and lints clean', () => {
    const all = Object.values(kplus.Capability) as kplus.Capability[];
    const { manifests, podSpec } = synth({ containers: [{ image: IMAGE, securityContext: { capabilities: { add: all, drop: ['ALL' as kplus.Capability] } } }] });
    expect(podSpec.containers[0].securityContext.capabilities.add).toEqual(all.map(c => c.replace(/^CAP_/, '')));
    expect([...podSpec.containers[0].securityContext.capabilities.add].sort()).toEqual([...LINUX_CAPABILITIES].sort());
    expect(lintManifests(manifests).filter(f => f.ruleId === 'NL019')).toEqual([]);
  });

  test('names given without the prefix, or in lower case, are written as Kubernetes names them', () => {
    const { podSpec } = synth({
      containers: [{ image: IMAGE, securityContext: { capabilities: { add: ['NET_ADMIN', 'net_bind_service'] as unknown as kplus.Capability[] } } }],
      initContainers: [{ name: 'init', image: IMAGE, securityContext: { capabilities: { drop: [kplus.Capability.NET_RAW] } } }],
    });
    expect(podSpec.containers[0].securityContext.capabilities).toEqual({ add: ['NET_ADMIN', 'NET_BIND_SERVICE'], drop: ['ALL'] });
    expect(podSpec.initContainers[0].securityContext.capabilities).toEqual({ drop: ['NET_RAW'] });
  });

  test.each([
    ['containers[0].securityContext.capabilities.add[1] "NET_ADMINS" is not a Linux capability', { containers: [{ image: IMAGE, securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_ADMINS'] } } }] }],
    ['containers[0].securityContext.capabilities.drop[0] "CAP_ALL" is not a Linux capability', { containers: [{ image: IMAGE, securityContext: { capabilities: { drop: ['CAP_ALL'] } } }] }],
    ['initContainers[0].securityContext.capabilities.add[0] 7 is not a string', { initContainers: [{ name: 'init', image: IMAGE, securityContext: { capabilities: { add: [7] } } }] }],
    ['containers[0].securityContext.capabilities.add "NET_ADMIN" is not a list', { containers: [{ image: IMAGE, securityContext: { capabilities: { add: 'NET_ADMIN' } } }] }],
  ])('fails if %s, and nothing is written', (message, props) => {
    const chart = Testing.chart();
    expect(() => new NodeLocalDaemonService(chart, 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 53 }], ...props as any }))
      .toThrow(message);
    expect(chart.node.children).toHaveLength(0);
  });

  test('fails at synthesis (NL019) if a container added after construction names a prefixed capability', () => {
    const chart = Testing.chart();
    const agent = new NodeLocalDaemonService(chart, 'agent', { containers: [{ image: IMAGE }], ports: [{ port: 53 }] });
    agent.daemonSet.addContainer({ name: 'sidecar', image: IMAGE, securityContext: { ensureNonRoot: false, capabilities: { add: [kplus.Capability.SYS_TIME] } } });
    expect(() => Testing.synth(chart)).toThrow(/NL019: DaemonSet .* container "sidecar" securityContext\.capabilities\.add\[0\] "CAP_SYS_TIME" carries the kernel's CAP_ prefix/);
  });
});
