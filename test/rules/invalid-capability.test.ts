import { CLIENT, CLIENT_REF, client, PAIR } from './client-fixtures';
import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { capabilityProblem, LINUX_CAPABILITIES } from '../../src/lint/capabilities';
import { Severity } from '../../src/lint/finding';

/** The fixture pair with capabilities on the agent's container. */
function agentWith(capabilities: unknown): any[] {
  return pair((ds) => { ds.spec.template.spec.containers[0].securityContext.capabilities = capabilities; });
}

describe('NL019 invalid-capability', () => {
  const ID = 'NL019';

  test.each([
    ['every Linux capability without the prefix', { add: [...LINUX_CAPABILITIES], drop: ['ALL'] }],
    ['ALL in add and drop', { add: ['ALL'], drop: ['ALL'] }],
    ['lower case names, which container runtimes upper-case', { add: ['net_admin'], drop: ['all'] }],
    ['no capabilities', undefined],
  ])('%s is compliant', (_, capabilities) => {
    expect(lintBoth(agentWith(capabilities), ID)).toEqual([]);
  });

  test('fails if a capability carries the CAP_ prefix, as cdk8s-plus-27 writes it', () => {
    const finding = single(lintBoth(agentWith({ add: ['CAP_NET_ADMIN'], drop: ['ALL'] }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'invalid-capability',
      severity: Severity.ERROR,
      resource: DS_REF,
      path: '/spec/template/spec/containers/0/securityContext/capabilities/add/0',
      manifestIndex: 0,
      message: `${DS}: container "main" securityContext.capabilities.add[0] "CAP_NET_ADMIN" carries the kernel's CAP_ prefix: `
        + 'containerd adds the prefix itself and asks runc for CAP_CAP_NET_ADMIN, which runc ignores with a warning (older runc '
        + 'refuses to start the container), so the container runs without NET_ADMIN; an agent that runs without its '
        + 'capabilities, or does not start, leaves the node-local Service without an endpoint on every node',
      fix: `In ${DS}, write NET_ADMIN instead of "CAP_NET_ADMIN" in add of container "main"`,
    });
  });

  test('fails once for every bad entry of every container, at the first one', () => {
    const [ds, svc] = agentWith({ drop: ['CAP_SYS_ADMIN', 'FOO'] });
    ds.spec.template.spec.initContainers = [{ name: 'init', image: 'x', securityContext: { capabilities: { add: [42] } } }];
    const finding = single(lintBoth([ds, svc], ID));
    expect(finding.path).toBe('/spec/template/spec/containers/0/securityContext/capabilities/drop/0');
    expect(finding.message).toContain('so SYS_ADMIN is not dropped');
    expect(finding.message).toContain('drop[1] "FOO" is not a Linux capability: CRI-O refuses to create the container');
    expect(finding.message).toContain('init container "init" securityContext.capabilities.add[0] 42 is not a capability name');
    expect(finding.fix).toContain('replace "FOO" in drop of container "main" with the capability meant');
  });

  test('CAP_ALL is not a capability', () => {
    expect(capabilityProblem('CAP_ALL')).toEqual({ kind: 'unknown' });
    expect(capabilityProblem('cap_net_raw')).toEqual({ kind: 'prefixed', name: 'NET_RAW' });
  });
});

describe('NL110 client-invalid-capability', () => {
  const ID = 'NL110';

  test('a client with valid names is compliant', () => {
    const c = client({ securityContext: {} });
    c.spec.template.spec.containers[0].securityContext = { capabilities: { drop: ['ALL'] } };
    expect(lintBoth([...pair(), c], ID)).toEqual([]);
  });

  test('a workload that is no client is not checked', () => {
    const c = client({}, 'no-agent-here:53');
    c.spec.template.spec.containers[0].securityContext = { capabilities: { add: ['CAP_NET_RAW'] } };
    expect(lintBoth([...pair(), c], ID)).toEqual([]);
  });

  test('fails (warning) if a client names a prefixed capability, on the client, for its pair', () => {
    const c = client();
    c.spec.template.spec.containers[0].securityContext = { capabilities: { add: ['CAP_NET_RAW'] } };
    const finding = single(lintBoth([...pair(), c], ID));
    expect(finding).toMatchObject({ severity: Severity.WARNING, resource: CLIENT_REF, pair: PAIR, manifestIndex: 2 });
    expect(finding.message).toMatch(new RegExp(`^${CLIENT} sends to .*: container "app" securityContext.capabilities.add\\[0\\] "CAP_NET_RAW" carries`));
  });
});
