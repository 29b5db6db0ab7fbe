/**
 * From a simulator trace to a linearizability history (lecture 6, slide "From the client's point of
 * view"): only what clients observe counts, when each operation was requested and when and what it
 * returned. A request carrying an `opId` opens an operation at its node (the client, unless the
 * request names a `client`); the application delivery `{ type: "ok", opId, output }` at that node
 * closes it. An operation with no reply by the end of the trace (its node crashed, or it is still
 * running) has an unknown output: it may or may not have taken effect.
 *
 * `registerOperation` maps the requests of src/protocols/consistency (get/set, get/CAS) to the
 * checker's register operations, and `keyedCasRegister` is the model for them: one CAS register per
 * key, checked key by key.
 */
import type { TraceEvent } from "../sim/trace-events";
// Not ./linearizability/index: its readers do not compile under tslab (strict off).
import { UNKNOWN, type History, type Operation, type Unknown } from "./linearizability/history";
import { casRegister, type Model, type RegisterInput, type RegisterOutput, type RegisterValue } from "./linearizability/models";
import { eventsOf, type TraceLike } from "./trace-like";

/** A register operation on one key. */
export type KeyedRegisterInput = RegisterInput & { readonly key: string };

/** A client operation read from a trace, with the trace indices of its request and reply. */
export type TracedOperation<I, O> = Operation<I, O> & { readonly opId: string; readonly node: string; readonly events: number[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * The client operations of a trace as a history. `toInput` turns a request into the model's input
 * (undefined: not a client operation, skipped); times are the trace's global times in ms.
 */
export function historyFromTrace<I = KeyedRegisterInput, O = RegisterOutput>(
  trace: TraceLike | readonly TraceEvent[],
  toInput: (request: Record<string, unknown>) => I | undefined = registerOperation as unknown as (request: Record<string, unknown>) => I | undefined,
): TracedOperation<I, O>[] {
  const events = eventsOf(trace);
  const open = new Map<string, { op: Omit<TracedOperation<I, O>, "output" | "ret">; at: number }>();
  const operations: (TracedOperation<I, O> | undefined)[] = [];
  for (const e of events) {
    if (e.kind === "request" && isRecord(e.request) && typeof e.request.opId === "string") {
      const input = toInput(e.request);
      if (input === undefined) continue;
      const key = `${e.node}\u0000${e.request.opId}`;
      if (open.has(key)) throw new RangeError(`historyFromTrace: operation ${e.request.opId} requested twice at ${e.node} (trace event ${e.i})`);
      const client = typeof e.request.client === "string" || typeof e.request.client === "number" ? e.request.client : e.node;
      open.set(key, { op: { client, input, call: e.t, opId: e.request.opId, node: e.node, events: [e.i] }, at: operations.length });
      operations.push(undefined);
      continue;
    }
    if (e.kind === "deliver" && e.app && isRecord(e.value) && e.value.type === "ok" && typeof e.value.opId === "string") {
      const key = `${e.node}\u0000${e.value.opId}`;
      const pending = open.get(key);
      if (pending === undefined) continue;
      open.delete(key);
      operations[pending.at] = { ...pending.op, output: e.value.output as O, ret: e.t, events: [...pending.op.events, e.i] };
      continue;
    }
    // A crash loses the operations running at the node: they never reply.
    if (e.kind === "crash") {
      for (const [key, pending] of open) {
        if (pending.op.node !== e.node) continue;
        open.delete(key);
        operations[pending.at] = { ...pending.op, output: UNKNOWN as Unknown, ret: null };
      }
    }
  }
  for (const pending of open.values()) operations[pending.at] = { ...pending.op, output: UNKNOWN as Unknown, ret: null };
  return operations.filter((op): op is TracedOperation<I, O> => op !== undefined);
}

function registerValue(value: unknown, what: string): RegisterValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" || typeof value === "string") return value;
  throw new TypeError(`registerOperation: ${what} must be a number, a string or null, got ${JSON.stringify(value)}`);
}

/**
 * `{ type: "get", key | x }` -> read, `{ type: "set", key, value }` -> write, `{ type: "CAS", x, old, new }`
 * -> cas; anything else is not a register operation (undefined).
 */
export function registerOperation(request: Record<string, unknown>): KeyedRegisterInput | undefined {
  const key = typeof request.key === "string" ? request.key : typeof request.x === "string" ? request.x : undefined;
  if (key === undefined) return undefined;
  if (request.type === "get") return { op: "read", key };
  if (request.type === "set") return { op: "write", key, value: registerValue(request.value, "a set's value") };
  if (request.type === "CAS") return { op: "cas", key, from: registerValue(request.old, "a CAS's old value"), to: registerValue(request.new, "a CAS's new value") };
  return undefined;
}

/** One CAS register per key (initially null), checked key by key. Reads see null before any write. */
export function keyedCasRegister(initial: RegisterValue = null): Model<RegisterValue, KeyedRegisterInput, RegisterOutput> {
  const one = casRegister(initial);
  return {
    name: `CAS registers by key (initially ${initial === null ? "nil" : String(initial)})`,
    init: one.init,
    step: (state, input, output) => one.step(state, input, output),
    stateKey: one.stateKey,
    partition: (input) => input.key,
    describe: (input, output) => `${input.key}: ${one.describe(input, output)}`,
  };
}

/** The plain history (without the trace bookkeeping), e.g. to pass on as data. */
export function plainHistory<I, O>(operations: readonly TracedOperation<I, O>[]): History<I, O> {
  return operations.map(({ client, input, output, call, ret }) => ({ client, input, output, call, ret }));
}

/**
 * A register history written by hand, one operation per row: [client, operation, args, invocation
 * time, response time (null: never), result]. Operations: "read"/"get" (args []), "write"/"set"
 * ([value]), "cas" ([old, new], result true or false). A result of "?" means unknown. For a lecturer
 * posing "is this history linearizable?".
 */
export type HandRow = readonly [client: string | number, operation: string, args: readonly RegisterValue[], call: number, ret: number | null, result?: RegisterValue | boolean | "?"];

export function registerHistory(rows: readonly HandRow[]): Operation<RegisterInput, RegisterOutput>[] {
  if (!Array.isArray(rows)) throw new TypeError("registerHistory: expected an array of rows [client, operation, args, call, ret, result]");
  return rows.map((row, i) => {
    if (!Array.isArray(row) || row.length < 5) throw new TypeError(`registerHistory: row ${i} must be [client, operation, args, call, ret, result], got ${JSON.stringify(row)}`);
    const [client, operation, args, call, ret, result] = row;
    if (!Array.isArray(args)) throw new TypeError(`registerHistory: row ${i}: args must be an array, got ${JSON.stringify(args)}`);
    const need = (n: number) => {
      if (args.length !== n) throw new RangeError(`registerHistory: row ${i}: ${operation} takes ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`);
    };
    let input: RegisterInput;
    if (operation === "read" || operation === "get") {
      need(0);
      input = { op: "read" };
    } else if (operation === "write" || operation === "set") {
      need(1);
      input = { op: "write", value: args[0] };
    } else if (operation === "cas") {
      need(2);
      input = { op: "cas", from: args[0], to: args[1] };
    } else throw new RangeError(`registerHistory: row ${i}: unknown operation ${JSON.stringify(operation)} (read, write, cas)`);
    const unknown = ret === null || result === "?";
    const output = unknown ? UNKNOWN : input.op === "write" ? null : (result as RegisterOutput);
    if (!unknown && input.op !== "write" && result === undefined) throw new TypeError(`registerHistory: row ${i}: a ${operation} needs its result`);
    return { client, input, output, call, ret };
  });
}
