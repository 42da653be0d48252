import { DS, DS_REF, lintBoth, pair, single } from './fixtures';
import { Severity } from '../../src/lint/finding';

const ID = 'NL010';

describe('NL010 surge-with-host-ports', () => {
  test('surging without host ports is compliant', () => {
    expect(lintBoth(pair(), ID)).toEqual([]);
  });

  test('host ports without surge are compliant', () => {
    expect(lintBoth(pair((ds) => {
      ds.spec.template.spec.hostNetwork = true;
      ds.spec.updateStrategy.rollingUpdate = { maxSurge: '0%', maxUnavailable: 1 };
    }), ID)).toEqual([]);
  });

  test('fails if a hostNetwork DaemonSet surges', () => {
    const finding = single(lintBoth(pair((ds) => { ds.spec.template.spec.hostNetwork = true; }), ID));
    expect(finding).toEqual({
      ruleId: ID,
      ruleName: 'surge-with-host-ports',
      severity: Severity.ERROR,
      resource: DS_REF,
      path: '/spec/updateStrategy/rollingUpdate/maxSurge',
      manifestIndex: 0,
      message: `${DS} rolls out with maxSurge 1 while its pods hold ports on the node (hostNetwork: true): the surge pod `
        + 'cannot bind the port the old pod still holds, so it never becomes ready, the old pod is never replaced and the rollout is stuck',
      fix: `Set spec.updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}} on ${DS}, or `
        + 'remove hostNetwork: true so the pods can surge',
    });
  });

  test('fails if a container with a hostPort surges by percentage', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.template.spec.containers[0].ports[0].hostPort = 53;
      ds.spec.updateStrategy.rollingUpdate.maxSurge = '10%';
    }), ID));
    expect(finding.message).toContain('rolls out with maxSurge "10%" while its pods hold ports on the node (container "main" hostPort 53/UDP)');
  });

  test('fails if a sidecar holds a hostPort', () => {
    const finding = single(lintBoth(pair((ds) => {
      ds.spec.template.spec.initContainers = [{ name: 'proxy', image: 'p', restartPolicy: 'Always', ports: [{ containerPort: 9153, hostPort: 9153 }] }];
    }), ID));
    expect(finding.message).toContain('(init container "proxy" hostPort 9153/TCP)');
  });
});
