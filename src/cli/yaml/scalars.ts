// What a YAML scalar means as kubectl reads it. kubectl converts YAML to JSON with
// sigs.k8s.io/yaml, which decodes with its fork of go-yaml v2: YAML 1.1 booleans (yes, on, y),
// Go's integer syntax (0755, 0x1F, 0o17, 0b101, underscores anywhere), and no sexagesimal numbers
// (1:30 is the string "1:30"). The tables in test/cli/yaml/kubectl-values.test.ts were recorded
// from kubectl 1.32 and keep this file honest.

/** A scalar kubectl cannot turn into JSON, or a tag its value does not fit; the message is one line. */
export class ScalarError extends Error {}

/** How a scalar resolved: the JSON value, and its YAML type (map keys are written by type). */
export interface ResolvedScalar {
  readonly value: string | number | boolean | null;
  readonly type: 'str' | 'int' | 'uint' | 'float' | 'bool' | 'null';
  /** An integer's exact decimal digits (the JSON number may round it; a map key does not). */
  readonly decimal?: string;
}

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';

const TRUE: ResolvedScalar = { value: true, type: 'bool' };
const FALSE: ResolvedScalar = { value: false, type: 'bool' };
const NULL: ResolvedScalar = { value: null, type: 'null' };
const NOT_JSON = { type: 'float' as const };

