/** Errors the simulator raises. Each names the field and the value that was wrong. */

/** A bad argument or option: `field` says which, `value` what it was. */
export class SimulationInputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    expectation: string,
  ) {
    super(`${field}: ${expectation}, got ${describeValue(value)}`);
    this.name = "SimulationInputError";
  }
}

/** A run hit one of its bounds (max events, max time, max messages in flight). */
export class SimulationBoundError extends Error {
  constructor(
    readonly bound: string,
    readonly limit: number,
    detail: string,
  ) {
    super(`${bound}=${limit} reached: ${detail}`);
    this.name = "SimulationBoundError";
  }
}

/** A protocol handler broke the model's rules (e.g. no handler for a message type). */
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
  if (typeof value === "symbol") return value.toString();
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    // fall through: not JSON-serialisable (cycles, bigint inside)
  }
  return Object.prototype.toString.call(value);
}
