/**
 * Reference solution of Exercise 4.5 (see exercises/causal-broadcast.ts for the contract). The kit's library
 * re-exports it (src/protocols/broadcast/causal.ts), so notebooks and stacks run this code; in the
 * student handout the library re-exports the student's exercise instead, and the grader's sandbox
 * has no copy of it.
 *
 * Causal broadcast (lecture 4, slide "Causal broadcast algorithm"), over reliable broadcast:
 *
 *   on initialisation do sendSeq := 0; delivered := <0, ..., 0>; buffer := {}
 *   on request to broadcast m at node Ni do
 *     deps := delivered; deps[i] := sendSeq
 *     send (i, deps, m) via reliable broadcast; sendSeq := sendSeq + 1
 *   on receiving msg from reliable broadcast at node Ni do
 *     buffer := buffer ∪ {msg}
 *     while ∃ (sender, deps, m) ∈ buffer. deps <= delivered do
 *       deliver m to the application; buffer := buffer \ {(sender, deps, m)}
 *       delivered[sender] := delivered[sender] + 1
 *
 * deps is a vector clock: how many messages from each node the sender had delivered (and, in its
 * own entry, sent) before this one; deps <= delivered compares it element-wise (slide "Vector
 * clocks ordering"). Stack it like FIFO broadcast, over reliable broadcast.
 */
import type { Protocol } from "../src/sim/protocol";
import { requireBufferBound, type BroadcastRequest } from "../src/protocols/broadcast/requests";

export type CausalMsg = { readonly type: "CausalMsg"; readonly sender: number; readonly deps: number[]; readonly m: unknown };

export interface CausalState {
  sendSeq: number;
  delivered: number[];
  buffer: CausalMsg[];
}

export function causalBroadcast(): Protocol<CausalState, CausalMsg, BroadcastRequest, BroadcastRequest> {
  return {
    name: "causal-broadcast",
    init: (ctx) => ({ sendSeq: 0, delivered: ctx.nodes.map(() => 0), buffer: [] }),
    request: (state, req, ctx) => {
      const i = ctx.nodes.indexOf(ctx.nodeId);
      const deps = state.delivered.slice();
      deps[i] = state.sendSeq;
      ctx.lower({ type: "broadcast", m: { type: "CausalMsg", sender: i, deps, m: req.m } });
      state.sendSeq += 1;
    },
    receive: {
      CausalMsg: (state, msg, _from, ctx) => {
        state.buffer.push(msg);
        requireBufferBound("causal broadcast buffer", state.buffer.length);
        for (;;) {
          const k = state.buffer.findIndex((x) => vectorLeq(x.deps, state.delivered));
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

/** T <= T' iff T[i] <= T'[i] for every i (slide "Vector clocks ordering"; both index ctx.nodes). */
function vectorLeq(T: readonly number[], TPrime: readonly number[]): boolean {
  for (let j = 0; j < T.length; j++) if (T[j]! > TPrime[j]!) return false;
  return true;
}
