/**
 * Reference solution of the CAS exercise (lecture 6, slide "Linearizable compare-and-swap (CAS)"),
 * the slide's pseudocode with its names. The library re-exports this file
 * (src/protocols/consistency/linearizable-cas.ts).
 *
 * A layer over total order broadcast: every get and CAS is broadcast, and every node applies the
 * delivered operations to its localState in the same order, so all nodes go through the same states;
 * the node that made the request answers it when its own broadcast is delivered ("and wait for
 * delivery"), which is after the request started and before the reply: a linearization point.
 *
 * Requests: `{ type: "get", opId, x }`, `{ type: "CAS", opId, x, old, new }`; replies to the
 * application `{ type: "ok", opId, output }` (the value, or whether the CAS succeeded).
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";

export type CasMsg =
  | { readonly type: "get"; readonly opId: string; readonly x: string }
  | { readonly type: "CAS"; readonly opId: string; readonly x: string; readonly old: unknown; readonly new: unknown };

export type CasRequest = CasMsg;

export interface CasBroadcastRequest {
  readonly type: "broadcast";
  readonly m: CasMsg;
}

export interface CasState {
  /** The replica's copy of every register (absent: null). */
  localState: Record<string, unknown>;
  /** Operations this node requested and is waiting to see delivered. */
  waiting: string[];
}

type Ctx = Context<CasMsg, CasBroadcastRequest>;

/** Values are compared as data, since they have been copied through the network. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function reply(state: CasState, opId: string, from: NodeId, output: unknown, ctx: Ctx): void {
  const i = state.waiting.indexOf(opId);
  if (from !== ctx.nodeId || i < 0) return;
  state.waiting.splice(i, 1);
  ctx.deliver({ type: "ok", opId, output });
}

export function linearizableCas(): Protocol<CasState, CasMsg, CasRequest, CasBroadcastRequest> {
  return {
    name: "cas",
    init: () => ({ localState: {}, waiting: [] }),
    // "on request to perform get(x) / CAS(x, old, new) do: total order broadcast (...) and wait for delivery"
    request: (state, req, ctx) => {
      if ((req?.type !== "get" && req?.type !== "CAS") || typeof req.opId !== "string" || typeof req.x !== "string") {
        throw new TypeError(`cas at ${ctx.nodeId}: expected { type: "get", opId, x } or { type: "CAS", opId, x, old, new }, got ${JSON.stringify(req)}`);
      }
      if (state.waiting.includes(req.opId)) throw new RangeError(`cas at ${ctx.nodeId}: operation ${req.opId} is already waiting`);
      state.waiting.push(req.opId);
      ctx.lower({ type: "broadcast", m: req });
    },
    receive: {
      // "on delivering (get, x) by total order broadcast do: return localState[x] as result of get(x)"
      get: (state, msg, from, ctx) => reply(state, msg.opId, from, state.localState[msg.x] ?? null, ctx),
      // "on delivering (CAS, x, old, new) by total order broadcast do"
      CAS: (state, msg, from, ctx) => {
        let success = false;
        if (sameValue(state.localState[msg.x], msg.old)) {
          state.localState[msg.x] = msg.new;
          success = true;
        }
        ctx.label(`CAS ${success ? "ok" : "fail"}`);
        reply(state, msg.opId, from, success, ctx);
      },
    },
  };
}
