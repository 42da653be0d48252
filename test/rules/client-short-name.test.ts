import { client, CLIENT_NAME } from './client-fixtures';
import { DS_REF, lintBoth, NAMESPACE, pair, single, SVC, SVC_NAME, SVC_REF } from './fixtures';
import { Severity } from '../../src/lint/finding';
import { lintManifests } from '../../src/lint/lint';

/** The fixture client moved to another namespace (or none), sending to `value`. */
function clientIn(namespace: string | null, value = `${SVC_NAME}:53`): any {
  const c = client({}, value);
  if (namespace === null) {
    delete c.metadata.namespace;
  } else {
    c.metadata.namespace = namespace;
  }
  return c;
}

const FQDN = `${SVC_NAME}.${NAMESPACE}.svc.cluster.local:53`;

describe('NL020 client-short-name-unresolved', () => {
  const ID = 'NL020';

  test('a short name from the Service\'s own namespace, or a qualified name from another, is compliant', () => {
    expect(lintBoth([...pair(), client()], ID)).toEqual([]);
    expect(lintBoth([...pair(), clientIn('shop', FQDN)], ID)).toEqual([]);
    expect(lintBoth([...pair(), clientIn('shop', `http://${SVC_NAME}.${NAMESPACE}:53`)], ID)).toEqual([]);
  });

  test('fails if a client of another namespace uses the short name, which resolves to nothing there', () => {
    expect(single(lintBoth([...pair(), clientIn('shop')], ID))).toEqual({
      ruleId: ID,
      ruleName: 'client-short-name-unresolved',
      severity: Severity.ERROR,
      resource: { kind: 'Deployment', name: CLIENT_NAME, namespace: 'shop' },
      pair: { service: SVC_REF, daemonSet: DS_REF },
      path: '/spec/template/spec/containers/0/env/0',
      manifestIndex: 2,
      message: `Deployment shop/${CLIENT_NAME} sends to "${SVC_NAME}" (env DNS_SERVER of container "app" is "${SVC_NAME}:53"), a `
        + `short name that resolves in its own namespace shop only, and no Service ${SVC_NAME} is there among the manifests: the `
        + `name does not resolve and the traffic goes nowhere; the node-local ${SVC} is in another namespace`,
      fix: `Name the node-local Service by its fully qualified name in Deployment shop/${CLIENT_NAME}: ${FQDN} (with your cluster `
        + 'domain; connect() writes it), or deploy the client in the Service\'s namespace',
    });
  });

  test('a client without namespace is in the default namespace, and the finding says how to lint it with -n', () => {
    const finding = single(lintBoth([...pair(), clientIn(null, `http://${SVC_NAME}:53/dns`)], ID));
    expect(finding.message).toContain(`(Deployment ${CLIENT_NAME} has no metadata.namespace and is taken to be in "default"; if it is `
      + `applied to namespace ${NAMESPACE}, as helm install -n ${NAMESPACE} does, lint with --namespace ${NAMESPACE})`);
    // linted as applied with -n infra, it is in the Service's namespace
    expect(lintManifests([...pair(), clientIn(null)], { namespace: NAMESPACE }).filter((f) => f.ruleId === ID)).toEqual([]);
  });

  test('an ExternalName alias in the client\'s namespace resolves the short name to the node-local Service', () => {
    const alias = { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC_NAME, namespace: 'shop' }, spec: { type: 'ExternalName', externalName: FQDN.replace(/:53$/, '') } };
    const findings = lintManifests([...pair(), clientIn('shop'), alias]);
    expect(findings.filter((f) => f.ruleId === ID || f.ruleId === 'NL131')).toEqual([]);
  });

  test('acknowledged on the client, or on the agent for all its clients', () => {
    const c = clientIn('shop');
    c.metadata.annotations = { 'cdk8s-node-local/acknowledge-NL020': 'an ExternalName alias is created by the platform' };
    expect(lintManifests([...pair(), c]).filter((f) => f.ruleId === ID)).toEqual([]);
    const [ds, svc] = pair();
    ds.metadata.annotations = { 'cdk8s-node-local/acknowledge-NL020': 'every client namespace has an ExternalName alias' };
    expect(lintManifests([ds, svc, clientIn('shop')]).filter((f) => f.ruleId === ID)).toEqual([]);
  });
});

describe('NL131 client-short-name-other-service', () => {
  const ID = 'NL131';
  const gateway = { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC_NAME, namespace: 'shop' }, spec: { selector: { app: 'gw' }, ports: [{ port: 53 }] } };

  test('warns if the short name reaches another Service of the client\'s namespace', () => {
    const finding = single(lintBoth([...pair(), clientIn('shop'), gateway], ID));
    expect(finding).toMatchObject({ severity: Severity.WARNING, resource: { kind: 'Deployment', name: CLIENT_NAME, namespace: 'shop' } });
    expect(finding.message).toBe(`Deployment shop/${CLIENT_NAME} sends to "${SVC_NAME}" (env DNS_SERVER of container "app" is `
      + `"${SVC_NAME}:53"), a short name that resolves in its own namespace shop, to Service shop/${SVC_NAME}: not to the node-local `
      + `${SVC}, which has the same name in another namespace`);
    expect(finding.fix).toBe(`If Deployment shop/${CLIENT_NAME} is meant to reach the node-local agent, name it ${FQDN} (with your cluster `
      + `domain); if it is meant to reach Service shop/${SVC_NAME}, keep it and acknowledge NL131 on Deployment shop/${CLIENT_NAME}`);
    expect(lintBoth([...pair(), clientIn('shop'), gateway], 'NL020')).toEqual([]);
  });

  test('no other Service, no warning (NL020 reports it); a name that matches no node-local Service, no warning', () => {
    expect(lintBoth([...pair(), clientIn('shop')], ID)).toEqual([]);
    expect(lintBoth([...pair(), clientIn('shop', 'gateway:53'), { ...gateway, metadata: { name: 'gateway', namespace: 'shop' } }], ID)).toEqual([]);
  });
});
