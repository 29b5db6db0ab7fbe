/**
 * Reliable point-to-point links over the simulator's fair-loss network (lecture 2's "retry +
 * deduplicate", which the broadcast slides assume: "use reliable links"). A link takes
 * `{ type: "send", to, m }` requests and delivers m at `to` exactly once, as long as neither node
 * crashes and the network eventually lets messages through:
 *
 *  - sender: numbers messages per destination, keeps each until it is acknowledged, and
 *    retransmits everything unacknowledged every retransmitMs (so losses are repaired);
 *  - receiver: acknowledges every copy (acks get lost too) and drops copies it has already
 *    delivered (duplicates).
 *
 * `reliableLink()` delivers on first receipt, so messages may overtake each other (the slides'
 * reliable links); `reliableFifoLink()` also holds back early arrivals and delivers in the order
 * sent (FIFO links, which total order with Lamport clocks needs).
 *
 * NB: src/protocols/links/ (lecture 2) may grow its own reliable links; these live here because
 * the broadcast layers need them, and should be merged with those later.
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
  /** Every seq below this has been delivered, per source. */
  nextDeliver: Record<NodeId, number>;
  /**
   * Received beyond nextDeliver, per source: seq -> the message still to deliver (FIFO), or null
   * once delivered (non-FIFO: remembered only to drop duplicates).
   */
  buffer: Record<NodeId, Record<number, Message | null>>;
}

export interface ReliableLinkOptions {
  /** How often to retransmit unacknowledged messages (ms of the node's monotonic clock). Default 50. */
  readonly retransmitMs?: number;
  /** Deliver in the order sent (default false; reliableFifoLink sets it). */
  readonly fifo?: boolean;
}

export function reliableLink(options: ReliableLinkOptions = {}): Protocol<ReliableLinkState, ReliableLinkMsg, LinkRequest> {
  const retransmitMs = options.retransmitMs ?? 50;
  const fifo = options.fifo ?? false;
  if (!(retransmitMs > 0) || !Number.isFinite(retransmitMs)) {
    throw new RangeError(`retransmitMs must be a positive number of ms, got ${String(retransmitMs)}`);
  }
  return {
    name: fifo ? "reliable-fifo-link" : "reliable-link",
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
        requireBufferBound("reliable link buffer", Object.keys(buffer).length);
        if (!fifo) {
          buffer[msg.seq] = null;
          advance(state, from);
          ctx.deliver(msg.m, from);
          return;
        }
        buffer[msg.seq] = msg.m;
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

/** Drops the delivered markers that have become part of the contiguous prefix (non-FIFO mode). */
function advance(state: ReliableLinkState, from: NodeId): void {
  const buffer = state.buffer[from]!;
  while (buffer[state.nextDeliver[from]!] === null) {
    delete buffer[state.nextDeliver[from]!];
    state.nextDeliver[from] = state.nextDeliver[from]! + 1;
  }
}

/** A reliable link that also delivers in the order sent (FIFO link). */
export function reliableFifoLink(options: Omit<ReliableLinkOptions, "fifo"> = {}) {
  return reliableLink({ ...options, fifo: true });
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
