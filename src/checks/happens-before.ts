/**
 * The happens-before relation over a trace (lecture 3, slide "The happens-before relation"):
 *   a -> b  iff  a and b are at the same node and a comes first there; or a is the sending of a
 *   message and b its receipt; or a -> c and c -> b for some event c.
 * Otherwise a and b are concurrent (a || b).
 *
 * Instead of a transitive-closure matrix, this walks the trace once and gives every node event a
 * vector timestamp (slide "Vector clocks algorithm": every event ticks its node's entry, a receipt
 * first merges the sender's vector). Then a -> b iff V(a)[N(a)] <= V(b)[N(a)] and a != b, an O(1)
 * test; memory is one vector per event.
 *
 * Events at a node are: init, send, receive, deliver, timer, request, crash, recover, pause, clock
 * steps and slews, and log lines. Network events (drop, duplicate, partition, heal) belong to no
 * node and are not part of the relation. Every copy of a duplicated message is a receipt of the
 * same send.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { eventsOf, nodesOf, type TraceLike } from "./trace-like";

const NODE_EVENT_KINDS: ReadonlySet<string> = new Set([
  "init", "send", "receive", "deliver", "timer", "request", "crash", "recover", "pause",
  "clock-step", "clock-slew", "log",
]);

/** True for events that happen at a node (and so take part in happens-before). */
export function isNodeEvent(e: TraceEvent): e is Extract<TraceEvent, { local: number }> {
  return NODE_EVENT_KINDS.has(e.kind);
}

export class HappensBefore {
  /** The nodes, in the order of the vector entries. */
  readonly nodes: readonly NodeId[];
  private readonly nodeIndex = new Map<NodeId, number>();
  /** Trace index -> position in `vectors` (only node events have one). */
  private readonly slot = new Map<number, number>();
  /** Trace index -> node index. */
  private readonly nodeOfEvent = new Map<number, number>();
  /** Flat array: the vector of slot s is vectors[s * n .. s * n + n). */
  private readonly vectors: Int32Array;

  constructor(trace: TraceLike | readonly TraceEvent[]) {
    const events = eventsOf(trace);
    this.nodes = nodesOf(trace);
    const n = this.nodes.length;
    this.nodes.forEach((node, k) => this.nodeIndex.set(node, k));
    const count = events.reduce((sum, e) => sum + (isNodeEvent(e) ? 1 : 0), 0);
    this.vectors = new Int32Array(Math.max(1, count * n));
    const current = this.nodes.map(() => new Int32Array(n));
    const sendSlot = new Map<number, number>();
    let s = 0;
    for (const e of events) {
      if (!isNodeEvent(e)) continue;
      const k = this.nodeIndex.get(e.node)!;
      const T = current[k]!;
      if (e.kind === "receive") {
        const from = sendSlot.get(e.msgId);
        if (from === undefined) {
          throw new RangeError(`event ${e.i}: receive of message ${e.msgId} comes before (or without) its send`);
        }
        for (let j = 0; j < n; j++) T[j] = Math.max(T[j]!, this.vectors[from * n + j]!);
      }
      T[k] = T[k]! + 1;
      this.vectors.set(T, s * n);
      if (this.slot.has(e.i)) throw new RangeError(`two events have the same index ${e.i}`);
      this.slot.set(e.i, s);
      this.nodeOfEvent.set(e.i, k);
      if (e.kind === "send") sendSlot.set(e.msgId, s);
      s += 1;
    }
  }

  /** V(e): the vector timestamp of the event with trace index i (entries in `nodes` order). */
  vectorOf(i: number): number[] {
    const s = this.requireSlot(i, "i");
    const n = this.nodes.length;
    return Array.from(this.vectors.subarray(s * n, s * n + n));
  }

  /** a -> b: the event with index a happens before the one with index b. */
  happensBefore(a: number, b: number): boolean {
    const sa = this.requireSlot(a, "a");
    const sb = this.requireSlot(b, "b");
    if (a === b) return false;
    const n = this.nodes.length;
    const k = this.nodeOfEvent.get(a)!;
    return this.vectors[sa * n + k]! <= this.vectors[sb * n + k]!;
  }

  /** a || b: neither happens before the other (and they are different events). */
  concurrent(a: number, b: number): boolean {
    return a !== b && !this.happensBefore(a, b) && !this.happensBefore(b, a);
  }

  /** The trace indices of all node events, in trace order. */
  events(): number[] {
    return Array.from(this.slot.keys());
  }

  /**
   * Every pair among the given events (default: all node events) with a -> b, as [a, b]; and
   * every concurrent pair, as [a, b] with a < b. Quadratic in the number of events: for diagrams
   * and small examples. maxPairs bounds the output; exceeding it is an error.
   */
  pairs(options: { events?: readonly number[]; maxPairs?: number } = {}): {
    related: [number, number][];
    concurrent: [number, number][];
  } {
    const chosen = options.events ? options.events.slice() : this.events();
    const maxPairs = options.maxPairs ?? 100_000;
    const related: [number, number][] = [];
    const concurrent: [number, number][] = [];
    for (let x = 0; x < chosen.length; x++) {
      for (let y = x + 1; y < chosen.length; y++) {
        const a = chosen[x]!;
        const b = chosen[y]!;
        if (this.happensBefore(a, b)) related.push([a, b]);
        else if (this.happensBefore(b, a)) related.push([b, a]);
        else concurrent.push(a < b ? [a, b] : [b, a]);
        if (related.length + concurrent.length > maxPairs) {
          throw new RangeError(`pairs(): more than maxPairs = ${maxPairs} pairs; pass fewer events or a larger maxPairs`);
        }
      }
    }
    return { related, concurrent };
  }

  private requireSlot(i: number, name: string): number {
    const s = this.slot.get(i);
    if (s === undefined) throw new RangeError(`${name} = ${String(i)} is not the index of an event at a node in this trace`);
    return s;
  }
}

/** Convenience: the happens-before relation of a trace. */
export function happensBeforeOf(trace: TraceLike | readonly TraceEvent[]): HappensBefore {
  return new HappensBefore(trace);
}
