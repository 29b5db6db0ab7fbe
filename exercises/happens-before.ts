/**
 * Exercise 3.2: the happens-before relation (lecture 3, slide "The happens-before relation").
 *
 * An event is something happening at one node: sending a message, receiving one, or a local step.
 * Event a happens before event b (a -> b) iff
 *   - a and b occurred at the same node, and a came first in that node's execution; or
 *   - a is the sending of some message m and b is a receipt of that same m; or
 *   - there is an event c with a -> c and c -> b.
 * a and b are concurrent (a || b) when a != b and neither a -> b nor b -> a.
 *
 * `events` lists the events of one execution in an order the execution could have happened in:
 * each node's events in its own order, and every message's send before its receipts. Events are
 * referred to by their position in the list (0, 1, 2, ...). A `send` and a `receive` carry the
 * message's `msgId`; every other kind ("local", "deliver", "timer", "request", "log", ...) is a
 * local step. A message may be received more than once (a duplicating network: every copy is a
 * receipt of the same send) or never (it was lost). Node events of a simulator trace fit this type:
 * `trace.events.filter(isNodeEvent)` from src/checks.
 *
 * What the tests observe: for random executions at 2-5 nodes (messages reordered, lost, duplicated),
 * happensBefore(events, a, b) and concurrent(events, a, b) for every pair of positions, including
 * a = b (both false: an event neither happens before itself nor is concurrent with itself).
 */

/** One event of an execution, at a node. */
export interface NodeEvent {
  readonly node: string;
  /** "send", "receive", or any other kind (a local step). */
  readonly kind: string;
  /** The message sent or received (send and receive events only). */
  readonly msgId?: number;
}

/** a -> b, for positions a and b in events. */
export function happensBefore(events: readonly NodeEvent[], a: number, b: number): boolean {
  throw new Error("Exercise 3.2 not implemented yet: happensBefore");
}

/** a || b: a != b and neither a -> b nor b -> a. */
export function concurrent(events: readonly NodeEvent[], a: number, b: number): boolean {
  throw new Error("Exercise 3.2 not implemented yet: concurrent");
}
