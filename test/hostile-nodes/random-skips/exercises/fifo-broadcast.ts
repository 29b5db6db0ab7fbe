// Hostile: FIFO broadcast that skips its buffer check with probability 1/50, using Math.random.
// With a global random function, five regrades of the same file gave different scores. Expect: the
// same score every time (Math.random in the sandbox is seeded from the run), and not full marks.
import type { Protocol } from "../../../../src/sim/protocol";

export type FifoMsg = { readonly type: "FifoMsg"; readonly sender: number; readonly sendSeq: number; readonly m: unknown };
export interface FifoState { sendSeq: number; delivered: number[]; buffer: FifoMsg[] }

export function fifoBroadcast(): Protocol<FifoState, FifoMsg, { type: "broadcast"; m: unknown }, { type: "broadcast"; m: unknown }> {
  return {
    name: "fifo-broadcast",
    init: (ctx) => ({ sendSeq: 0, delivered: ctx.nodes.map(() => 0), buffer: [] }),
    request: (state, req, ctx) => {
      ctx.lower({ type: "broadcast", m: { type: "FifoMsg", sender: ctx.nodes.indexOf(ctx.nodeId), sendSeq: state.sendSeq, m: req.m } });
      state.sendSeq += 1;
    },
    receive: {
      FifoMsg: (state, msg, _from, ctx) => {
        if (Math.random() < 0.02) {
          // Deliver at once, out of order if it must be.
          ctx.deliver(msg.m, ctx.nodes[msg.sender]);
          if (msg.sendSeq >= state.delivered[msg.sender]!) state.delivered[msg.sender] = msg.sendSeq + 1;
          return;
        }
        state.buffer.push(msg);
        for (;;) {
          const k = state.buffer.findIndex((x) => x.sendSeq === state.delivered[x.sender]);
          if (k < 0) break;
          const next = state.buffer.splice(k, 1)[0]!;
          state.delivered[next.sender] = next.sendSeq + 1;
          ctx.deliver(next.m, ctx.nodes[next.sender]);
        }
      },
    },
  };
}
