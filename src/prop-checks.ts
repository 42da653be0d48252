// Small checks of untyped input, for props that arrive from JavaScript or through jsii from
// languages without TypeScript's types: each says what it found and what is allowed, and none
// throws anything but an Error, whatever the value (BigInt, Symbol, null-prototype objects,
// sparse arrays, cycles).
import { show } from './lint/json';

/** Checks a value found at `where` (e.g. `containers[0].image`); throws an Error when it is not allowed. */
export type Check = (value: unknown, where: string) => void;

/** Fails with the prop, the value found and what to do. */
export function fail(where: string, value: unknown, problem: string, fix: string): never {
  throw new Error(`${where} ${show(value)} ${problem}: ${fix}`);
}

/** The check, or nothing when the value is undefined (an optional prop left unset). */
export function optional(check: Check): Check {
  return (value, where) => {
    if (value !== undefined) {
      check(value, where);
    }
  };
}

/**
 * A string, with an optional further rule that returns a problem or undefined; `example` is a
 * valid value, or a whole fix when it starts with `use `.
 */
export function aString(example: string, rule?: (text: string) => string | undefined): Check {
  const fix = example.startsWith('use ') ? example : `use a string such as ${example}`;
  return (value, where) => {
    if (typeof value !== 'string') {
      fail(where, value, 'is not a string', fix);
    }
    const problem = rule?.(value);
    if (problem !== undefined) {
      fail(where, value, problem, fix);
    }
  };
}

/** true or false. */
export const aBoolean: Check = (value, where) => {
  if (typeof value !== 'boolean') {
    fail(where, value, 'is not a boolean', 'use true or false');
  }
};

/** A whole number within a range. */
export function anInteger(min: number, max: number): Check {
  return (value, where) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(where, value, 'is not an allowed number', `use a whole number from ${min} to ${max}`);
    }
  };
}

/** One of a few strings, e.g. the values of a cdk8s-plus enum. */
export function oneOf(values: readonly string[], how: string): Check {
  return (value, where) => {
    if (typeof value !== 'string' || !values.includes(value)) {
      fail(where, value, 'is not allowed', `use ${how} (${values.map(v => `'${v}'`).join(', ')})`);
    }
  };
}

/** An instance of a class, made by its factories (e.g. `Probe.fromHttpGet()`). */
export function anInstance(type: Function, how: string): Check {
  return (value, where) => {
    if (!(value instanceof type)) {
      fail(where, value, `is not a ${type.name}`, `use ${how}`);
    }
  };
}

/**
 * An object with fields: a plain object (null prototype included) or a class instance, not null,
 * an array, a function, or a built-in such as a Map, a Date, a typed array or a boxed string.
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Object]';
}

/** An object that passes `isObject` and has no fields but the listed ones. */
export function aClosedStruct(fields: { readonly [field: string]: Check }, example: string): Check {
  const open = aStruct(fields, example);
  const known = Object.keys(fields);
  return (value, where) => {
    open(value, where);
    const unknown = Object.keys(value as object).find(k => !known.includes(k));
    if (unknown !== undefined) {
      throw new Error(`${where}.${unknown} is not a field the construct writes: use only ${known.join(', ')}`);
    }
  };
}

/** An object whose listed fields pass their checks; other fields are left to the caller. */
export function aStruct(fields: { readonly [field: string]: Check }, example: string): Check {
  return (value, where) => {
    if (!isObject(value)) {
      fail(where, value, 'is not an object', `use an object such as ${example}`);
    }
    for (const [field, check] of Object.entries(fields)) {
      check(value[field], `${where}.${field}`);
    }
  };
}

/** A dense array whose items pass the check. */
export function aList(item: Check, example: string, maxLength = 10_000): Check {
  return (value, where) => {
    if (!Array.isArray(value)) {
      fail(where, value, 'is not a list', `use a list such as ${example}`);
    }
    if (value.length > maxLength) {
      throw new Error(`${where} has ${value.length} items: at most ${maxLength} are allowed`);
    }
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) {
        throw new Error(`${where} has a hole at index ${i} (a sparse array): give every item a value`);
      }
      item(value[i], `${where}[${i}]`);
    }
  };
}

/** An object used as a map (labels, annotations): every key and value passes its check. */
export function aMap(key: (key: string, where: string) => void, item: Check, example: string): Check {
  return (value, where) => {
    if (!isObject(value)) {
      fail(where, value, 'is not a map', `use an object such as ${example}`);
    }
    for (const k of Object.keys(value)) {
      key(k, where);
      item(value[k], `${where}[${show(k)}]`);
    }
  };
}

/** An object with a non-empty string `name`, such as an `IServiceAccount` or an `ISecret`. */
export function aNamedObject(how: string): Check {
  return (value, where) => {
    if (!isObject(value) || typeof value.name !== 'string' || value.name === '') {
      fail(where, value, 'is not an object with a name', `use ${how}`);
    }
  };
}
