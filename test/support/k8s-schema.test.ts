import * as fs from 'fs';
import {
  expectRestrictedPodSecurity,
  expectValidManifests,
  expectValidNewerManifests,
  K8S_DEFINITIONS_FILE,
  restrictedPodSecurityViolations,
  validateManifest,
} from './k8s-schema';
import { OUTPUT_COMMENT, ROOT_KINDS, vendorDefinitions } from '../../scripts/vendor-k8s-schema';

function service(spec: Record<string, any> = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'otel-agent', namespace: 'observability', labels: { app: 'otel-agent' } },
    spec: {
      selector: { app: 'otel-agent' },
      internalTrafficPolicy: 'Local',
      ports: [{ name: 'otlp-grpc', port: 4317, targetPort: 4317, protocol: 'TCP' }],
      ...spec,
    },
  };
}

function restrictedPodSpec(): any {
  return {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    initContainers: [{
      name: 'init',
      image: 'busybox:1.36',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
    containers: [{
      name: 'agent',
      image: 'otel/opentelemetry-collector:0.90.0',
      ports: [{ name: 'otlp-grpc', containerPort: 4317, protocol: 'TCP' }],
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      },
      volumeMounts: [{ name: 'config', mountPath: '/etc/otel' }],
    }],
    volumes: [
      { name: 'config', configMap: { name: 'otel-agent' } },
      { name: 'tmp', emptyDir: {} },
    ],
  };
}

function daemonSet(podSpec: any = restrictedPodSpec(), spec: Record<string, any> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'otel-agent' },
    spec: {
      selector: { matchLabels: { app: 'otel-agent' } },
      template: { metadata: { labels: { app: 'otel-agent' } }, spec: podSpec },
      ...spec,
    },
  };
}

function errorOf(fn: () => void): string {
  try {
    fn();
  } catch (e: any) {
    return String(e.message);
  }
  throw new Error('expected the call to throw');
}

describe('vendored Kubernetes 1.27.0 definitions', () => {
  const text = fs.readFileSync(K8S_DEFINITIONS_FILE, 'utf-8');
  const file = JSON.parse(text);

  test('carries the generated-file marker and stays small', () => {
    expect(file['//']).toEqual(OUTPUT_COMMENT);
    expect(Buffer.byteLength(text)).toBeLessThan(300 * 1024);
    expect(text).not.toContain('"description"');
  });

  test('contains every root kind and is 1.27 (no Service trafficDistribution)', () => {
    const defs = file.definitions;
    for (const root of ROOT_KINDS) {
      const found = Object.values<any>(defs).some((d) => (d['x-kubernetes-group-version-kind'] ?? [])
        .some((g: any) => g.group === root.group && g.version === root.version && g.kind === root.kind));
      expect({ root, found }).toEqual({ root, found: true });
    }
    expect(defs['io.k8s.api.core.v1.ServiceSpec'].properties.internalTrafficPolicy).toBeDefined();
    expect(defs['io.k8s.api.core.v1.ServiceSpec'].properties.trafficDistribution).toBeUndefined();
  });

  test('vendoring follows $refs, drops description keywords but keeps properties named description', () => {
    const source = {
      definitions: {
        'io.k8s.api.core.v1.Service': {
          'description': 'drop me',
          'type': 'object',
          'properties': {
            kind: { type: 'string', description: 'drop me too' },
            spec: { $ref: '#/definitions/x.Spec', description: 'and me' },
          },
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Service' }],
        },
        'x.Spec': { type: 'object', properties: { description: { type: 'string' }, z: { type: 'string' }, a: { type: 'integer' } } },
        'x.Unreachable': { type: 'object' },
      },
    };
    // only Service is present, so restrict to a source where other roots are missing
    expect(() => vendorDefinitions(source)).toThrow(/expected exactly one definition for apps\/v1 DaemonSet/);

    const allRoots: Record<string, any> = { ...source.definitions };
    for (const root of ROOT_KINDS.filter((r) => r.kind !== 'Service')) {
      allRoots[`root.${root.kind}`] = { 'type': 'object', 'x-kubernetes-group-version-kind': [root] };
    }
    const out: any = vendorDefinitions({ definitions: allRoots });
    expect(out['//']).toEqual(OUTPUT_COMMENT);
    expect(out.definitions['x.Unreachable']).toBeUndefined();
    expect(out.definitions['io.k8s.api.core.v1.Service'].description).toBeUndefined();
    expect(out.definitions['io.k8s.api.core.v1.Service'].properties.spec).toEqual({ $ref: '#/definitions/x.Spec' });
    expect(Object.keys(out.definitions['x.Spec'].properties)).toEqual(['a', 'description', 'z']);
  });
});

