/**
 * Total accessors over untrusted JSON: the engine reads manifests that may be garbage
 * (`spec: "foo"`, `ports: 7`, null-prototype objects, symbols), and no rule may throw on them.
 */

/** A JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** The value as an object, or undefined for null, arrays and primitives. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/**
 * The value as a dense array (holes of a sparse array become undefined, so callbacks see every
 * index), or an empty array for anything else.
 */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? Array.from(value) : [];
}

/** The value if it is a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value if it is a non-empty string. */
export function asNonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether the value is a safe integer (JSON has no separate integer type). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Reads an own property through a chain of objects; undefined as soon as a step is not an object.
 * Own properties only, so a key like `constructor` never reads the prototype.
 */
export function getIn(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const object = asObject(current);
    if (object === undefined || !Object.prototype.hasOwnProperty.call(object, key)) {
      return undefined;
    }
    current = object[key];
  }
  return current;
}

/**
 * The string entries of a map such as `metadata.labels`; entries whose value is not a string
 * are dropped (the API server would reject them, and they can never match a selector).
 */
export function stringMap(value: unknown): Map<string, string> {
  const result = new Map<string, string>();
  const object = asObject(value);
  if (object === undefined) {
    return result;
  }
  for (const [k, v] of Object.entries(object)) {
    if (typeof v === 'string') {
      result.set(k, v);
    }
  }
  return result;
}

/** Whether a map such as `metadata.labels` has an entry whose value is not a string. */
export function hasNonStringValue(value: unknown): boolean {
  const object = asObject(value);
  return object !== undefined && Object.values(object).some((v) => typeof v !== 'string');
}

/** Escapes one segment of a JSON pointer (RFC 6901). */
function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a JSON pointer (RFC 6901) from a base pointer and more segments. */
export function pointer(base: string, ...segments: Array<string | number>): string {
  return base + segments.map((s) => '/' + escapeSegment(s)).join('');
}

const MAX_SHOWN = 120;

/**
 * Renders any value for a message: JSON when possible, never throws (BigInt, cycles, symbols,
 * null-prototype objects), and long values are cut.
 */
export function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value) ?? describeType(value);
  } catch {
    text = describeType(value);
  }
  return text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN - 3) + '...' : text;
}

function describeType(value: unknown): string {
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'symbol') {
    return 'a symbol';
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  return Array.isArray(value) ? 'an unprintable array' : `an unprintable ${typeof value}`;
}
