import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { lintManifests, NodeLocalDaemonService, NodeLocalDaemonServiceProps, NodeLocalRollout, NodeLocalTraffic } from '../src';
import { expectValidManifests } from './support/k8s-schema';

const IMAGE = 'otel/opentelemetry-collector-contrib:0.98.0';

/** Synthesizes one agent (warnings silenced) and returns its DaemonSet and the rule ids drawn. */
function synth(props: Partial<NodeLocalDaemonServiceProps> = {}) {
  const chart = Testing.chart();
  new NodeLocalDaemonService(chart, 'agent', {
    metadata: { name: 'otel-agent', namespace: 'observability' },
    containers: [{ image: IMAGE }],
    ports: [{ port: 4317, name: 'otlp-grpc' }],
    ...props,
  });
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let manifests: any[];
  try {
    manifests = Testing.synth(chart);
  } finally {
    spy.mockRestore();
  }
  expectValidManifests(manifests);
  const daemonSet = manifests.find(m => m.kind === 'DaemonSet');
  return {
    daemonSet,
    pod: daemonSet.spec.template.spec,
    ruleIds: lintManifests(manifests).map(f => f.ruleId),
  };
}

const preStops = (pod: any) => pod.containers.map((c: any) => c.lifecycle?.preStop);
const SLEEP = { sleep: { seconds: 5 } };

describe('minReadySeconds', () => {
  test('a surging agent waits 10 s, so kube-proxy programs the new endpoint before the old pod stops', () => {
    const { daemonSet, ruleIds } = synth();
    expect(daemonSet.spec.minReadySeconds).toBe(10);
    expect(ruleIds).not.toContain('NL120');
  });

  test('the user\'s own minReadySeconds wins, even 0, and then NL120 says what it costs', () => {
    expect(synth({ minReadySeconds: 30 }).daemonSet.spec.minReadySeconds).toBe(30);
    const zero = synth({ minReadySeconds: 0 });
    expect(zero.daemonSet.spec.minReadySeconds).toBe(0);
    expect(zero.ruleIds).toContain('NL120');
  });

  test('replace() and onDelete() get no default: the old pod is gone before the new one starts', () => {
    expect(synth({ rollout: NodeLocalRollout.replace() }).daemonSet.spec.minReadySeconds).toBe(0);
    expect(synth({ rollout: NodeLocalRollout.onDelete() }).daemonSet.spec.minReadySeconds).toBe(0);
  });

  test('a host-network agent replaces, so it gets no default either', () => {
    const { daemonSet, pod } = synth({ hostNetwork: true, kubernetesVersion: '1.34' });
    expect(daemonSet.spec.minReadySeconds).toBe(0);
    expect(preStops(pod)).toEqual([undefined]);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });
});

describe('the preStop sleep', () => {
  test('is not written when the Kubernetes version is unknown or below 1.30: the API would reject it', () => {
    expect(preStops(synth().pod)).toEqual([undefined]);
    expect(preStops(synth({ kubernetesVersion: '1.29' }).pod)).toEqual([undefined]);
  });

  test('from 1.30, the serving container sleeps 5 s before SIGTERM, and keeps the whole default grace period after it', () => {
    const { pod, ruleIds } = synth({ kubernetesVersion: '1.30' });
    expect(preStops(pod)).toEqual([SLEEP]);
    expect(pod.terminationGracePeriodSeconds).toBe(35);
    expect(ruleIds).not.toContain('NL121');
  });

  test('preferSameNode implies 1.34, so it gets the sleep', () => {
    expect(preStops(synth({ traffic: NodeLocalTraffic.preferSameNode() }).pod)).toEqual([SLEEP]);
  });

  test('only the containers behind the Service\'s ports sleep', () => {
    const { pod } = synth({
      kubernetesVersion: '1.31',
      containers: [{ name: 'collector', image: IMAGE }, { name: 'rotator', image: 'busybox:1' }, { name: 'statsd', image: 'statsd:1' }],
      ports: [{ port: 4317, name: 'otlp-grpc' }, { port: 8125, name: 'statsd', protocol: kplus.Protocol.UDP, container: 'statsd' }],
    });
    expect(preStops(pod)).toEqual([SLEEP, undefined, SLEEP]);
  });

  test('the user\'s own preStop wins, and a postStart is kept beside the sleep', () => {
    const { pod } = synth({
      kubernetesVersion: '1.31',
      containers: [
        { name: 'a', image: IMAGE, lifecycle: { preStop: kplus.Handler.fromHttpGet('/quit', { port: 8080 }) } },
        { name: 'b', image: IMAGE, lifecycle: { postStart: kplus.Handler.fromCommand(['/warm-up']) } },
      ],
      ports: [{ port: 80, name: 'a', container: 'a' }, { port: 81, name: 'b', container: 'b' }],
    });
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { httpGet: { path: '/quit', port: 8080, scheme: 'HTTP' } } });
    expect(pod.containers[1].lifecycle).toEqual({ postStart: { exec: { command: ['/warm-up'] } }, preStop: SLEEP });
    // one container slept: the grace period makes room for it
    expect(pod.terminationGracePeriodSeconds).toBe(35);
  });

  test('the user\'s grace period is kept when it is longer than the sleep', () => {
    const { pod } = synth({ kubernetesVersion: '1.31', terminationGracePeriod: Duration.seconds(120) });
    expect(preStops(pod)).toEqual([SLEEP]);
    expect(pod.terminationGracePeriodSeconds).toBe(120);
  });

  test('a grace period the sleep would use up gets no sleep, so the kubelet never kills mid-handover', () => {
    const { pod, ruleIds } = synth({ kubernetesVersion: '1.31', terminationGracePeriod: Duration.seconds(5) });
    expect(preStops(pod)).toEqual([undefined]);
    expect(pod.terminationGracePeriodSeconds).toBe(5);
    expect(ruleIds).not.toContain('NL121');
    expect(ruleIds).not.toContain('NL120'); // minReadySeconds 10 still covers the propagation
  });

  test('replace() gets no sleep: it would only lengthen each node\'s gap', () => {
    expect(preStops(synth({ kubernetesVersion: '1.31', rollout: NodeLocalRollout.replace() }).pod)).toEqual([undefined]);
  });

  test('with the sleep, minReadySeconds 0 of the user draws no NL120: the old pod serves through the handover', () => {
    const { daemonSet, pod, ruleIds } = synth({ kubernetesVersion: '1.31', minReadySeconds: 0 });
    expect(daemonSet.spec.minReadySeconds).toBe(0);
    expect(preStops(pod)).toEqual([SLEEP]);
    expect(ruleIds).not.toContain('NL120');
  });

  test('a user preStop exec sleep longer than the user\'s grace period draws NL121', () => {
    const { ruleIds } = synth({
      terminationGracePeriod: Duration.seconds(10),
      containers: [{ image: IMAGE, lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '15']) } }],
    });
    expect(ruleIds).toContain('NL121');
  });
});
