// Checks with Prometheus' own grammar and the Prometheus Operator's schema, for the alerts' tests.
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';

/** The part of lezer's syntax tree the check walks. */
interface SyntaxTree {
  iterate(spec: { enter(node: { type: { isError: boolean }; from: number; to: number }): void }): void;
}

// The package is ESM with a CommonJS build: TypeScript's node16 resolution only sees the ESM types,
// so it is required by hand (the CommonJS build is what runs under jest).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: { parse(text: string): SyntaxTree } };

/** The syntax errors of a PromQL expression, as `offset: text`; empty when it parses. */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(`${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      }
    },
  });
  return errors;
}

/** Every expression of a PrometheusRule's groups, with where it is. */
export function expressions(rule: any): Array<{ where: string; expr: string }> {
  return rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => ({ where: `${g.name} ${r.alert}`, expr: r.expr })));
}

/** Asserts that every expression parses. */
export function expectExpressionsParse(rule: any): void {
  const failures = expressions(rule).map(({ where, expr }) => ({ where, errors: promqlErrors(expr) })).filter(f => f.errors.length > 0);
  expect(failures).toEqual([]);
}

/** Asserts that the object is a PrometheusRule the CRD's schema accepts (kinds, required fields, `for` format...). */
export function expectValidPrometheusRule(object: any): void {
  expect(object.apiVersion).toBe('monitoring.coreos.com/v1');
  expect(object.kind).toBe('PrometheusRule');
  expect(() => new PrometheusRule(object).validate()).not.toThrow();
}