describe('expectValidManifests', () => {
  test('a valid Service passes', () => {
    expect(() => expectValidManifests([service()])).not.toThrow();
  });

  test('trafficDistribution is not in the 1.27 definitions', () => {
    expect(validateManifest(service({ trafficDistribution: 'PreferSameNode' })))
      .toContain("/spec must NOT have additional property 'trafficDistribution'");
  });

  test('a Service with trafficDistribution passes: strict 1.27 without it, kubernetes-models 5 with it', () => {
    expect(() => expectValidManifests([service({ trafficDistribution: 'PreferSameNode' })])).not.toThrow();
  });

  test('fails if trafficDistribution is not a string (kubernetes-models 5)', () => {
    expect(errorOf(() => expectValidManifests([service({ trafficDistribution: 5 })])))
      .toContain('Service otel-agent: /spec/trafficDistribution must be string (kubernetes-models 5)');
  });

  test('fails if a newer field is misspelled: only the exact newer fields are set aside', () => {
    expect(errorOf(() => expectValidManifests([service({ trafficDistrbution: 'PreferSameNode' })])))
      .toContain("Service otel-agent: /spec must NOT have additional property 'trafficDistrbution'");
  });

  test('a preStop sleep action passes, and is checked by kubernetes-models 5', () => {
    const withSleep = (seconds: unknown) => {
      const pod = restrictedPodSpec();
      pod.containers[0].lifecycle = { preStop: { sleep: { seconds } } };
      return daemonSet(pod);
    };
    expect(validateManifest(withSleep(5))).toContain("/spec/template/spec/containers/0/lifecycle/preStop must NOT have additional property 'sleep'");
    expect(() => expectValidManifests([withSleep(5)])).not.toThrow();
    expect(errorOf(() => expectValidManifests([withSleep('5')])))
      .toContain('DaemonSet otel-agent: /spec/template/spec/containers/0/lifecycle/preStop/sleep/seconds must be integer (kubernetes-models 5)');
  });

  test('newer manifests can be deferred and checked in one batch', () => {
    const deferred: any[] = [];
    expectValidManifests([service(), service({ trafficDistribution: 5 })], deferred);
    expect(deferred).toHaveLength(1);
    expect(() => expectValidNewerManifests(deferred)).toThrow(/must be string/);
  });

  test('a Service with a string port fails', () => {
    const bad = service({ ports: [{ port: 'a' }] });
    const message = errorOf(() => expectValidManifests([bad]));
    expect(message).toContain('Service otel-agent: /spec/ports/0/port must be integer');
    expect(message).toContain('(kubernetes-models)');
  });

  test('a DaemonSet with an unknown container field fails', () => {
    const pod = restrictedPodSpec();
    pod.containers[0].imagePullPolicyy = 'Always';
    expect(errorOf(() => expectValidManifests([daemonSet(pod)])))
      .toContain("DaemonSet otel-agent: /spec/template/spec/containers/0 must NOT have additional property 'imagePullPolicyy'");
  });

  test('unknown fields are rejected at the top level and in metadata too', () => {
    const bad = { ...service(), status2: {} };
    bad.metadata = { ...bad.metadata, label: { a: 'b' } };
    const message = errorOf(() => expectValidManifests([bad]));
    expect(message).toContain("Service otel-agent: / must NOT have additional property 'status2'");
    expect(message).toContain("Service otel-agent: /metadata must NOT have additional property 'label'");
  });

  test('int-or-string fields accept named ports and percentages', () => {
    const svc = service({ ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    const ds = daemonSet(undefined, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } } });
    expect(() => expectValidManifests([svc, ds])).not.toThrow();
  });

  test('int-or-string fields still reject other types', () => {
    const svc = service({ ports: [{ port: 80, targetPort: { name: 'http' } }] });
    expect(errorOf(() => expectValidManifests([svc]))).toContain('/spec/ports/0/targetPort');
  });

  test('maps such as labels and annotations accept arbitrary keys but only string values', () => {
    const svc = service();
    svc.metadata.labels = { 'app.kubernetes.io/name': 'otel', 'example.com/anything-goes': 'yes', 'x': '' };
    svc.metadata.annotations = { 'totally.unknown/annotation': '{"json": true}' };
    expect(() => expectValidManifests([svc])).not.toThrow();

    svc.metadata.labels = { app: 1 };
    expect(errorOf(() => expectValidManifests([svc]))).toContain('/metadata/labels/app must be string');
  });

  test('enums are enforced', () => {
    const svc = service({ internalTrafficPolicy: 'Nearby' });
    expect(errorOf(() => expectValidManifests([svc]))).toContain('/spec/internalTrafficPolicy must be equal to one of the allowed values ["Cluster","Local"]');
  });

  test('required fields are enforced', () => {
    const pod = restrictedPodSpec();
    delete pod.containers[0].name;
    expect(errorOf(() => expectValidManifests([daemonSet(pod)])))
      .toContain("DaemonSet otel-agent: /spec/template/spec/containers/0 must have required property 'name'");
  });

  test('apiVersion and kind must match a supported 1.27 kind', () => {
    expect(errorOf(() => expectValidManifests([{ ...daemonSet(), apiVersion: 'extensions/v1beta1' }])))
      .toContain('apiVersion extensions/v1beta1 kind DaemonSet is not supported');
    expect(errorOf(() => expectValidManifests([{ metadata: { name: 'x' } }]))).toContain('must have string apiVersion and kind');
    expect(validateManifest({ ...service(), kind: 'Deployment' }).length).toBeGreaterThan(0);
  });

  test('reports every failing object with its kind and name', () => {
    const message = errorOf(() => expectValidManifests([
      service({ trafficPolicy: 'Local' }),
      service(),
      { ...daemonSet(), metadata: { name: 'other' }, extra: true },
    ]));
    expect(message).toMatch(/^2 of 3 manifest\(s\) rejected by the Kubernetes 1\.27 schema:/);
    expect(message).not.toContain('Service otel-agent: /spec/ports');
    expect(message).toContain('Service otel-agent:');
    expect(message).toContain("DaemonSet other: / must NOT have additional property 'extra'");
  });

  test('accepts a minimal valid object of every supported kind', () => {
    const meta = { name: 'x' };
    const pod = restrictedPodSpec();
    const template = { metadata: { labels: { app: 'x' } }, spec: pod };
    const selector = { matchLabels: { app: 'x' } };
    const manifests = [
      daemonSet(),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { selector, template, strategy: { rollingUpdate: { maxSurge: '25%' } } } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { selector, template, serviceName: 'x' } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta, spec: { selector, template } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { template: { spec: { ...pod, restartPolicy: 'Never' } } } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...pod, restartPolicy: 'OnFailure' } } } } },
      },
      { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: pod },
      service(),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { 'config.yaml': 'a: 1' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', data: { token: 'c2VjcmV0' }, stringData: { other: 'plain' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'observability', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta, spec: { selector: { app: 'x' }, template } },
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: meta,
        spec: { hard: { pods: '1G' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta,
        spec: { podSelector: selector, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'otlp-grpc', protocol: 'TCP' }] }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta,
        spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'x', port: { number: 80 } } } }] } }] },
      },
    ];
    expect(manifests.length).toEqual(ROOT_KINDS.length);
    expect(() => expectValidManifests(manifests)).not.toThrow();
  });

  test('formats from the 1.27 definitions are checked (int32 range, base64 Secret data)', () => {
    expect(errorOf(() => expectValidManifests([service({ ports: [{ port: 2 ** 31 }] })]))).toContain('/spec/ports/0/port must match format "int32"');
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'not base64!' } };
    expect(errorOf(() => expectValidManifests([secret]))).toContain('Secret s: /data/token must match format "byte"');
  });

  test('is fast enough for property-based tests', () => {
    const manifests = [service(), daemonSet()];
    const start = Date.now();
    for (let i = 0; i < 500; i++) expectValidManifests(manifests);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});

