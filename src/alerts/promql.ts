// Small pieces of PromQL and of Prometheus' rule format, written so that any name read from a
// manifest ends up quoted, never parsed as query syntax.

/** One label matcher of a selector. */
export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** `label="value"`. */
export function eq(label: string, value: string): Matcher {
  return { label, op: '=', value };
}

/** `label=~"a|b"`, or `label="a"` for one value: the values are matched literally. */
export function oneOf(label: string, values: readonly string[]): Matcher {
  return values.length === 1 ? eq(label, values[0]) : { label, op: '=~', value: values.map(regexLiteral).join('|') };
}

/** A PromQL string literal: double-quoted, with backslashes, quotes and line breaks escaped. */
export function stringLiteral(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** A regular expression (RE2) that matches exactly `value`. */
export function regexLiteral(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** `metric{a="1", b=~"x|y"}`. */
export function selector(metric: string, matchers: readonly Matcher[]): string {
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${stringLiteral(m.value)}`).join(', ')}}`;
}

/** Indents every line but the first, to nest a multi-line expression in another. */
export function indent(expression: string, by = 2): string {
  return expression.split('\n').join(`\n${' '.repeat(by)}`);
}

/** What a Prometheus label name must look like (names starting with `__` are reserved). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `name` cannot be a label of an alert, or undefined when it can. */
export function labelNameError(name: string): string | undefined {
  if (!LABEL_NAME.test(name)) {
    return 'is not a Prometheus label name: use letters, digits and _, not starting with a digit';
  }
  if (name.startsWith('__')) {
    return 'starts with __, which Prometheus reserves for its own labels';
  }
  return undefined;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * A whole number of milliseconds as a Prometheus duration, largest units first: `90000` is
 * `1m30s`, `0` is `0s`.
 */
export function promDuration(milliseconds: number): string {
  let rest = milliseconds;
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text === '' ? '0s' : text;
}
