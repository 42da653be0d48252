/**
 * Writes docs/rules.md from the rules in src/rules; with --check, writes nothing and exits 1
 * when docs/rules.md is not what the rules produce (for CI).
 *
 *   npx ts-node --project test/tsconfig.json scripts/rules-catalog.ts [--check]
 */
import * as fs from 'fs';
import * as path from 'path';
import { CATALOG_COMMAND, renderRulesCatalog } from '../src/lint/catalog';
import { ALL_RULES, RESERVED_RULE_IDS, RETIRED_RULES } from '../src/rules';

const target = path.join(__dirname, '..', 'docs', 'rules.md');
const expected = renderRulesCatalog(ALL_RULES, RESERVED_RULE_IDS, RETIRED_RULES);

if (process.argv.includes('--check')) {
  const actual = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (actual !== expected) {
    process.stderr.write(`docs/rules.md is out of date with src/rules: run ${CATALOG_COMMAND}\n`);
    process.exit(1);
  }
  process.stdout.write('docs/rules.md is up to date\n');
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, expected);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)} (${ALL_RULES.length} rules)\n`);
}
