/** BUGGY (one delivered counter shared by all senders instead of one per sender) variant of Exercise 4.4. */
import type { BroadcastRequest } from "../../../../../src/protocols/broadcast/requests";
import type { Protocol } from "../../../../../src/sim/protocol";

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
      ctx.lower({ type: "broadcast", m: { type: "FifoMsg", sender: i, sendSeq: state.sendSeq, m: req.m } });
      state.sendSeq = state.sendSeq + 1;
    },
    receive: {
      FifoMsg: (state, msg, _from, ctx) => {
        state.buffer.push(msg);
        for (;;) {
          const k = state.buffer.findIndex((x) => x.sendSeq <= state.delivered[0]);
          if (k < 0) break;
          const next = state.buffer.splice(k, 1)[0];
          if (next.sendSeq === state.delivered[0]) state.delivered[0] = state.delivered[0] + 1;
          ctx.deliver(next.m, ctx.nodes[next.sender]);
        }
      },
    },
  };
}
