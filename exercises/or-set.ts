/**
 * Exercise 8.3: a state-based observed-remove set (OR-set), lecture 8 ("State-based CRDTs").
 *
 * A set where concurrent add and remove of the same element end with the element present ("add
 * wins"), and a remove removes only the adds its replica had seen:
 *
 *   on initialisation do adds := {}; removed := {}; counter := 0
 *   on request to add e at node nodeId do
 *     counter := counter + 1; adds := adds ∪ {(e, (nodeId, counter))}; broadcast (adds, removed)
 *   on request to remove e do
 *     removed := removed ∪ {tag | (e, tag) ∈ adds}      ▷ the adds this replica has observed
 *     broadcast (adds, removed)
 *   on delivering (A, R) by best-effort broadcast do
 *     (adds, removed) := (adds, removed) ⊔ (A, R)
 *   periodically do broadcast (adds, removed)
 *
 *   (A1, R1) ⊔ (A2, R2) = (A1 ∪ A2, R1 ∪ R2)
 *   elements = {e | ∃ tag. (e, tag) ∈ adds ∧ tag ∉ removed}
 *
 * Types and helpers are in src/protocols/crdt/or-set-model.ts (Tagged { e, tag } with tag a string
 * such as "A:3", OrSetState, OrSetMsg, orSetElements). Two parts:
 *  1. mergeOrSets(s1, s2): the merge as a pure function returning { adds, removed } without
 *     duplicates (an add is identified by its tag), not changing its arguments.
 *  2. orSet({ resendEveryMs }): the protocol layer; the tests stack it on best-effort broadcast over
 *     lossy links, stack(orSet(...), stack(bestEffortBroadcast(), fairLossLink())). Requests are
 *     { type: "add", e }, { type: "remove", e } and { type: "read" }; a read delivers
 *     { elements } (sorted: orSetElements(state)). "broadcast (adds, removed)" is
 *     ctx.lower({ type: "broadcast", m: { type: "OrSetState", adds, removed } }); the periodic task
 *     runs every resendEveryMs.
 *
 * What the tests observe: mergeOrSets on random states (the merge laws, nothing lost), and reads in
 * runs with loss, duplication, partitions and crash-recovery: replicas converge; a removed element
 * stays removed unless added again; an add concurrent with a remove wins; nothing appears that
 * was never added.
 */
import type { Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import type { OrSetMsg, OrSetRequest, OrSetState, Tagged } from "../src/protocols/crdt/or-set-model";

export function mergeOrSets(s1: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }, s2: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }): { adds: Tagged[]; removed: string[] } {
  throw new Error("Exercise 8.3 not implemented yet: mergeOrSets");
}

export function orSet(options: { readonly resendEveryMs: number }): Protocol<OrSetState, OrSetMsg, OrSetRequest, BroadcastRequest> {
  return {
    name: "or-set",
    init: () => {
      throw new Error("Exercise 8.3 not implemented yet: init");
    },
    request: (state, req, ctx) => {
      throw new Error("Exercise 8.3 not implemented yet: request");
    },
    receive: {
      OrSetState: (state, msg, from, ctx) => {
        throw new Error("Exercise 8.3 not implemented yet: receive OrSetState");
      },
    },
  };
}
