/**
 * Reference solution of Exercise 2.2 (see exercises/fifo-link-recovery.ts for the contract): the
 * slides' FIFO link in the crash-recovery model (lecture 2, "System model: node behaviour"), as the
 * upper layer of stack(fifoLinkRecovery(), reliableLink({ durable: true })).
 *
 * What must survive a crash, and when it is written:
 * - sendSeq, before the message is handed to the link below. Were it lost, the recovered sender
 *   would number its next message 0 again; the receiver would take it for the old message 0 and drop
 *   it: a message skipped.
 * - The hold-back buffer, as soon as a message is received. The durable link below has already
 *   recorded the message as delivered to us and will never hand it over again; a buffer kept only in
 *   memory would lose it for good, and every later message from that sender would wait behind the gap.
 * - delivered[sender] (with the buffer minus the message) BEFORE delivering. Written after, a crash in
 *   between would leave storage saying "not yet delivered" with the message still in the stored
 *   buffer, and recovery would deliver it a second time. The simulator runs a handler to completion
 *   (a crash falls between handlers), so "write, then deliver" in one handler is atomic; a real
 *   system makes the delivery and the counter one transaction.
 *
 * The kit's library has no copy of this algorithm; src/protocols/links/fifo-link-recovery.ts
 * re-exports this file for the kit's own tests (in the students' copy, their exercise).
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { LinkSendRequest } from "../src/protocols/links/reliable-link";
import type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-types";

export type { LinkSendRequest } from "../src/protocols/links/reliable-link";
export type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-types";

type Storage = { get<T>(key: string): T | undefined; set(key: string, value: unknown): void };

/** Delivers, in order, every buffered message from `sender` that is next in line; writes before each delivery. */
function deliverReady(state: FifoLinkState, sender: NodeId, storage: Storage, deliver: (m: unknown) => void): void {
  for (;;) {
    const next = state.delivered[sender] ?? 0;
    const i = state.buffer.findIndex((b) => b.sender === sender && b.sendSeq === next);
    if (i < 0) return;
    const [entry] = state.buffer.splice(i, 1);
    state.delivered[sender] = next + 1;
    // Stable storage first, then the delivery: a crash can no longer make it happen twice.
    storage.set("delivered", state.delivered);
    storage.set("buffer", state.buffer);
    deliver(entry.m);
  }
}

export function fifoLinkRecovery(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  return {
    name: "fifo-link-recovery",

    // on initialisation do: sendSeq := <0, ..., 0>; delivered := <0, ..., 0>; buffer := {}
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),

    // on request to send m to node `to` do
    request: (state, req, ctx) => {
      const seq = state.sendSeq[req.to] ?? 0;
      state.sendSeq[req.to] = seq + 1;
      // The new counter is on disk before the message leaves: after a crash, no number is used twice.
      ctx.storage.set("sendSeq", state.sendSeq);
      ctx.lower({ type: "send", to: req.to, m: { type: "FifoMsg", sendSeq: seq, m: req.m } satisfies FifoLinkMessage });
    },

    receive: {
      // on receiving (seq, m) from `sender` via the link below do
      FifoMsg: (state, msg, sender, ctx) => {
        const stale = msg.sendSeq < (state.delivered[sender] ?? 0) || state.buffer.some((b) => b.sender === sender && b.sendSeq === msg.sendSeq);
        if (stale) return;
        // buffer := buffer ∪ {msg}, on disk before anything else (the link below will not resend it)
        state.buffer.push({ sender, sendSeq: msg.sendSeq, m: msg.m });
        ctx.storage.set("buffer", state.buffer);
        deliverReady(state, sender, ctx.storage, (m) => ctx.deliver(m, sender));
      },
    },

    // on recovery from crash do: everything comes back from stable storage
    recover: (ctx) => {
      const state: FifoLinkState = {
        sendSeq: ctx.storage.get<Record<NodeId, number>>("sendSeq") ?? {},
        delivered: ctx.storage.get<Record<NodeId, number>>("delivered") ?? {},
        buffer: ctx.storage.get<Buffered[]>("buffer") ?? [],
      };
      // Writing before each delivery means nothing stored is next in line; this only matters for a
      // link that wrote after delivering (it would deliver such a message a second time here).
      for (const sender of [...new Set(state.buffer.map((b) => b.sender))].sort()) {
        deliverReady(state, sender, ctx.storage, (m) => ctx.deliver(m, sender));
      }
      return state;
    },
  };
}
