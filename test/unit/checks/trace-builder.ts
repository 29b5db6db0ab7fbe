/** Hand-built traces for checker tests: events get consecutive indices and times. */
import type { Message, NodeId } from "../../../src/sim/protocol";
import type { TraceEvent } from "../../../src/sim/trace-events";

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private nextMsgId = 0;
  private readonly sends = new Map<number, { from: NodeId; to: NodeId; msg: Message }>();

  constructor(readonly nodes: NodeId[]) {}

  private at(node: NodeId) {
    const i = this.events.length;
    return { i, t: i, node, local: i };
  }

  /** A local step (a log line); returns its index. */
  local(node: NodeId, text = "step"): number {
    const e = { ...this.at(node), kind: "log" as const, text };
    this.events.push(e);
    return e.i;
  }

  /** The application asks node to broadcast m. */
  broadcast(node: NodeId, m: unknown): number {
    const e = { ...this.at(node), kind: "request" as const, request: { type: "broadcast", m } };
    this.events.push(e);
    return e.i;
  }

  /** Application-level delivery of m at node. */
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

  receive(msgId: number, copy = 0): number {
    const s = this.sends.get(msgId)!;
    const e = { ...this.at(s.to), kind: "receive" as const, msgId, from: s.from, msg: s.msg, copy };
    this.events.push(e);
    return e.i;
  }

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
