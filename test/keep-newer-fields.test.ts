import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { keepNewerDaemonSetFields, keepNewerServiceFields } from '../src/keep-newer-fields';

/** A DaemonSet with a little of everything the serializer maps (probes, env, volumes, patches). */
function busyDaemonSet(chart: Chart): kplus.DaemonSet {
  const volume = kplus.Volume.fromEmptyDir(chart, 'buffer', 'buffer');
  const ds = new kplus.DaemonSet(chart, 'ds', {
    minReadySeconds: 10,
    containers: [{
      name: 'agent',
      image: 'otel/opentelemetry-collector:0.98.0',
      ports: [{ number: 4317, name: 'otlp' }, { number: 6831, protocol: kplus.Protocol.UDP, hostPort: 6831 }],
      envVariables: { NODE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME), LEVEL: kplus.EnvValue.fromValue('info') },
      readiness: kplus.Probe.fromHttpGet('/', { port: 13133 }),
      lifecycle: { preStop: kplus.Handler.fromCommand(['/agent', 'drain']) },
      volumeMounts: [{ volume, path: '/var/buffer' }],
      resources: { cpu: { request: kplus.Cpu.millis(100) } },
    }],
    initContainers: [{ name: 'init', image: 'busybox:1', command: ['true'] }],
  });
  ApiObject.of(ds).addJsonPatch(JsonPatch.add('/spec/updateStrategy', {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: kplus.k8s.IntOrString.fromNumber(1), maxUnavailable: kplus.k8s.IntOrString.fromString('0%') },
  }));
  return ds;
}

function ownJson(object: ApiObject): any {
  return Object.getPrototypeOf(object).toJson.call(object);
}

describe('an object without newer fields is written exactly as cdk8s-plus writes it', () => {
  test('a DaemonSet', () => {
    const object = ApiObject.of(busyDaemonSet(Testing.chart()));
    const expected = ownJson(object);
    keepNewerDaemonSetFields(object);
    expect(object.toJson()).toEqual(expected);
    expect(Object.keys(object.toJson())).toEqual(Object.keys(expected));
  });

  test('a Service', () => {
    const service = new kplus.Service(Testing.chart(), 'svc', { ports: [{ port: 80, name: 'http', targetPort: 8080 }], clusterIP: 'None' });
    const object = ApiObject.of(service);
    object.addJsonPatch(JsonPatch.add('/spec/internalTrafficPolicy', 'Local'));
    const expected = ownJson(object);
    keepNewerServiceFields(object);
    expect(object.toJson()).toEqual(expected);
  });
});

describe('the newer fields survive', () => {
  test('a Service\'s trafficDistribution, which cdk8s-plus drops', () => {
    const object = ApiObject.of(new kplus.Service(Testing.chart(), 'svc', { ports: [{ port: 80 }] }));
    object.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferSameNode'));
    expect(ownJson(object).spec).not.toHaveProperty('trafficDistribution');
    keepNewerServiceFields(object);
    expect(object.toJson().spec.trafficDistribution).toBe('PreferSameNode');
  });

  test('the sleep action of containers and init containers, in preStop and postStart', () => {
    const object = ApiObject.of(busyDaemonSet(Testing.chart()));
    object.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/lifecycle/preStop', { sleep: { seconds: 5 } }));
    object.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers/0/lifecycle', { postStart: { sleep: { seconds: 1 } } }));
    expect(ownJson(object).spec.template.spec.containers[0].lifecycle.preStop).toEqual({});
    keepNewerDaemonSetFields(object);
    const pod = object.toJson().spec.template.spec;
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.initContainers[0].lifecycle).toEqual({ postStart: { sleep: { seconds: 1 } } });
  });
});

describe('only the objects given change', () => {
  test('another DaemonSet, in another app of the same process, still loses the field', () => {
    const kept = ApiObject.of(busyDaemonSet(new Chart(new App(), 'one')));
    const other = ApiObject.of(busyDaemonSet(new Chart(new App(), 'two')));
    for (const object of [kept, other]) {
      object.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/lifecycle/preStop', { sleep: { seconds: 5 } }));
    }
    keepNewerDaemonSetFields(kept);
    expect(kept.toJson().spec.template.spec.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: 5 } });
    expect(other.toJson().spec.template.spec.containers[0].lifecycle.preStop).toEqual({});
    expect(Object.prototype.hasOwnProperty.call(other, 'toJson')).toBe(false);
  });

  test('fails if an object is given twice, or is not of the serializer\'s class', () => {
    const chart = Testing.chart();
    const object = ApiObject.of(busyDaemonSet(chart));
    keepNewerDaemonSetFields(object);
    expect(() => keepNewerDaemonSetFields(object)).toThrow('newer fields are already kept for test/ds/Resource');
    const service = ApiObject.of(new kplus.Service(chart, 'svc', { ports: [{ port: 80 }] }));
    expect(() => keepNewerDaemonSetFields(service)).toThrow('test/svc/Resource is not a DaemonSet: its newer fields cannot be kept');
  });
});
