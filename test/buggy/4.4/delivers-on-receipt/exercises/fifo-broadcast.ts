/** BUGGY (no buffer: delivers every message as soon as reliable broadcast hands it over) variant of Exercise 4.4. */
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
        state.delivered[msg.sender] = state.delivered[msg.sender] + 1;
        ctx.deliver(msg.m, ctx.nodes[msg.sender]);
      },
    },
  };
}
