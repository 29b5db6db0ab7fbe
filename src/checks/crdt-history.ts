/**
 * Judging a replicated map that never waits (lecture 8, slides "The CAP theorem" and "Eventual
 * consistency") with the same checkers as the registers of lecture 6:
 *
 *  - `mapClientHistory`: the map CRDTs' client operations as a linearizability history. A set
 *    `{ type: "set", k, v }` returns at once (the replica applies it locally and broadcasts it
 *    later); a read `{ type: "read", k }` returns what the replica delivers to the application,
 *    `{ read: k, value }`, in the same step. checkLinearizable with keyedCasRegister() then says
 *    whether the run could have come from one copy of the map: a stale read during a partition
 *    makes it fail, which is the price of answering without waiting.
 *  - `checkReplicasAgree`: convergence, on the replicas' states read after the run (for protocols
 *    that do not announce their state in the trace, unlike checkConvergence's replicas).
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, type CheckResult } from "./check-result";
import type { KeyedRegisterInput, TracedOperation } from "./client-history";
import { viewText } from "./convergence";
import type { RegisterOutput } from "./linearizability/models";
import { eventsOf, type TraceLike } from "./trace-like";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function registerValue(value: unknown, where: string): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  throw new TypeError(`mapClientHistory: ${where} must be a string, a number or null to be checked as a register, got ${JSON.stringify(value)}`);
}

/**
 * The set and read requests of a map CRDT run as a history (times in ms). A read whose answer is
 * not delivered in the same step is an error naming the request, not an operation left open: the
 * map CRDTs answer reads locally, at once.
 */
export function mapClientHistory(trace: TraceLike | readonly TraceEvent[]): TracedOperation<KeyedRegisterInput, RegisterOutput>[] {
  const events = eventsOf(trace);
  const operations: TracedOperation<KeyedRegisterInput, RegisterOutput>[] = [];
  events.forEach((e, index) => {
    if (e.kind !== "request" || !isRecord(e.request) || typeof e.request.k !== "string") return;
    const key = e.request.k;
    const opId = `${e.node}@${e.i}`;
    if (e.request.type === "set") {
      operations.push({ client: e.node, input: { op: "write", key, value: registerValue(e.request.v, `the value set at ${e.node} (event ${e.i})`) }, output: null, call: e.t, ret: e.t, opId, node: e.node, events: [e.i] });
      return;
    }
    if (e.request.type !== "read") return;
    const answer = events.slice(index + 1).find((d) => d.kind === "deliver" && d.app && d.node === e.node && isRecord(d.value) && d.value.read === key);
    if (answer === undefined || answer.t !== e.t || answer.kind !== "deliver") {
      throw new RangeError(`mapClientHistory: the read of ${key} at ${e.node} (event ${e.i}, ${e.t} ms) was not answered at once with { read: "${key}", value }`);
    }
    const output = registerValue((answer.value as { value?: unknown }).value, `the value read at ${e.node} (event ${answer.i})`);
    operations.push({ client: e.node, input: { op: "read", key }, output, call: e.t, ret: answer.t, opId, node: e.node, events: [e.i, answer.i] });
  });
  return operations;
}

/** Convergence of replicas' final states (compared as canonical JSON): one violation per replica unlike the first. */
export function checkReplicasAgree(states: Readonly<Record<NodeId, unknown>>): CheckResult {
  const nodes = Object.keys(states);
  if (nodes.length === 0) throw new RangeError("checkReplicasAgree: no replicas given");
  const [first, ...rest] = nodes;
  const reference = viewText(states[first]);
  return checkResult(rest.flatMap((node) => {
    const text = viewText(states[node]);
    return text === reference ? [] : [{ property: "convergence", message: `replicas ${first} and ${node} ended in different states: ${first} has ${reference}, ${node} has ${text}`, events: [] }];
  }));
}
