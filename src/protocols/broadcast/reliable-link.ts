/**
 * A reliable FIFO point-to-point link over the simulator's fair-loss network (lecture 2's
 * "retry + deduplicate", which the broadcast slides assume: "use reliable links"). It takes
 * `{ type: "send", to, m }` requests and delivers m at `to`, exactly once, in the order sent, as
 * long as neither node crashes and the network eventually lets messages through.
 *
 *  - sender: numbers messages per destination, keeps each until it is acknowledged, and
 *    retransmits everything unacknowledged every retransmitMs (so losses are repaired);
 *  - receiver: acknowledges every copy (acks get lost too), drops copies it has already
 *    delivered or buffered (duplicates), and delivers in sequence-number order (reordering).
 *
 * NB: src/protocols/links/ (lecture 2) may grow its own reliable links; this one lives here
 * because the broadcast layers need it, and should be merged with those later.
 */
import type { Message, NodeId, Protocol } from "../../sim/protocol";
import { requireBufferBound, type LinkRequest } from "./requests";

export type ReliableLinkMsg =
  | { readonly type: "RlData"; readonly seq: number; readonly m: Message }
  | { readonly type: "RlAck"; readonly seq: number };

export interface ReliableLinkState {
  /** Next sequence number to use, per destination. */
  nextSeq: Record<NodeId, number>;
  /** Sent but not yet acknowledged, per destination: seq -> message. */
  unacked: Record<NodeId, Record<number, Message>>;
  /** Next sequence number to deliver, per source. */
  nextDeliver: Record<NodeId, number>;
  /** Received out of order, per source: seq -> message. */
  buffer: Record<NodeId, Record<number, Message>>;
}

export interface ReliableLinkOptions {
  /** How often to retransmit unacknowledged messages (ms of the node's monotonic clock). Default 50. */
  readonly retransmitMs?: number;
}

export function reliableFifoLink(
  options: ReliableLinkOptions = {},
): Protocol<ReliableLinkState, ReliableLinkMsg, LinkRequest> {
  const retransmitMs = options.retransmitMs ?? 50;
  if (!(retransmitMs > 0) || !Number.isFinite(retransmitMs)) {
    throw new RangeError(`retransmitMs must be a positive number of ms, got ${String(retransmitMs)}`);
  }
  return {
    name: "reliable-link",
    init: (ctx) => {
      const state: ReliableLinkState = { nextSeq: {}, unacked: {}, nextDeliver: {}, buffer: {} };
      for (const node of ctx.nodes) {
        state.nextSeq[node] = 0;
        state.unacked[node] = {};
        state.nextDeliver[node] = 0;
        state.buffer[node] = {};
      }
      return state;
    },
    request: (state, req, ctx) => {
      const seq = state.nextSeq[req.to]!;
      state.nextSeq[req.to] = seq + 1;
      state.unacked[req.to]![seq] = req.m;
      requireBufferBound("reliable link unacked", Object.keys(state.unacked[req.to]!).length);
      ctx.send(req.to, { type: "RlData", seq, m: req.m });
    },
    receive: {
      RlData: (state, msg, from, ctx) => {
        ctx.send(from, { type: "RlAck", seq: msg.seq });
        const buffer = state.buffer[from]!;
        if (msg.seq < state.nextDeliver[from]! || msg.seq in buffer) return; // a duplicate
        buffer[msg.seq] = msg.m;
        requireBufferBound("reliable link buffer", Object.keys(buffer).length);
        while (state.nextDeliver[from]! in buffer) {
          const seq = state.nextDeliver[from]!;
          const m = buffer[seq]!;
          delete buffer[seq];
          state.nextDeliver[from] = seq + 1; // before deliver: the layer above may re-enter
          ctx.deliver(m, from);
        }
      },
      RlAck: (state, msg, from) => {
        delete state.unacked[from]![msg.seq];
      },
    },
    periodically: {
      retransmit: {
        everyMs: retransmitMs,
        run: (state, ctx) => {
          for (const to of ctx.nodes) {
            for (const [seq, m] of Object.entries(state.unacked[to]!)) ctx.send(to, { type: "RlData", seq: Number(seq), m });
          }
        },
      },
    },
  };
}

/** The network as a link: one attempt, no retransmission (fair-loss: may lose or duplicate). */
export type FairLossLinkMsg = { readonly type: "FlData"; readonly m: Message };

export function fairLossLink(): Protocol<Record<string, never>, FairLossLinkMsg, LinkRequest> {
  return {
    name: "fair-loss-link",
    init: () => ({}),
    request: (_state, req, ctx) => ctx.send(req.to, { type: "FlData", m: req.m }),
    receive: {
      FlData: (_state, msg, from, ctx) => ctx.deliver(msg.m, from),
    },
  };
}
