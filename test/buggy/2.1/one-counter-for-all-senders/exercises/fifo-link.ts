/** BUGGY (counts deliveries with one counter for all senders, so messages from different senders get confused) variant of Exercise 2.1 (see exercises/fifo-link.ts for the contract). */
import type { NodeId, Protocol } from "../../../../../src/sim/protocol";

/** The application's request: "send m to node `to` via the FIFO link". */
export interface LinkSendRequest {
  readonly type: "send";
  readonly to: NodeId;
  readonly m: unknown;
}

/** What travels on the network (a suggestion). */
export type FifoLinkMessage = { type: "FifoMsg"; sendSeq: number; m: unknown };

/** A message received but not yet deliverable. */
export interface Buffered {
  sender: NodeId;
  sendSeq: number;
  m: unknown;
}

/** A node's state (a suggestion). */
export interface FifoLinkState {
  /** Per destination: the number the next message will carry. */
  sendSeq: Record<NodeId, number>;
  /** Per sender: how many of its messages have been delivered (= the next number expected). */
  delivered: Record<NodeId, number>;
  /** The hold-back buffer. */
  buffer: Buffered[];
}

export function fifoLink(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest> {
  return {
    name: "fifo-link",
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),
    request: (state, req, ctx) => {
      const counter = req.to;
      const sendSeq = state.sendSeq[counter] ?? 0;
      ctx.send(req.to, { type: "FifoMsg", sendSeq, m: req.m });
      state.sendSeq[counter] = sendSeq + 1;
    },
    receive: {
      FifoMsg: (state, msg, from, ctx) => {
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        for (;;) {
          const expected = state.delivered["all"] ?? 0;
          const i = state.buffer.findIndex((b) => b.sender === from && b.sendSeq === expected);
          if (i < 0) return;
          const [next] = state.buffer.splice(i, 1);
          state.delivered["all"] = expected + 1;
          ctx.deliver(next.m, from);
        }
      },
    },
  };
}
