/** Argument checks shared by the simulator's public API. Each failure names the field and value. */
import { SimulationInputError } from "./errors";

export function requireFiniteNumber(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new SimulationInputError(field, value, "expected a finite number");
  }
  return value;
}

export function requireNonNegative(field: string, value: unknown): number {
  const n = requireFiniteNumber(field, value);
  if (n < 0) throw new SimulationInputError(field, value, "expected a number >= 0");
  return n;
}

export function requirePositive(field: string, value: unknown): number {
  const n = requireFiniteNumber(field, value);
  if (n <= 0) throw new SimulationInputError(field, value, "expected a number > 0");
  return n;
}

export function requireProbability(field: string, value: unknown): number {
  const n = requireFiniteNumber(field, value);
  if (n < 0 || n > 1) throw new SimulationInputError(field, value, "expected a probability in [0, 1]");
  return n;
}

export function requirePositiveInteger(field: string, value: unknown): number {
  const n = requireFiniteNumber(field, value);
  if (!Number.isInteger(n) || n <= 0) throw new SimulationInputError(field, value, "expected an integer > 0");
  return n;
}

export function requireString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new SimulationInputError(field, value, "expected a non-empty string");
  }
  return value;
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new SimulationInputError(field, value, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return value as T;
}

export function requireFunction(field: string, value: unknown): void {
  if (typeof value !== "function") throw new SimulationInputError(field, value, "expected a function");
}

export function rejectUnknownKeys(field: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new SimulationInputError(`${field}.${key}`, (value as Record<string, unknown>)[key],
        `unknown option (known: ${known.join(", ")})`);
    }
  }
}

/** Thrown by the fast copy when it meets something that is not plain data; the slow copy explains. */
const NOT_PLAIN = new Error("not plain data");

function copyFast(value: unknown, depth: number): unknown {
  if (typeof value !== "object") {
    if (typeof value === "function" || typeof value === "symbol") throw NOT_PLAIN;
    return value;
  }
  if (value === null) return value;
  if (depth > 64) throw NOT_PLAIN;
  let out: unknown;
  if (Array.isArray(value)) {
    const arr = new Array(value.length);
    for (let k = 0; k < value.length; k++) arr[k] = copyFast(value[k], depth + 1);
    out = arr;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype) {
      // Spread keeps the object's shape (fast property access in the receiver); then nested values
      // are copied in place of the shared references. Symbol-keyed properties are not data: the
      // spread carries them along, but no trace, JSON or process boundary does.
      const obj: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const key in obj) {
        const v = obj[key];
        if (typeof v === "object") {
          if (v !== null) obj[key] = copyFast(v, depth + 1);
        } else if (typeof v === "function" || typeof v === "symbol") {
          throw NOT_PLAIN;
        }
      }
      out = obj;
    } else if (proto === null) {
      const obj: Record<string, unknown> = Object.create(null);
      for (const key in value) obj[key] = copyFast((value as Record<string, unknown>)[key], depth + 1);
      out = obj;
    } else if (value instanceof Map) {
      const map = new Map();
      for (const [k, v] of value) map.set(copyFast(k, depth + 1), copyFast(v, depth + 1));
      return map;
    } else if (value instanceof Set) {
      const set = new Set();
      for (const v of value) set.add(copyFast(v, depth + 1));
      return set;
    } else {
      throw NOT_PLAIN;
    }
  }
  return out;
}

/**
 * copyPlain for what is sent (an object): the usual message, a plain object whose fields are all
 * primitives, is copied by one spread and one pass over its fields; anything else by copyPlain.
 */
export function copyMessage<T extends object>(msg: T, path: string): T {
  if (Object.getPrototypeOf(msg) !== Object.prototype) return copyPlain(msg, path);
  const copy = { ...msg };
  for (const key in copy) {
    const v: unknown = copy[key];
    if (typeof v === "object" ? v !== null : typeof v === "function" || typeof v === "symbol") return copyPlain(msg, path);
  }
  return copy;
}

/**
 * The same copy as clonePlain, faster: it only builds the path to a bad value when there is one.
 */
export function copyPlain<T>(value: T, path: string): T {
  try {
    return copyFast(value, 0) as T;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return clonePlain(value, path);
  }
}

/**
 * A deep copy of plain data (what messages, requests and stored values must be): primitives,
 * arrays, plain objects, Map, Set, Date-free. Anything else (functions, class instances, symbols,
 * cycles) is an error that names the path to the bad value. Copying on send means a sender that
 * mutates a message after sending cannot change what the receiver gets, as on a real network.
 */
export function clonePlain<T>(value: T, path: string, depth = 0): T {
  if (depth > 64) throw new SimulationInputError(path, "(nested deeper than 64 levels)", "expected plain data without cycles");
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return value;
    case "number":
      return value;
    case "bigint":
      return value;
    case "function":
    case "symbol":
      throw new SimulationInputError(path, value, "expected cloneable plain data (no functions or symbols)");
  }
  if (value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let k = 0; k < value.length; k++) out[k] = clonePlain(value[k], `${path}[${k}]`, depth + 1);
    return out as T;
  }
  if (value instanceof Map) {
    const out = new Map();
    let k = 0;
    for (const [key, v] of value) {
      out.set(clonePlain(key, `${path}.<key ${k}>`, depth + 1), clonePlain(v, `${path}.get(${String(key)})`, depth + 1));
      k++;
    }
    return out as T;
  }
  if (value instanceof Set) {
    const out = new Set();
    for (const v of value) out.add(clonePlain(v, `${path}.<element>`, depth + 1));
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as object).constructor?.name ?? "unknown";
    throw new SimulationInputError(path, value, `expected cloneable plain data (got an instance of ${name})`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object)) {
    out[key] = clonePlain((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
  }
  return out as T;
}
