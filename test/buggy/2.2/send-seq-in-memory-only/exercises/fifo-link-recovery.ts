/** BUGGY (does not keep sendSeq in stable storage: after a crash the sender numbers its messages from 0 again) variant of Exercise 2.2 (see exercises/fifo-link-recovery.ts for the contract). */
import type { NodeId, Protocol } from "../../../../../src/sim/protocol";
import type { LinkSendRequest } from "../../../../../src/protocols/links/reliable-link";
import type { Buffered, FifoLinkMessage, FifoLinkState } from "../../../../../src/protocols/links/fifo-link";

export type { LinkSendRequest } from "../../../../../src/protocols/links/reliable-link";
export type { Buffered, FifoLinkMessage, FifoLinkState } from "../../../../../src/protocols/links/fifo-link";

export function fifoLinkRecovery(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  return {
    name: "fifo-link-recovery",
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),
    request: (state, req, ctx) => {
      const sendSeq = state.sendSeq[req.to] ?? 0;
      state.sendSeq[req.to] = sendSeq + 1;
      ctx.lower({ type: "send", to: req.to, m: { type: "FifoMsg", sendSeq, m: req.m } });
    },
    receive: {
      FifoMsg: (state, msg, from, ctx) => {
        const expected0 = state.delivered[from] ?? 0;
        if (msg.sendSeq < expected0 || state.buffer.some((b) => b.sender === from && b.sendSeq === msg.sendSeq)) return;
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        ctx.storage.set("buffer", state.buffer);
        for (;;) {
          const expected = state.delivered[from] ?? 0;
          const i = state.buffer.findIndex((b) => b.sender === from && b.sendSeq === expected);
          if (i < 0) return;
          const [next] = state.buffer.splice(i, 1);
          state.delivered[from] = expected + 1;
          ctx.storage.set("delivered", state.delivered);
          ctx.storage.set("buffer", state.buffer);
          ctx.deliver(next.m, from);
        }
      },
    },
    recover: (ctx) => ({
      sendSeq: {},
      delivered: ctx.storage.get<Record<NodeId, number>>("delivered") ?? {},
      buffer: ctx.storage.get<Buffered[]>("buffer") ?? [],
    }),
  };
}
