/**
 * Reference solution of Exercise 2.1 (see exercises/fifo-link.ts for the contract): the slides' FIFO
 * algorithm point to point ("FIFO broadcast algorithm", lecture 4), over a reliable network that
 * reorders, crash-stop. One network message per request: the network loses nothing, so no
 * acknowledgements; order is restored by the receiver's hold-back buffer.
 *
 * The kit's library has no copy of this algorithm: its reliable FIFO link is go-back-N
 * (src/protocols/links/go-back-n.ts). src/protocols/links/fifo-link.ts re-exports this file for the
 * kit's own tests; in the students' copy it re-exports their exercise.
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-types";

export type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-types";

/** The application's request: "send m to node `to` via the FIFO link". */
export interface LinkSendRequest {
  readonly type: "send";
  readonly to: NodeId;
  readonly m: unknown;
}

/** Index in the buffer of the message from `sender` numbered `seq`, or -1. */
function held(buffer: readonly Buffered[], sender: NodeId, seq: number): number {
  return buffer.findIndex((b) => b.sender === sender && b.sendSeq === seq);
}

export function fifoLink(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest> {
  return {
    name: "fifo-link",

    // on initialisation do: sendSeq := <0, ..., 0>; delivered := <0, ..., 0>; buffer := {}
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),

    // on request to send m to node `to` do: send (sendSeq[to], m) to `to`; sendSeq[to] := sendSeq[to] + 1
    request: (state, req, ctx) => {
      const seq = state.sendSeq[req.to] ?? 0;
      ctx.send(req.to, { type: "FifoMsg", sendSeq: seq, m: req.m });
      state.sendSeq[req.to] = seq + 1;
    },

    receive: {
      // on receiving (seq, m) from node `sender` do
      FifoMsg: (state, msg, sender, ctx) => {
        // The network delivers each message once; a number below delivered[sender] cannot come again.
        if (msg.sendSeq < (state.delivered[sender] ?? 0) || held(state.buffer, sender, msg.sendSeq) >= 0) return;
        // buffer := buffer ∪ {(sender, seq, m)}
        state.buffer.push({ sender, sendSeq: msg.sendSeq, m: msg.m });
        // while ∃ m'. (sender, delivered[sender], m') ∈ buffer do
        //   deliver m' to the application; delivered[sender] := delivered[sender] + 1
        for (let i = held(state.buffer, sender, state.delivered[sender] ?? 0); i >= 0; i = held(state.buffer, sender, state.delivered[sender] ?? 0)) {
          const [next] = state.buffer.splice(i, 1);
          state.delivered[sender] = next.sendSeq + 1;
          ctx.deliver(next.m, sender);
        }
      },
    },
  };
}
