import * as fs from 'fs';
import * as path from 'path';
import { renderRulesCatalog } from '../../src/lint/catalog';
import { Severity } from '../../src/lint/finding';
import { NodeLocalLinter } from '../../src/lint/lint';
import { ALL_RULES, findRule, RESERVED_RULE_IDS, RETIRED_RULES } from '../../src/rules';

describe('the rule catalog', () => {
  test('ids are unique, well-formed, in order, and errors are NL0xx, warnings NL1xx', () => {
    const idList = ALL_RULES.map((r) => r.id);
    expect(new Set(idList).size).toBe(idList.length);
    expect([...idList].sort()).toEqual(idList);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^NL[01]\d\d$/);
      expect(rule.id.startsWith('NL0')).toBe(rule.severity === Severity.ERROR);
    }
  });

  test('the ids the contract fixes keep their names', () => {
    const names = Object.fromEntries(ALL_RULES.map((r) => [r.id, r.name]));
    expect(names).toMatchObject({
      NL000: 'not-a-kubernetes-object',
      NL001: 'service-traffic-policy-not-local',
      NL002: 'service-not-cluster-ip',
      NL003: 'service-external-fields',
      NL004: 'selector-misses-daemonset',
      NL005: 'selector-selects-other-workload',
      NL006: 'target-port-unresolved',
      NL007: 'duplicate-service-port',
      NL008: 'invalid-service-port',
      NL009: 'invalid-service-name',
      NL010: 'surge-with-host-ports',
      NL011: 'invalid-rolling-update',
      NL012: 'daemonset-selector-mismatch',
      NL013: 'client-coverage',
      NL101: 'missing-readiness-probe',
      NL102: 'rollout-gap',
      NL103: 'partial-node-coverage',
      NL104: 'topology-routing-ignored',
      NL106: 'target-port-undeclared',
      NL107: 'client-coverage-unproven',
    });
  });

  test('reserved and retired ids are not used', () => {
    expect(RESERVED_RULE_IDS).toEqual([]);
    expect(RETIRED_RULES.map((r) => r.id)).toEqual(['NL105']);
    for (const id of [...RESERVED_RULE_IDS, ...RETIRED_RULES.map((r) => r.id)]) {
      expect(findRule(id)).toBeUndefined();
    }
  });

  test('every rule is described: kebab-case name, one-line summary, reason with a source, fix', () => {
    for (const rule of ALL_RULES) {
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.summary).not.toMatch(/\n/);
      expect(rule.summary.length).toBeGreaterThan(20);
      expect(rule.reason).toMatch(/https:\/\/(kubernetes\.io|github\.com)\//);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.limits.length).toBeGreaterThan(20);
      expect(rule.trafficModes).toContain('Local');
    }
  });

  test('findRule finds each rule by id', () => {
    for (const rule of ALL_RULES) {
      expect(findRule(rule.id)).toBe(rule);
    }
    expect(findRule('NL999')).toBeUndefined();
    expect(findRule('nl001')).toBeUndefined();
  });

  test('NodeLocalLinter.rules lists every rule without its check', () => {
    const rules = NodeLocalLinter.rules();
    expect(rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    expect(rules[1]).toEqual({
      id: 'NL001',
      name: 'service-traffic-policy-not-local',
      severity: Severity.ERROR,
      summary: ALL_RULES[1].summary,
      reason: ALL_RULES[1].reason,
      fix: ALL_RULES[1].fix,
      limits: ALL_RULES[1].limits,
      trafficModes: ['Local', 'PreferSameNode'],
    });
    // the drop rules say nothing of PreferSameNode pairs, which fall back instead of dropping
    expect(rules.find((r) => r.id === 'NL102')!.trafficModes).toEqual(['Local']);
  });

  test('docs/rules.md is up to date (regenerate with npx projen docs:rules)', () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    expect(onDisk).toBe(renderRulesCatalog(ALL_RULES, RESERVED_RULE_IDS, RETIRED_RULES));
  });

  test('the catalog has a table row and a section per rule', () => {
    const markdown = renderRulesCatalog(ALL_RULES, RESERVED_RULE_IDS, RETIRED_RULES);
    for (const rule of ALL_RULES) {
      expect(markdown).toContain(`| [${rule.id}](#${rule.id.toLowerCase()}-${rule.name}) | \`${rule.name}\` | ${rule.severity} | ${rule.trafficModes.join(', ')} |`);
      expect(markdown).toContain(`## ${rule.id} ${rule.name}\n`);
      expect(markdown).toContain(`**Why:** ${rule.reason}`);
      expect(markdown).toContain(`**What it cannot know:** ${rule.limits}`);
    }
    expect(markdown).toContain('- **NL105 `host-network`:** ');
  });
});
