// The command's engine entry, lintWithAcknowledged: what lintManifests returns, plus the
// acknowledged findings with their reason, and each finding's pair partners.
import * as fc from 'fast-check';
import { lintManifests, lintWithAcknowledged } from '../../src/lint/lint';
import { client } from '../rules/client-fixtures';
import { pair } from '../rules/fixtures';

const gap = (ds: any) => {
  ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } };
};
const acknowledge = (object: any, ruleId: string, reason: string) => {
  object.metadata.annotations = { ...object.metadata.annotations, [`cdk8s-node-local/acknowledge-${ruleId}`]: reason };
};

describe('lintWithAcknowledged', () => {
  test('returns an acknowledged finding with the reason and the object that carries the annotation', () => {
    const manifests = pair((ds) => {
      gap(ds);
      acknowledge(ds, 'NL102', 'the agent holds a host port');
    });
    expect(lintManifests(manifests)).toEqual([]);
    const all = lintWithAcknowledged(manifests);
    expect(all.map(f => [f.finding.ruleId, f.acknowledgement])).toEqual([['NL102', { reason: 'the agent holds a host port', index: 0 }]]);
  });

  test('a blank reason acknowledges nothing, as in lintManifests', () => {
    const manifests = pair((ds) => {
      gap(ds);
      acknowledge(ds, 'NL102', '  ');
    });
    expect(lintWithAcknowledged(manifests).map(f => [f.finding.ruleId, f.acknowledgement])).toEqual([['NL102', undefined]]);
  });

  test('relates a finding on the DaemonSet to its Service, and a client\'s to the agent\'s DaemonSet and Service', () => {
    const manifests = [...pair((ds) => {
      gap(ds);
      ds.spec.template.spec.nodeSelector = { pool: 'general' };
    }), client({ nodeSelector: { pool: 'gpu' } })];
    const byRule = new Map(lintWithAcknowledged(manifests).map(f => [f.finding.ruleId, f.related]));
    expect(byRule.get('NL102')).toEqual([1]);
    expect(byRule.get('NL013')).toEqual([0, 1]);
  });

  test('without the acknowledged findings, returns exactly what lintManifests returns, in its order', () => {
    const rules = ['NL101', 'NL102', 'NL103', 'NL105'];
    fc.assert(fc.property(fc.subarray(rules), fc.boolean(), fc.boolean(), (acknowledged, hostNetwork, noProbe) => {
      const manifests = pair((ds) => {
        gap(ds);
        delete ds.spec.template.spec.tolerations;
        ds.spec.template.spec.hostNetwork = hostNetwork;
        if (noProbe) {
          delete ds.spec.template.spec.containers[0].readinessProbe;
        }
        acknowledged.forEach(id => acknowledge(ds, id, `reason for ${id}`));
      });
      const all = lintWithAcknowledged(manifests);
      expect(all.filter(f => !f.acknowledgement).map(f => f.finding)).toEqual(lintManifests(manifests));
      for (const f of all.filter(r => r.acknowledgement)) {
        expect(acknowledged).toContain(f.finding.ruleId);
        expect(f.acknowledgement!.reason).toBe(`reason for ${f.finding.ruleId}`);
      }
    }));
  });
});
