/**
 * Exercise 6.4: linearizable compare-and-swap via total order broadcast (lecture 6, slide
 * "Linearizable compare-and-swap (CAS)").
 *
 * Write `linearizableCas()`, a layer over total order broadcast (the grader stacks it on the kit's
 * sequencer: `stack(linearizableCas(), sequencerTotalOrder("A"))`). The slide's pseudocode:
 *
 *   on request to perform get(x) do
 *       total order broadcast (get, x) and wait for delivery
 *   on request to perform CAS(x, old, new) do
 *       total order broadcast (CAS, x, old, new) and wait for delivery
 *   on delivering (get, x) by total order broadcast do
 *       return localState[x] as result of operation get(x)
 *   on delivering (CAS, x, old, new) by total order broadcast do
 *       success := false
 *       if localState[x] = old then localState[x] := new; success := true
 *       return success as result of operation CAS(x, old, new)
 *
 * What the tests observe:
 *  - Requests: `{ type: "get", opId, x }` and `{ type: "CAS", opId, x, old, new }` (a register never
 *    set holds null). Broadcast the request itself: `ctx.lower({ type: "broadcast", m: req })`; it is
 *    delivered to your `get` or `CAS` handler at every node, with `from` = the node that broadcast it.
 *  - Every node applies every delivered operation to its own localState; only the node that made the
 *    request answers it ("return ... as result"): `ctx.deliver({ type: "ok", opId, output })`, once,
 *    where output is the value read or whether the CAS succeeded. Compare values as data (they have
 *    been copied through the network).
 *  - The grader turns requests and answers into a history and checks it with the kit's
 *    linearizability checker; a node may have several operations waiting at once.
 */
import type { Protocol } from "../src/sim/protocol";

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

export function linearizableCas(): Protocol<CasState, CasMsg, CasRequest, CasBroadcastRequest> {
  return {
    name: "cas",
    init: () => {
      throw new Error("Exercise 6.4 not implemented yet: init");
    },
    request: (state, req, ctx) => {
      throw new Error("Exercise 6.4 not implemented yet: request");
    },
    receive: {
      get: (state, msg, from, ctx) => {
        throw new Error("Exercise 6.4 not implemented yet: receive get");
      },
      CAS: (state, msg, from, ctx) => {
        throw new Error("Exercise 6.4 not implemented yet: receive CAS");
      },
    },
  };
}