const WORDS = new Map<string, ResolvedScalar | typeof NOT_JSON>();
for (const word of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) WORDS.set(word, TRUE);
for (const word of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) WORDS.set(word, FALSE);
for (const word of ['', '~', 'null', 'Null', 'NULL']) WORDS.set(word, NULL);
for (const word of ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']) WORDS.set(word, NOT_JSON);

/** go-yaml tries numbers only on text that starts with a digit, a sign or a dot. */
const NUMBER_START = /^[-+0-9]/;
/** go-yaml's test for a decimal float (after removing underscores). */
const DECIMAL_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const INT64_MAX = BigInt('9223372036854775807');
const INT64_MIN = BigInt('-9223372036854775808');
const UINT64_MAX = BigInt('18446744073709551615');

/**
 * Resolves a scalar as kubectl does.
 *
 * @param text the scalar's content (quotes removed, lines folded)
 * @param plain whether it was written without quotes and not as a block scalar
 * @param tag its explicit tag, in full (`tag:yaml.org,2002:int`), or undefined
 * @throws ScalarError when kubectl refuses it (`.inf`, `.nan`, `!!int abc`)
 */
export function resolveScalar(text: string, plain: boolean, tag: string | undefined): ResolvedScalar {
  if (tag === undefined) {
    return plain ? implicit(text) : { value: text, type: 'str' };
  }
  const name = tag.startsWith(YAML_TAG_PREFIX) ? tag.slice(YAML_TAG_PREFIX.length) : undefined;
  switch (name) {
    case 'str':
    case 'timestamp':
      // go-yaml hands timestamps to sigs.k8s.io/yaml as the text they were written as
      return { value: text, type: 'str' };
    case 'binary':
      return { value: Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf-8'), type: 'str' };
    case 'int':
    case 'float':
    case 'bool':
    case 'null': {
      const resolved = implicit(text);
      const fits = resolved.type === name
        || (name === 'int' && resolved.type === 'uint')
        || (name === 'float' && (resolved.type === 'int' || resolved.type === 'uint'));
      if (!fits) {
        throw new ScalarError(`${JSON.stringify(text)} is not a valid !!${name}`);
      }
      return name === 'float' ? { value: resolved.value, type: 'float' } : resolved;
    }
    default:
      // a tag of an application (!custom), the non-specific `!`, or one go-yaml does not resolve: the text
      return { value: text, type: 'str' };
  }
}

/** A plain scalar without a tag. */
function implicit(text: string): ResolvedScalar {
  const word = WORDS.get(text);
  if (word !== undefined) {
    if (word === NOT_JSON) {
      throw new ScalarError(`${text} is not a number JSON can hold, so kubectl refuses it; quote it ("${text}") if it is text`);
    }
    return word as ResolvedScalar;
  }
  if (NUMBER_START.test(text)) {
    return number(text);
  }
  if (text.charCodeAt(0) === 46 /* . */ && DOT_FLOAT.test(text)) {
    return { value: Number(text), type: 'float' };
  }
  return { value: text, type: 'str' };
}

/** An integer in Go's syntax, else a decimal float, else the text. Underscores are ignored. */
function number(text: string): ResolvedScalar {
  const digits = text.indexOf('_') < 0 ? text : text.replace(/_/g, '');
  const int = goInteger(digits);
  if (int !== undefined) {
    if (int >= INT64_MIN && int <= INT64_MAX) {
      return { value: Number(int), type: 'int', decimal: int.toString() };
    }
    if (int >= BigInt(0) && int <= UINT64_MAX && !/^[-+]/.test(digits)) {
      return { value: Number(int), type: 'uint' };
    }
  }
  if (DECIMAL_FLOAT.test(digits)) {
    const value = Number(digits);
    if (Number.isFinite(value)) {
      return { value: value === 0 ? 0 : value, type: 'float' };
    }
  }
  return { value: text, type: 'str' };
}

/** Go's `strconv.ParseInt(s, 0, ...)` syntax: a sign, then 0x / 0o / 0b / 0 (octal) or decimal digits. */
function goInteger(s: string): bigint | undefined {
  let sign = BigInt(1);
  let rest = s;
  if (rest[0] === '+' || rest[0] === '-') {
    sign = rest[0] === '-' ? BigInt(-1) : BigInt(1);
    rest = rest.slice(1);
  }
  let body: string;
  let valid: RegExp;
  let prefix = '';
  if (/^0[xX]/.test(rest)) {
    [prefix, body, valid] = ['0x', rest.slice(2), /^[0-9a-fA-F]+$/];
  } else if (/^0[oO]/.test(rest)) {
    [prefix, body, valid] = ['0o', rest.slice(2), /^[0-7]+$/];
  } else if (/^0[bB]/.test(rest)) {
    [prefix, body, valid] = ['0b', rest.slice(2), /^[01]+$/];
  } else if (/^0[0-9]/.test(rest)) {
    [prefix, body, valid] = ['0o', rest.slice(1), /^[0-7]+$/];
  } else {
    [body, valid] = [rest, /^[0-9]+$/];
  }
  if (!valid.test(body)) {
    return undefined;
  }
  return sign * BigInt(`${prefix}${body}`);
}

/**
 * The JSON key a resolved map key becomes: sigs.k8s.io/yaml writes integers in decimal, floats
 * as Go's `FormatFloat(f, 'g', -1, 32)`, booleans as true/false, and refuses null keys and
 * keys beyond int64.
 */
export function jsonKey(key: ResolvedScalar): string {
  switch (key.type) {
    case 'str':
      return key.value as string;
    case 'int':
      return key.decimal ?? String(key.value);
    case 'bool':
      return key.value ? 'true' : 'false';
    case 'float':
      return formatFloat32(key.value as number);
    case 'null':
      throw new ScalarError('a map key is null (empty, ~ or null), which kubectl refuses; quote it if it is text');
    default:
      throw new ScalarError(`the map key ${key.value} is beyond the 64-bit signed range, which kubectl refuses; quote it`);
  }
}

/** Go's shortest `%g` of a value rounded to float32, as map keys are written. */
function formatFloat32(value: number): string {
  const f = Math.fround(value);
  if (f === 0) {
    return '0';
  }
  let digits = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const [mantissa, exp] = Math.abs(f).toExponential(precision - 1).split('e');
    if (Math.fround(Number(`${mantissa}e${exp}`)) === Math.abs(f)) {
      digits = mantissa.replace('.', '');
      exponent = Number(exp);
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  // %g switches to an exponent below 1e-4 and from 1e(precision), with precision 6 for the shortest form
  const eprec = digits.length > 6 && digits.length >= exponent + 1 ? digits.length : 6;
  if (exponent < -4 || exponent >= eprec) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  if (exponent < 0) {
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const whole = digits.length > exponent + 1 ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}` : digits.padEnd(exponent + 1, '0');
  return `${sign}${whole}`;
}
