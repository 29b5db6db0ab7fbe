/**
 * A FIFO link in the crash-recovery model (lecture 2, "System model: node behaviour": a node may
 * crash at any moment, losing its in-memory state, and resume later; data on disk survives).
 *
 * The same algorithm as fifo-link.ts, stacked over a durable reliable link:
 *   stack(fifoLinkRecovery(), reliableLink({ durable: true }))
 * What must survive a crash, and when it must be written:
 *
 * - sendSeq, before the message is handed to the link below. Were it lost, the recovered sender would
 *   number its next message 0 again; the receiver would take it for a duplicate of the old message 0
 *   and drop it: a message skipped.
 * - The hold-back buffer, as soon as a message is received. The durable link below has already
 *   recorded the message as delivered to us and acknowledged it, so nobody will send it again; if the
 *   buffer were only in memory, a crash would lose the message for good and every later message from
 *   that sender would wait behind the gap forever.
 * - delivered[sender] (together with the buffer minus the message), BEFORE delivering. Were it written
 *   after, a crash in between would leave stable storage saying "not yet delivered" with the message
 *   still in the stored buffer; recovery would deliver it a second time.
 *
 * Why "before" does not skip instead: in this model a handler runs to completion (the simulator never
 * crashes a node halfway through one), so "write, then deliver" in one handler is atomic. On a real
 * machine the equivalent is to make the delivery and the counter one transaction, e.g. by storing the
 * counter in the application's own database in the same write as the message's effect.
 *
 * The wrong order (deliver, then write the counter a little later, as a write-behind cache or a
 * batched fsync does) delivers a message twice if the node crashes in between: see the buggy variant
 * in test/unit/protocols/links/links.test.ts.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { LinkSendRequest } from "./reliable-link";
import { deliverFromBuffer, isStale, numbered, type Buffered, type FifoLinkMessage, type FifoLinkState } from "./fifo-link";

/** What the crash-recovery FIFO link keeps in stable storage (its layer's namespace). */
export interface FifoLinkStorage {
  sendSeq: Record<NodeId, number>;
  delivered: Record<NodeId, number>;
  buffer: Buffered[];
}

export function fifoLinkRecovery(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  const writeReceiverState = (state: FifoLinkState, storage: { set(key: string, value: unknown): void }) => {
    storage.set("delivered", state.delivered);
    storage.set("buffer", state.buffer);
  };
  return {
    name: "fifo-link-recovery",

    // on initialisation do: sendSeq := 0; delivered := <0, ..., 0>; buffer := {}
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),

    // on request to send m to node `to` do
    request: (state, req, ctx) => {
      const msg = numbered(state, req.to, req.m);
      // Stable storage first: the next message after a crash must not reuse this number.
      ctx.storage.set("sendSeq", state.sendSeq);
      ctx.lower({ type: "send", to: req.to, m: msg });
    },

    receive: {
      // on receiving msg from the reliable link do
      FifoMsg: (state, msg, from, ctx) => {
        if (isStale(state, from, msg.sendSeq)) return;
        // buffer := buffer ∪ {msg}, on disk before the link below forgets about it
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        ctx.storage.set("buffer", state.buffer);
        // delivered[sender] and the buffer on disk before each delivery
        deliverFromBuffer(state, from, (m) => ctx.deliver(m, from), () => writeReceiverState(state, ctx.storage));
      },
    },

    // on recovery from crash do
    recover: (ctx) => {
      const state: FifoLinkState = {
        sendSeq: ctx.storage.get<Record<NodeId, number>>("sendSeq") ?? {},
        delivered: ctx.storage.get<Record<NodeId, number>>("delivered") ?? {},
        buffer: ctx.storage.get<Buffered[]>("buffer") ?? [],
      };
      // Anything in the stored buffer that is next in line is delivered now. Writing before each
      // delivery means there never is such a message (it would have been delivered before the
      // crash); a link that writes after delivering delivers it here a second time.
      const senders = [...new Set(state.buffer.map((b) => b.sender))].sort();
      for (const sender of senders) {
        deliverFromBuffer(state, sender, (m) => ctx.deliver(m, sender), () => writeReceiverState(state, ctx.storage));
      }
      return state;
    },
  };
}
