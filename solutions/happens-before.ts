/**
 * Reference solution of Exercise 3.2 (see exercises/happens-before.ts for the contract), lecture 3,
 * slide "The happens-before relation", read backwards: the events that happen before b are b's
 * direct predecessors (the previous event at b's node; the send of b's message if b is a receipt)
 * and, by transitivity, theirs. So a -> b iff a is found by walking back from b over direct
 * predecessors. One walk per question: O(number of events).
 */

/** One event in a node's log. */
export interface LoggedEvent {
  /** "send", "receive", or any other kind (a local step). */
  readonly kind: string;
  /** The message sent or received (send and receive events only). */
  readonly msgId?: number;
}

/** Each node's log: its events, in the order they happened at that node. */
export type Logs = Readonly<Record<string, readonly LoggedEvent[]>>;

/** An event: its node, and its position in that node's log (0, 1, 2, ...). */
export interface EventRef {
  readonly node: string;
  readonly index: number;
}

/** Where each message was sent, per logs object (built once, on the first question about it). */
const sendsOf = new WeakMap<Logs, Map<number, EventRef>>();

function sends(logs: Logs): Map<number, EventRef> {
  let found = sendsOf.get(logs);
  if (found === undefined) {
    found = new Map();
    for (const [node, log] of Object.entries(logs)) {
      log.forEach((event, index) => {
        if (event.kind !== "send") return;
        if (found!.has(event.msgId as number)) throw new RangeError(`message ${String(event.msgId)} is sent twice (at ${node}, position ${index})`);
        found!.set(event.msgId as number, { node, index });
      });
    }
    sendsOf.set(logs, found);
  }
  return found;
}

function requireEvent(logs: Logs, ref: EventRef, name: string): void {
  const log = Object.prototype.hasOwnProperty.call(logs, ref.node) ? logs[ref.node] : undefined;
  if (log === undefined || !Number.isInteger(ref.index) || ref.index < 0 || ref.index >= log.length) {
    throw new RangeError(`${name} = ${JSON.stringify(ref)} is not an event in the logs`);
  }
}

/** The direct predecessors of an event: the one before it at its node, and for a receipt, the send. */
function predecessors(logs: Logs, ref: EventRef): EventRef[] {
  const out: EventRef[] = [];
  if (ref.index > 0) out.push({ node: ref.node, index: ref.index - 1 });
  const event = logs[ref.node]![ref.index]!;
  if (event.kind === "receive") {
    const send = sends(logs).get(event.msgId as number);
    if (send === undefined) throw new RangeError(`${ref.node} receives message ${String(event.msgId)}, which no log sends`);
    out.push(send);
  }
  return out;
}

/** a -> b. */
export function happensBefore(logs: Logs, a: EventRef, b: EventRef): boolean {
  requireEvent(logs, a, "a");
  requireEvent(logs, b, "b");
  // Walk back from b; at a's node, every event up to a's position reaches a along that node's log.
  const seen = new Set<string>();
  const pending = predecessors(logs, b);
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (c.node === a.node && c.index >= a.index) return true;
    const key = `${c.node}\u0000${c.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pending.push(...predecessors(logs, c));
  }
  return false;
}

/** a || b: a != b and neither a -> b nor b -> a. */
export function concurrent(logs: Logs, a: EventRef, b: EventRef): boolean {
  requireEvent(logs, a, "a");
  requireEvent(logs, b, "b");
  const same = a.node === b.node && a.index === b.index;
  return !same && !happensBefore(logs, a, b) && !happensBefore(logs, b, a);
}
