/**
 * Checkers read traces through this small shape, so they work on a Trace from the simulator, on
 * one reloaded from JSON, or on a hand-built list of events in a test.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";

export interface TraceLike {
  readonly events: readonly TraceEvent[];
  /** The nodes in the simulation's order; if absent, the order in which nodes first appear. */
  readonly nodes?: readonly NodeId[];
}

/** The trace's nodes: its header's list, or every node named by an event, in order of appearance. */
export function nodesOf(trace: TraceLike | readonly TraceEvent[]): NodeId[] {
  const events = eventsOf(trace);
  const seen = new Set<NodeId>(!Array.isArray(trace) && (trace as TraceLike).nodes ? (trace as TraceLike).nodes : []);
  for (const e of events) {
    if ("node" in e) seen.add(e.node);
  }
  return Array.from(seen);
}

export function eventsOf(trace: TraceLike | readonly TraceEvent[]): readonly TraceEvent[] {
  return Array.isArray(trace) ? (trace as readonly TraceEvent[]) : (trace as TraceLike).events;
}
