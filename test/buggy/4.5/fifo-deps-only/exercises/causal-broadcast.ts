/** BUGGY (deps only counts the sender's own messages: that is FIFO broadcast, not causal) variant of Exercise 4.5. */
import type { BroadcastRequest } from "../../../../../src/protocols/broadcast/requests";
import type { Protocol } from "../../../../../src/sim/protocol";

export type CausalMsg = { readonly type: "CausalMsg"; readonly sender: number; readonly deps: number[]; readonly m: unknown };

export interface CausalState {
  sendSeq: number;
  delivered: number[];
  buffer: CausalMsg[];
}

const leq = (a: readonly number[], b: readonly number[]) => a.every((x, j) => x <= b[j]);

export function causalBroadcast(): Protocol<CausalState, CausalMsg, BroadcastRequest, BroadcastRequest> {
  return {
    name: "causal-broadcast",
    init: (ctx) => ({ sendSeq: 0, delivered: ctx.nodes.map(() => 0), buffer: [] }),
    request: (state, req, ctx) => {
      const i = ctx.nodes.indexOf(ctx.nodeId);
      const deps = state.delivered.map(() => 0);
      deps[i] = state.sendSeq;
      ctx.lower({ type: "broadcast", m: { type: "CausalMsg", sender: i, deps, m: req.m } });
      state.sendSeq = state.sendSeq + 1;
    },
    receive: {
      CausalMsg: (state, msg, _from, ctx) => {
        state.buffer.push(msg);
        for (;;) {
          const k = state.buffer.findIndex((x) => leq(x.deps, state.delivered));
          if (k < 0) break;
          const next = state.buffer.splice(k, 1)[0];
          state.delivered[next.sender] = state.delivered[next.sender] + 1;
          ctx.deliver(next.m, ctx.nodes[next.sender]);
        }
      },
    },
  };
}
