/**
 * A reliable link built from a fair-loss link (lecture 2, "System model: network behaviour"; the
 * broadcast lecture's "Use reliable links (retry + deduplicate)"). Lecture 4's broadcast layers and
 * Exercise 2.2's crash-recovery FIFO link are stacked on it with stack(upper, lower).
 *
 * A fair-loss link may lose, duplicate and reorder messages, but a message sent again and again
 * eventually gets through. So the sender numbers each message (per destination) and retransmits it
 * on a timer until the receiver acknowledges that number; the receiver acknowledges every copy it
 * gets (an Ack can be lost too) and delivers each number only once. Order is not restored here
 * (messages may overtake each other, as the broadcast slides assume). The kit's reliable FIFO link,
 * reliableFifoLink() in go-back-n.ts, restores order by other means (go-back-N).
 *
 * With `durable: true` the link also works in the crash-recovery model: the sender writes each
 * message to stable storage before its first transmission (so a crash cannot lose a message the
 * application was told is on its way), and the receiver records each sequence number as delivered
 * before delivering it (so a retransmission after a crash is recognised as a duplicate).
 *
 * Requests are `{ type: "send", to, m }`; on the network travel RlData (a numbered message) and
 * RlAck (its acknowledgement).
 */
import type { NodeId, Protocol } from "../../sim/protocol";

/** What the layer above (or the application) asks for: "send m to node `to` via a reliable link". */
export interface LinkSendRequest {
  readonly type: "send";
  readonly to: NodeId;
  readonly m: unknown;
}

export type ReliableLinkMessage =
  | { type: "RlData"; seq: number; m: unknown }
  | { type: "RlAck"; seq: number };

/** Which sequence numbers from one sender have been delivered: all below `below`, plus `above`. */
export interface DeliveredSet {
  below: number;
  above: number[];
}

export interface ReliableLinkState {
  /** Per destination: the sequence number for the next message. */
  nextSeq: Record<NodeId, number>;
  /** Per destination: messages sent and not yet acknowledged, by sequence number. */
  unacked: Record<NodeId, Record<number, unknown>>;
  /** Per sender: the sequence numbers already delivered (for deduplication). */
  delivered: Record<NodeId, DeliveredSet>;
  /** Retransmissions so far (to measure the cost of loss). */
  retransmissions: number;
}

export interface ReliableLinkOptions {
  /** Wait this long for an Ack before sending again (node's monotonic clock), ms. Default 50. */
  retransmitMs?: number;
  /** Crash-recovery: keep unacknowledged messages and the delivered set in stable storage. Default false. */
  durable?: boolean;
  /** Bound on sequence numbers delivered out of order per sender (an assertion, not a policy). Default 100000. */
  maxOutOfOrder?: number;
  /** Bound on unacknowledged messages per destination (an assertion, not a policy). Default 100000. */
  maxUnacked?: number;
}

/** True if seq is in the set. */
export function hasDelivered(set: DeliveredSet, seq: number): boolean {
  return seq < set.below || set.above.includes(seq);
}

/** Adds seq to the set, keeping `above` small by advancing `below` over a contiguous run. */
export function addDelivered(set: DeliveredSet, seq: number, maxOutOfOrder = 100_000): void {
  if (hasDelivered(set, seq)) return;
  if (seq === set.below) {
    set.below += 1;
    // Each step removes one entry from `above`, so this runs at most above.length times.
    for (let i = set.above.indexOf(set.below); i >= 0; i = set.above.indexOf(set.below)) {
      set.above.splice(i, 1);
      set.below += 1;
    }
    return;
  }
  if (set.above.length >= maxOutOfOrder) throw new Error(`reliable link: more than ${maxOutOfOrder} sequence numbers delivered out of order`);
  set.above.push(seq);
}

