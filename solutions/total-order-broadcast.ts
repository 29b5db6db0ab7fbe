/**
 * Reference solution of Exercise 4.6 (see exercises/total-order-broadcast.ts for the contract). The kit's library
 * re-exports it (src/protocols/broadcast/total-order-lamport.ts), so notebooks and stacks run this code; in the
 * student handout the library re-exports the student's exercise instead, and the grader's sandbox
 * has no copy of it.
 *
 * Total order broadcast with Lamport clocks (lecture 4, slide "Total order broadcast algorithms"):
 * attach a Lamport timestamp to every message and deliver in the total order of (timestamp, node)
 * (slide "Lamport clocks example"). To know that no message with a smaller timestamp can still
 * arrive, it uses FIFO links and holds a message back until it has received a message with a
 * greater (timestamp, node) from every other node. Node ids are known (ctx.nodes).
 *
 * Waiting for every node would stall if some node never broadcasts, so on receiving a timestamped
 * message a node that has not yet sent anything later sends every other node a `Clock` message
 * carrying only its timestamp (an acknowledgement). Any node crash stalls delivery: this algorithm
 * is not fault-tolerant.
 *
 * The node delivers its own messages through the same hold-back queue. Stack it over reliable FIFO
 * links: `stack(totalOrderLamport(), reliableFifoLink())`.
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import { compareLamport } from "../src/protocols/clocks/lamport";
import { requireBufferBound, type BroadcastRequest, type LinkRequest } from "../src/protocols/broadcast/requests";

export type TotalOrderLamportMsg =
  | { readonly type: "Timestamped"; readonly t: number; readonly m: unknown }
  | { readonly type: "Clock"; readonly t: number };

export interface HeldBack {
  readonly t: number;
  readonly sender: NodeId;
  readonly m: unknown;
}

export interface TotalOrderLamportState {
  /** The Lamport clock. */
  t: number;
  /** The largest timestamp this node has sent to everyone. */
  lastSent: number;
  /** The latest timestamp received from each node (FIFO links: nothing smaller can follow). */
  latest: Record<NodeId, number>;
  /** Received but not yet delivered. */
  holdBack: HeldBack[];
}

type Ctx = Context<TotalOrderLamportMsg, LinkRequest>;

function sendToOthers(state: TotalOrderLamportState, msg: TotalOrderLamportMsg, ctx: Ctx): void {
  for (const node of ctx.nodes) if (node !== ctx.nodeId) ctx.lower({ type: "send", to: node, m: msg });
  state.lastSent = msg.t;
}

/** Deliver held-back messages in (t, sender) order while every other node is known to be past them. */
function deliverReady(state: TotalOrderLamportState, ctx: Ctx): void {
  for (let bound = state.holdBack.length; bound > 0 && state.holdBack.length > 0; bound--) {
    let k = 0;
    for (let j = 1; j < state.holdBack.length; j++) {
      const x = state.holdBack[j]!;
      const y = state.holdBack[k]!;
      if (compareLamport({ L: x.t, N: x.sender }, { L: y.t, N: y.sender }) < 0) k = j;
    }
    const first = state.holdBack[k]!;
    const ready = ctx.nodes.every(
      (node) =>
        node === first.sender ||
        node === ctx.nodeId ||
        compareLamport({ L: state.latest[node]!, N: node }, { L: first.t, N: first.sender }) > 0,
    );
    if (!ready) return;
    state.holdBack.splice(k, 1);
    ctx.label(`deliver (${first.t}, ${first.sender})`);
    ctx.deliver(first.m, first.sender);
  }
}

export function totalOrderLamport(): Protocol<TotalOrderLamportState, TotalOrderLamportMsg, BroadcastRequest, LinkRequest> {
  return {
    name: "total-order-lamport",
    init: (ctx) => ({ t: 0, lastSent: 0, latest: Object.fromEntries(ctx.nodes.map((n) => [n, 0])), holdBack: [] }),
    request: (state, req, ctx) => {
      state.t = state.t + 1;
      state.holdBack.push({ t: state.t, sender: ctx.nodeId, m: req.m });
      ctx.label(`t=${state.t}`);
      sendToOthers(state, { type: "Timestamped", t: state.t, m: req.m }, ctx);
      deliverReady(state, ctx);
    },
    receive: {
      Timestamped: (state, msg, from, ctx) => {
        state.t = Math.max(state.t, msg.t) + 1;
        state.latest[from] = msg.t;
        state.holdBack.push({ t: msg.t, sender: from, m: msg.m });
        requireBufferBound("total order hold-back queue", state.holdBack.length);
        // Tell the others our clock has passed (msg.t, from), unless something we sent already did.
        if (compareLamport({ L: state.lastSent, N: ctx.nodeId }, { L: msg.t, N: from }) < 0) {
          sendToOthers(state, { type: "Clock", t: state.t }, ctx);
        }
        deliverReady(state, ctx);
      },
      Clock: (state, msg, from, ctx) => {
        state.t = Math.max(state.t, msg.t) + 1;
        state.latest[from] = msg.t;
        deliverReady(state, ctx);
      },
    },
  };
}
