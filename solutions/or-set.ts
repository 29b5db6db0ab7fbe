/**
 * Reference solution of Exercise 8.3 (see exercises/or-set.ts for the contract), re-exported by the
 * library (src/protocols/crdt/or-set.ts).
 *
 * A state-based observed-remove set (OR-set, lecture 8's "State-based CRDTs" applied to a set):
 *
 *   on initialisation do adds := {}; removed := {}; counter := 0
 *   on request to add e at node nodeId do
 *     counter := counter + 1; adds := adds ∪ {(e, (nodeId, counter))}; broadcast (adds, removed)
 *   on request to remove e do
 *     removed := removed ∪ {tag | (e, tag) ∈ adds}       ▷ only the adds this replica has observed
 *     broadcast (adds, removed)
 *   on delivering (A, R) by best-effort broadcast do
 *     (adds, removed) := (adds, removed) ⊔ (A, R)
 *   periodically do broadcast (adds, removed)            ▷ makes up for lost messages
 *
 *   (A1, R1) ⊔ (A2, R2) = (A1 ∪ A2, R1 ∪ R2)
 *   elements = {e | ∃ tag. (e, tag) ∈ adds ∧ tag ∉ removed}
 *
 * An add concurrent with a remove of the same element survives the merge (its tag was not
 * observed, so not removed): "add wins".
 */
import type { Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import { orSetElements, requireElement, type OrSetRead, type OrSetRequest, type OrSetState, type OrSetMsg, type Tagged } from "../src/protocols/crdt/or-set-model";

/** (A1, R1) ⊔ (A2, R2): both unions, sorted so that equal sets are equal data. */
export function mergeOrSets(s1: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }, s2: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }): { adds: Tagged[]; removed: string[] } {
  const adds = new Map<string, Tagged>();
  for (const a of [...s1.adds, ...s2.adds]) adds.set(a.tag, a);
  return {
    adds: [...adds.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
    removed: [...new Set([...s1.removed, ...s2.removed])].sort(),
  };
}

export function orSet(options: { readonly resendEveryMs: number }): Protocol<OrSetState, OrSetMsg, OrSetRequest, BroadcastRequest> {
  const { resendEveryMs } = options;
  if (!(resendEveryMs > 0)) throw new RangeError(`orSet: resendEveryMs must be > 0, got ${resendEveryMs}`);
  const broadcastState = (state: OrSetState): BroadcastRequest => ({ type: "broadcast", m: { type: "OrSetState", adds: state.adds, removed: state.removed } satisfies OrSetMsg });
  return {
    name: "or-set",
    init: () => ({ adds: [], removed: [], counter: 0 }),
    request: (state, req, ctx) => {
      if (req.type === "read") {
        ctx.deliver({ elements: orSetElements(state) } satisfies OrSetRead);
        return;
      }
      requireElement(req.e);
      if (req.type === "add") {
        state.counter += 1;
        state.adds = mergeOrSets(state, { adds: [{ e: req.e, tag: `${ctx.nodeId}:${state.counter}` }], removed: [] }).adds;
      } else {
        const observed = state.adds.filter((a) => a.e === req.e).map((a) => a.tag);
        state.removed = mergeOrSets(state, { adds: [], removed: observed }).removed;
      }
      ctx.lower(broadcastState(state));
    },
    receive: {
      OrSetState: (state, msg) => {
        const merged = mergeOrSets(state, msg);
        state.adds = merged.adds;
        state.removed = merged.removed;
      },
    },
    periodically: {
      resend: { everyMs: resendEveryMs, run: (state, ctx) => ctx.lower(broadcastState(state)) },
    },
  };
}