export function reliableLink(
  options: ReliableLinkOptions = {},
): Protocol<ReliableLinkState, ReliableLinkMessage, LinkSendRequest> {
  const retransmitMs = options.retransmitMs ?? 50;
  const durable = options.durable ?? false;
  const maxOutOfOrder = options.maxOutOfOrder ?? 100_000;
  const maxUnacked = options.maxUnacked ?? 100_000;
  if (!(retransmitMs > 0) || !Number.isFinite(retransmitMs)) throw new RangeError(`reliableLink: retransmitMs must be > 0, got ${retransmitMs}`);
  return {
    name: durable ? "reliable-link(durable)" : "reliable-link",

    // on initialisation do
    init: () => ({ nextSeq: {}, unacked: {}, delivered: {}, retransmissions: 0 }),

    receive: {
      // on receiving (RlData, seq, m) from node sender do
      RlData: (state, msg, from, ctx) => {
        // Acknowledge every copy: the Ack for an earlier copy may have been lost.
        ctx.send(from, { type: "RlAck", seq: msg.seq });
        const set = (state.delivered[from] ??= { below: 0, above: [] });
        if (hasDelivered(set, msg.seq)) return; // a duplicate or a retransmission: deliver once
        addDelivered(set, msg.seq, maxOutOfOrder);
        // Crash-recovery: record the delivery before making it, in the same handler step.
        if (durable) ctx.storage.set("delivered", state.delivered);
        ctx.deliver(msg.m, from);
      },
      // on receiving (RlAck, seq) from node to do
      RlAck: (state, msg, from, ctx) => {
        const pending = state.unacked[from];
        if (pending === undefined || !(msg.seq in pending)) return; // duplicate Ack
        delete pending[msg.seq];
        if (durable) ctx.storage.set("unacked", state.unacked);
      },
    },

    // on request to send m to node `to` do
    request: (state, req, ctx) => {
      const seq = state.nextSeq[req.to] ?? 0;
      state.nextSeq[req.to] = seq + 1;
      const unacked = (state.unacked[req.to] ??= {});
      if (Object.keys(unacked).length >= maxUnacked) throw new Error(`reliable link: more than ${maxUnacked} messages to ${req.to} unacknowledged`);
      unacked[seq] = req.m;
      // Crash-recovery: the message is in stable storage before it is first sent.
      if (durable) {
        ctx.storage.set("nextSeq", state.nextSeq);
        ctx.storage.set("unacked", state.unacked);
      }
      ctx.send(req.to, { type: "RlData", seq, m: req.m });
      ctx.startTimer("retransmit", retransmitMs, { to: req.to, seq });
    },

    timers: {
      // on timeout of (to, seq) do: still unacknowledged, so send it again
      retransmit: (state, data, ctx) => {
        const { to, seq } = data as { to: NodeId; seq: number };
        const pending = state.unacked[to];
        if (pending === undefined || !(seq in pending)) return;
        state.retransmissions += 1;
        ctx.send(to, { type: "RlData", seq, m: pending[seq] });
        ctx.startTimer("retransmit", retransmitMs, { to, seq });
      },
    },

    // on recovery from crash do
    recover: (ctx) => {
      if (!durable) return { nextSeq: {}, unacked: {}, delivered: {}, retransmissions: 0 };
      const state: ReliableLinkState = {
        nextSeq: ctx.storage.get<Record<NodeId, number>>("nextSeq") ?? {},
        unacked: ctx.storage.get<Record<NodeId, Record<number, unknown>>>("unacked") ?? {},
        delivered: ctx.storage.get<Record<NodeId, DeliveredSet>>("delivered") ?? {},
        retransmissions: 0,
      };
      // Timers did not survive the crash: resend everything still unacknowledged.
      for (const to of Object.keys(state.unacked)) {
        for (const seq of Object.keys(state.unacked[to])) {
          ctx.send(to, { type: "RlData", seq: Number(seq), m: state.unacked[to][Number(seq)] });
          ctx.startTimer("retransmit", retransmitMs, { to, seq: Number(seq) });
        }
      }
      return state;
    },
  };
}