describe('expectRestrictedPodSecurity', () => {
  test('passes on a compliant pod spec', () => {
    expect(restrictedPodSecurityViolations(restrictedPodSpec())).toEqual([]);
    expect(() => expectRestrictedPodSecurity(restrictedPodSpec())).not.toThrow();
  });

  test('passes when every container sets runAsNonRoot and seccomp itself', () => {
    const pod = restrictedPodSpec();
    delete pod.securityContext;
    for (const c of [...pod.initContainers, ...pod.containers]) {
      c.securityContext = { ...c.securityContext, runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } };
    }
    expect(restrictedPodSecurityViolations(pod)).toEqual([]);
  });

  test('fails on hostNetwork', () => {
    const pod = { ...restrictedPodSpec(), hostNetwork: true };
    expect(errorOf(() => expectRestrictedPodSecurity(pod))).toContain('spec.hostNetwork must be unset or false');
  });

  test('fails on hostPID, hostIPC, privileged and hostPort', () => {
    const pod = { ...restrictedPodSpec(), hostPID: true, hostIPC: true };
    pod.containers[0].securityContext.privileged = true;
    pod.containers[0].ports[0].hostPort = 4317;
    const message = errorOf(() => expectRestrictedPodSecurity(pod));
    expect(message).toContain('spec.hostPID must be unset or false');
    expect(message).toContain('spec.hostIPC must be unset or false');
    expect(message).toContain('spec.containers[0] (agent): securityContext.privileged must be unset or false');
    expect(message).toContain('spec.containers[0] (agent): ports[0].hostPort must be unset or 0');
  });

  test('fails on missing seccomp', () => {
    const pod = restrictedPodSpec();
    delete pod.securityContext.seccompProfile;
    const violations = restrictedPodSecurityViolations(pod);
    expect(violations).toContain('spec.initContainers[0] (init): seccompProfile.type must be RuntimeDefault or Localhost (set it on the pod or on every container)');
    expect(violations).toContain('spec.containers[0] (agent): seccompProfile.type must be RuntimeDefault or Localhost (set it on the pod or on every container)');
    expect(() => expectRestrictedPodSecurity(pod)).toThrow(/seccompProfile/);
  });

  test('fails on an Unconfined seccomp profile even if the pod sets RuntimeDefault', () => {
    const pod = restrictedPodSpec();
    pod.containers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    expect(errorOf(() => expectRestrictedPodSecurity(pod))).toContain('securityContext.seccompProfile.type must be RuntimeDefault or Localhost (got Unconfined)');
  });

  test('fails on missing drop ALL and on added capabilities other than NET_BIND_SERVICE', () => {
    const pod = restrictedPodSpec();
    pod.containers[0].securityContext.capabilities = { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] };
    delete pod.initContainers[0].securityContext.capabilities;
    const message = errorOf(() => expectRestrictedPodSecurity(pod));
    expect(message).toContain('spec.containers[0] (agent): securityContext.capabilities.drop must include ALL');
    expect(message).toContain('spec.initContainers[0] (init): securityContext.capabilities.drop must include ALL');
    expect(message).toContain('capabilities.add may only contain NET_BIND_SERVICE (got SYS_ADMIN)');
  });

  test('fails on allowPrivilegeEscalation true or unset', () => {
    const pod = restrictedPodSpec();
    pod.containers[0].securityContext.allowPrivilegeEscalation = true;
    delete pod.initContainers[0].securityContext.allowPrivilegeEscalation;
    const message = errorOf(() => expectRestrictedPodSecurity(pod));
    expect(message).toContain('spec.containers[0] (agent): securityContext.allowPrivilegeEscalation must be false (got true)');
    expect(message).toContain('spec.initContainers[0] (init): securityContext.allowPrivilegeEscalation must be false (got undefined)');
  });

  test('fails on a hostPath volume (and other non-restricted volume types)', () => {
    const pod = restrictedPodSpec();
    pod.volumes.push({ name: 'varlog', hostPath: { path: '/var/log' } });
    pod.volumes.push({ name: 'nfs', nfs: { server: 'nfs', path: '/' } });
    const message = errorOf(() => expectRestrictedPodSecurity(pod));
    expect(message).toContain('spec.volumes[2] (varlog): volume type hostPath is not allowed');
    expect(message).toContain('spec.volumes[3] (nfs): volume type nfs is not allowed');
  });

  test('fails on running as root', () => {
    const pod = restrictedPodSpec();
    delete pod.securityContext.runAsNonRoot;
    pod.containers[0].securityContext.runAsNonRoot = true;
    pod.containers[0].securityContext.runAsUser = 0;
    const message = errorOf(() => expectRestrictedPodSecurity(pod));
    expect(message).toContain('spec.initContainers[0] (init): runAsNonRoot must be true');
    expect(message).not.toContain('spec.containers[0] (agent): runAsNonRoot must be true');
    expect(message).toContain('spec.containers[0] (agent): securityContext.runAsUser must not be 0');

    const pod2 = restrictedPodSpec();
    pod2.securityContext.runAsUser = 0;
    pod2.containers[0].securityContext.runAsNonRoot = false;
    const message2 = errorOf(() => expectRestrictedPodSecurity(pod2));
    expect(message2).toContain('spec.securityContext.runAsUser must not be 0');
    expect(message2).toContain('spec.containers[0] (agent): securityContext.runAsNonRoot must not be false');
  });

  test('fails on unsafe sysctls and custom SELinux types, allows safe ones', () => {
    const pod = restrictedPodSpec();
    pod.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }, { name: 'kernel.msgmax', value: '1' }];
    pod.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' };
    pod.initContainers[0].securityContext.seLinuxOptions = { type: 'container_init_t' };
    expect(restrictedPodSecurityViolations(pod)).toEqual([
      'spec.securityContext.sysctls[1]: unsafe sysctl kernel.msgmax',
      'spec.containers[0] (agent): securityContext.seLinuxOptions.type must be unset or one of container_t, container_init_t, container_kvm_t (got spc_t)',
    ]);
  });
});
