/**
 * Histories for the linearizability checker (lecture 6, slide "Linearizability"): each operation is
 * an interval from its invocation to its response, with the input the client sent and the output it
 * observed. An operation whose response never came (a timeout, a crashed client) has no response
 * time and an unknown output: it may have taken effect at any point after its invocation, or never.
 */

/** Marks an output that was never observed (the client gave up or crashed). */
export const UNKNOWN = Symbol.for("ds-kit.linearizability.unknown");
export type Unknown = typeof UNKNOWN;

export interface Operation<I, O> {
  /** Who issued it: operations of one client never overlap. */
  readonly client: string | number;
  readonly input: I;
  /** What the client observed, or UNKNOWN. */
  readonly output: O | Unknown;
  /** Invocation time (any unit; only the order of times matters). */
  readonly call: number;
  /** Response time, or null when no response was ever seen (then `output` must be UNKNOWN). */
  readonly ret: number | null;
}

export type History<I, O> = readonly Operation<I, O>[];

/**
 * Checks a history's shape and throws an error naming the first bad operation: times that are not
 * numbers, a response before its invocation, a missing response with a known output, or two
 * operations of one client that overlap (a client waits for each response before its next call).
 */
export function validateHistory<I, O>(history: History<I, O>): void {
  if (!Array.isArray(history)) throw new TypeError(`a history must be an array of operations, got ${typeof history}`);
  const open = new Map<string | number, { index: number; ret: number }>();
  const byCall = history.map((op, index) => ({ op, index })).sort((a, b) => a.op.call - b.op.call || a.index - b.index);
  for (const { op, index } of byCall) {
    const name = `operation ${index} (client ${String(op?.client)})`;
    if (op === null || typeof op !== "object") throw new TypeError(`operation ${index} is not an object`);
    if (typeof op.client !== "string" && typeof op.client !== "number") throw new TypeError(`${name}: client must be a string or a number`);
    if (!Number.isFinite(op.call)) throw new TypeError(`${name}: call must be a finite number, got ${String(op.call)}`);
    if (op.ret !== null && !Number.isFinite(op.ret)) throw new TypeError(`${name}: ret must be a finite number or null, got ${String(op.ret)}`);
    if (op.ret !== null && op.ret < op.call) throw new RangeError(`${name}: responds at ${op.ret}, before its call at ${op.call}`);
    if (op.ret === null && op.output !== UNKNOWN) throw new TypeError(`${name}: has no response, so its output must be UNKNOWN`);
    const previous = open.get(op.client);
    if (previous !== undefined && previous.ret >= op.call) {
      throw new RangeError(`${name}: called at ${op.call} while the client's operation ${previous.index} was still open (until ${previous.ret === Infinity ? "never" : previous.ret})`);
    }
    open.set(op.client, { index, ret: op.ret ?? Infinity });
  }
}

/**
 * Builds a history from a list of events in the order they happened (the format of Jepsen, Knossos
 * and porcupine logs): an `invoke` opens a client's operation, the next `ok` of that client closes
 * it; an operation still open at the end has an unknown output. Times are the events' positions.
 */
export function historyFromEvents<I, O>(
  events: readonly { readonly client: string | number; readonly type: "invoke" | "ok" | "unknown" | "dropped"; readonly input?: I; readonly output?: O | Unknown }[],
): Operation<I, O>[] {
  const open = new Map<string | number, { client: string | number; input: I; call: number }>();
  const operations: (Operation<I, O> | undefined)[] = [];
  const slot = new Map<string | number, number>();
  events.forEach((event, time) => {
    if (event.type === "invoke") {
      if (open.has(event.client)) throw new RangeError(`event ${time}: client ${String(event.client)} invokes while its previous operation is still open`);
      open.set(event.client, { client: event.client, input: event.input as I, call: time });
      slot.set(event.client, operations.length);
      operations.push(undefined);
      return;
    }
    const pending = open.get(event.client);
    if (pending === undefined) throw new RangeError(`event ${time}: client ${String(event.client)} completes an operation it never invoked`);
    const at = slot.get(event.client) as number;
    open.delete(event.client);
    if (event.type === "ok") operations[at] = { ...pending, output: event.output as O | Unknown, ret: time };
    else if (event.type === "unknown") operations[at] = { ...pending, output: UNKNOWN, ret: null };
    // "dropped": the operation certainly did not take effect (Knossos' :fail); it leaves the history
  });
  for (const [client, pending] of open) operations[slot.get(client) as number] = { ...pending, output: UNKNOWN, ret: null };
  return operations.filter((op): op is Operation<I, O> => op !== undefined);
}
