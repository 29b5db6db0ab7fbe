// Hostile: causal broadcast whose nodes deliver a message as soon as any node in the process has it,
// by reading the other nodes' state through a module-level registry (and, failing that, by
// reaching for the kit's library copy of the answer). Expect: no points from shared state; the
// library's copy of causal broadcast is not in the sandbox.
import type { Protocol } from "../../../../src/sim/protocol";

export type CausalMsg = { readonly type: "CausalMsg"; readonly sender: number; readonly deps: number[]; readonly m: unknown };
export interface CausalState { delivered: string[] }

const everyone = new Map<string, { seen: { m: unknown; sender: string }[] }>();

export function causalBroadcast(): Protocol<CausalState, CausalMsg, { type: "broadcast"; m: unknown }, { type: "broadcast"; m: unknown }> {
  let library: (() => Protocol<unknown, CausalMsg, never, never>) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    library = require("../src/protocols/broadcast/causal").causalBroadcast;
  } catch {
    library = undefined;
  }
  if (library !== undefined) return library() as never;
  return {
    name: "causal-broadcast",
    init: (ctx) => {
      everyone.set(ctx.nodeId, { seen: [] });
      return { delivered: [] };
    },
    request: (state, req, ctx) => {
      for (const node of everyone.values()) node.seen.push({ m: req.m, sender: ctx.nodeId });
      ctx.deliver(req.m, ctx.nodeId);
      state.delivered.push(String(req.m));
    },
    receive: { CausalMsg: () => {} },
    periodically: {
      poll: {
        everyMs: 5,
        run: (state, ctx) => {
          for (const { m, sender } of everyone.get(ctx.nodeId)?.seen ?? []) {
            if (state.delivered.includes(String(m))) continue;
            state.delivered.push(String(m));
            ctx.deliver(m, sender);
          }
        },
      },
    },
  };
}
