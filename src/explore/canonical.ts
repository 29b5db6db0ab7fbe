/**
 * Canonical serialisation of plain data, for the explorer's visited set: two values that mean the
 * same thing serialise to the same string, whatever order their object keys were added in, whatever
 * order a Set or Map was filled in. Arrays keep their order (an array is a sequence: a delivery
 * history, a log). Then a 106-bit hash of the string (two 53-bit halves), short enough to keep a
 * million states in memory.
 */

/** Deepest nesting serialised: plain protocol data is never this deep, a cycle always is. */
export const CANONICAL_DEPTH_MAX = 64;

export function canonical(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > CANONICAL_DEPTH_MAX) throw new RangeError(`canonical(): data nested deeper than ${CANONICAL_DEPTH_MAX} levels (a cycle?)`);
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      // JSON.stringify gives null for NaN and Infinity, and "0" for -0: spell them out instead.
      return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : `#${Object.is(value, -0) ? "-0" : String(value)}`;
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "#u";
    case "bigint":
      return `#${String(value)}n`;
    case "function":
    case "symbol":
      throw new TypeError(`canonical(): expected plain data, got a ${typeof value}`);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let k = 0; k < value.length; k++) out += (k === 0 ? "" : ",") + write(value[k], depth + 1);
    return out + "]";
  }
  if (value instanceof Map) {
    const entries: string[] = [];
    for (const [key, v] of value) entries.push(`${write(key, depth + 1)}:${write(v, depth + 1)}`);
    entries.sort();
    return `#M{${entries.join(",")}}`;
  }
  if (value instanceof Set) {
    const elements: string[] = [];
    for (const v of value) elements.push(write(v, depth + 1));
    elements.sort();
    return `#S[${elements.join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const v = record[key];
    if (v === undefined) continue; // { a: undefined } and {} are the same state
    out += (out.length === 1 ? "" : ",") + JSON.stringify(key) + ":" + write(v, depth + 1);
  }
  return out + "}";
}

/** cyrb53 (a public-domain string hash): 53 bits from two 32-bit lanes. */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * A 106-bit hash of a string, as a short string (two base-36 numbers). With a million states the
 * chance that two different states share a hash is about 10^-20.
 */
export function hashString(text: string): string {
  return `${cyrb53(text, 0).toString(36)}.${cyrb53(text, 0x9e3779b9).toString(36)}`;
}
