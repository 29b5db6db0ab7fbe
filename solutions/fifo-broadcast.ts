/**
 * Reference solution of Exercise 4.4 (see exercises/fifo-broadcast.ts for the contract). The kit's library
 * re-exports it (src/protocols/broadcast/fifo.ts), so notebooks and stacks run this code; in the
 * student handout the library re-exports the student's exercise instead, and the grader's sandbox
 * has no copy of it.
 *
 * FIFO broadcast (lecture 4, slide "FIFO broadcast algorithm"), over reliable broadcast:
 *
 *   on initialisation do sendSeq := 0; delivered := <0, ..., 0>; buffer := {}
 *   on request to broadcast m at node Ni do
 *     send (i, sendSeq, m) via reliable broadcast; sendSeq := sendSeq + 1
 *   on receiving msg from reliable broadcast at node Ni do
 *     buffer := buffer ∪ {msg}
 *     while ∃ sender, m. (sender, delivered[sender], m) ∈ buffer do
 *       deliver m to the application; delivered[sender] := delivered[sender] + 1
 *
 * `sender` is the node's index in ctx.nodes, like the slide's i. Stack it:
 * `stack(fifoBroadcast(), stack(eagerReliableBroadcast(), reliableLink()))` (fifoBroadcastStack in stacks.ts).
 */
import type { Protocol } from "../src/sim/protocol";
import { requireBufferBound, type BroadcastRequest } from "../src/protocols/broadcast/requests";

export type FifoMsg = { readonly type: "FifoMsg"; readonly sender: number; readonly sendSeq: number; readonly m: unknown };

export interface FifoState {
  sendSeq: number;
  delivered: number[];
  buffer: FifoMsg[];
}

export function fifoBroadcast(): Protocol<FifoState, FifoMsg, BroadcastRequest, BroadcastRequest> {
  return {
    name: "fifo-broadcast",
    init: (ctx) => ({ sendSeq: 0, delivered: ctx.nodes.map(() => 0), buffer: [] }),
    request: (state, req, ctx) => {
      const i = ctx.nodes.indexOf(ctx.nodeId);
      const msg: FifoMsg = { type: "FifoMsg", sender: i, sendSeq: state.sendSeq, m: req.m };
      ctx.lower({ type: "broadcast", m: msg });
      state.sendSeq += 1;
    },
    receive: {
      FifoMsg: (state, msg, _from, ctx) => {
        state.buffer.push(msg);
        requireBufferBound("FIFO broadcast buffer", state.buffer.length);
        for (;;) {
          const k = state.buffer.findIndex((x) => x.sendSeq === state.delivered[x.sender]);
          if (k < 0) break;
          const next = state.buffer[k]!;
          ctx.deliver(next.m, ctx.nodes[next.sender]);
          state.buffer.splice(k, 1);
          state.delivered[next.sender] = state.delivered[next.sender]! + 1;
        }
      },
    },
  };
}
