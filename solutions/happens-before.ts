/**
 * Reference solution of Exercise 3.2 (see exercises/happens-before.ts for the contract): the
 * checkers' happens-before relation (src/checks/happens-before.ts, vector timestamps over a trace),
 * computed once per list of events.
 */
import { HappensBefore } from "../src/checks/happens-before";
import type { TraceEvent } from "../src/sim/trace-events";

/** One event of an execution, at a node. */
export interface NodeEvent {
  readonly node: string;
  /** "send", "receive", or any other kind (a local step). */
  readonly kind: string;
  /** The message sent or received (send and receive events only). */
  readonly msgId?: number;
}

const relations = new WeakMap<readonly NodeEvent[], HappensBefore>();

function relationOf(events: readonly NodeEvent[]): HappensBefore {
  let relation = relations.get(events);
  if (relation === undefined) {
    // As trace events indexed by position; every kind but send and receive is a local step ("log").
    const asTrace = events.map((e, i) => ({
      i, t: i, node: e.node, local: i, kind: e.kind === "send" || e.kind === "receive" ? e.kind : "log", msgId: e.msgId,
    })) as unknown as TraceEvent[];
    relation = new HappensBefore(asTrace);
    relations.set(events, relation);
  }
  return relation;
}

/** a -> b, for positions a and b in events. */
export function happensBefore(events: readonly NodeEvent[], a: number, b: number): boolean {
  return relationOf(events).happensBefore(a, b);
}

/** a || b: a != b and neither a -> b nor b -> a. */
export function concurrent(events: readonly NodeEvent[], a: number, b: number): boolean {
  return relationOf(events).concurrent(a, b);
}
