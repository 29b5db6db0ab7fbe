/**
 * Hand-made histories for the checkers: build the events of a small execution by hand (no
 * simulation) and check them, e.g. to try a property on the slides' examples or to test a checker.
 * Events get consecutive indices and times (event k happens at t = k ms), in the order they are
 * added. A TraceBuilder is a TraceLike, so every checker in src/checks takes it directly:
 *
 *   const t = new TraceBuilder(["A", "B"]);
 *   t.broadcast("A", "m1"); t.broadcast("A", "m2");
 *   t.deliver("B", "m2", "A"); t.deliver("B", "m1", "A");
 *   checkFifoOrder(t);  // not ok: B delivered m2 before m1
 */
import type { Message, NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import type { TraceLike } from "./trace-like";

export class TraceBuilder implements TraceLike {
  readonly events: TraceEvent[] = [];
  private nextMsgId = 0;
  private readonly sends = new Map<number, { from: NodeId; to: NodeId; msg: Message }>();

  constructor(readonly nodes: NodeId[]) {
    if (new Set(nodes).size !== nodes.length) throw new RangeError(`TraceBuilder: node names must be distinct, got ${nodes.join(", ")}`);
  }

  private at(node: NodeId) {
    if (!this.nodes.includes(node)) throw new RangeError(`TraceBuilder: unknown node ${String(node)} (nodes: ${this.nodes.join(", ")})`);
    const i = this.events.length;
    return { i, t: i, node, local: i };
  }

  /** A local step (a log line); returns its index. */
  local(node: NodeId, text = "step"): number {
    const e = { ...this.at(node), kind: "log" as const, text };
    this.events.push(e);
    return e.i;
  }

  /** The application hands node a request (e.g. `{ type: "send", to, m }` for a link); returns its index. */
  request(node: NodeId, request: unknown): number {
    const e = { ...this.at(node), kind: "request" as const, request };
    this.events.push(e);
    return e.i;
  }

  /** The application asks node to broadcast m; returns its index. */
  broadcast(node: NodeId, m: unknown): number {
    return this.request(node, { type: "broadcast", m });
  }

  /** Application-level delivery of m at node (from: the original sender); returns its index. */
  deliver(node: NodeId, m: unknown, from?: NodeId): number {
    const e = { ...this.at(node), kind: "deliver" as const, value: m, from, layer: "test", app: true };
    this.events.push(e);
    return e.i;
  }

  /** A network send; returns [event index, msgId]. */
  send(from: NodeId, to: NodeId, msg: Message = { type: "M" }): [number, number] {
    const msgId = this.nextMsgId++;
    this.sends.set(msgId, { from, to, msg });
    const e = { ...this.at(from), kind: "send" as const, msgId, to, msg, layer: "test" };
    this.events.push(e);
    return [e.i, msgId];
  }

  /** The receipt of a message sent earlier (copy 1, 2, ... for duplicates); returns its index. */
  receive(msgId: number, copy = 0): number {
    const s = this.sends.get(msgId);
    if (s === undefined) throw new RangeError(`TraceBuilder: no message ${msgId} was sent`);
    const e = { ...this.at(s.to), kind: "receive" as const, msgId, from: s.from, msg: s.msg, copy };
    this.events.push(e);
    return e.i;
  }

  /** node crashes; returns its index. */
  crash(node: NodeId): number {
    const e = { ...this.at(node), kind: "crash" as const };
    this.events.push(e);
    return e.i;
  }

  /** Broadcast m from node and deliver it at the given nodes right away, in order. */
  broadcastAndDeliver(node: NodeId, m: unknown, at: NodeId[]): void {
    this.broadcast(node, m);
    for (const n of at) this.deliver(n, m, node);
  }
}
