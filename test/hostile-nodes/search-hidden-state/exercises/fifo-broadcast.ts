// Hostile, against the search test (category "search"): the FIFO bookkeeping lives in module
// variables and the explorer is handed the same state every time, so every state of a node looks
// alike to the search's visited-state hashing, which would merge runs it never ran; and from its
// 40th handler call in a process on, it delivers on receipt (a bug only longer runs reach).
// Expect: the search test never says "passed" (a second host, with a different history, answers the
// same (state, event) differently, which fails the test). In the simulation tests each node's module
// memory lives for one simulation (a fresh realm per run), so it works as state would, and no single
// run reaches the 40th call: those tests pass.
import type { Protocol } from "../../../../src/sim/protocol";

export type FifoMsg = { readonly type: "FifoMsg"; readonly sender: number; readonly sendSeq: number; readonly m: unknown };
export interface FifoState { sendSeq: number; delivered: number[]; buffer: FifoMsg[] }

let memory: FifoState = { sendSeq: 0, delivered: [], buffer: [] };
let calls = 0;

export function fifoBroadcast(): Protocol<FifoState, FifoMsg, { type: "broadcast"; m: unknown }, { type: "broadcast"; m: unknown }> {
  const constant = { sendSeq: 0, delivered: [], buffer: [] } as FifoState;
  return {
    name: "fifo-broadcast",
    init: (ctx) => {
      memory = { sendSeq: 0, delivered: ctx.nodes.map(() => 0), buffer: [] };
      return constant;
    },
    request: (_state, req, ctx) => {
      calls += 1;
      ctx.lower({ type: "broadcast", m: { type: "FifoMsg", sender: ctx.nodes.indexOf(ctx.nodeId), sendSeq: memory.sendSeq, m: req.m } });
      memory.sendSeq += 1;
    },
    receive: {
      FifoMsg: (_state, msg, _from, ctx) => {
        calls += 1;
        if (calls >= 40) {
          ctx.deliver(msg.m, ctx.nodes[msg.sender]);
          return;
        }
        memory.buffer.push(msg);
        for (;;) {
          const k = memory.buffer.findIndex((x) => x.sendSeq === memory.delivered[x.sender]);
          if (k < 0) break;
          const next = memory.buffer.splice(k, 1)[0]!;
          memory.delivered[next.sender] = next.sendSeq + 1;
          ctx.deliver(next.m, ctx.nodes[next.sender]);
        }
      },
    },
  };
}
