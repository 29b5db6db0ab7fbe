/**
 * Reference solution of Exercise 8.2 (see exercises/state-map-crdt.ts for the contract), re-exported
 * by the library (src/protocols/crdt/state-map-crdt.ts).
 *
 * State-based map CRDT (lecture 8, slide "State-based map CRDT"):
 *
 *   s1 ⊔ s2 = {(t, k, v) ∈ (s1 ∪ s2) | ∄ (t', k', v') ∈ (s1 ∪ s2). k' = k ∧ t' > t}
 *   on initialisation do values := {}
 *   on request to read value for key k do
 *     if ∃ t, v. (t, k, v) ∈ values then return v else return null
 *   on request to set key k to value v do
 *     t := newTimestamp()
 *     values := {(t', k', v') ∈ values | k' ≠ k} ∪ {(t, k, v)}
 *     broadcast values by best-effort broadcast
 *   on delivering V by best-effort broadcast do
 *     values := values ⊔ V
 */
import type { Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import { newTimestamp, readKey, requireKey, timestampLess, type MapEntry, type MapRead, type MapRequest, type MapState, type StateMsg } from "../src/protocols/crdt/map-crdt";

/**
 * The slide's merge s1 ⊔ s2: every triple of s1 ∪ s2 for which no triple with the same key has a
 * greater timestamp. Commutative, associative and idempotent (the test checks the three laws).
 */
export function mergeMaps(s1: readonly MapEntry[], s2: readonly MapEntry[]): MapEntry[] {
  const union = [...s1, ...s2];
  const merged: MapEntry[] = [];
  for (const e of union) {
    const beaten = union.some((other) => other.k === e.k && timestampLess(e.t, other.t));
    const already = merged.some((m) => m.k === e.k && m.t.L === e.t.L && m.t.N === e.t.N);
    if (!beaten && !already) merged.push(e);
  }
  return merged.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}


/**
 * Slide "State-based map CRDT": stack it on best-effort broadcast. `resendEveryMs` adds what the
 * slide leaves to the reader: re-broadcasting the state periodically, so a lost message is made up for.
 */
export function stateBasedMap(options: { readonly resendEveryMs?: number } = {}): Protocol<MapState, StateMsg, MapRequest, BroadcastRequest> {
  const { resendEveryMs } = options;
  if (resendEveryMs !== undefined && !(resendEveryMs > 0)) throw new RangeError(`stateBasedMap: resendEveryMs must be > 0, got ${resendEveryMs}`);
  return {
    name: "state-based-map",
    init: () => ({ values: [], clock: 0 }),
    request: (state, req, ctx) => {
      requireKey(req.k);
      if (req.type === "read") {
        ctx.deliver({ read: req.k, value: readKey(state.values, req.k) } satisfies MapRead);
        return;
      }
      // t := newTimestamp(); values := {(t', k', v') ∈ values | k' ≠ k} ∪ {(t, k, v)}; broadcast values
      const t = newTimestamp(state, ctx.nodeId);
      state.values = state.values.filter((e) => e.k !== req.k).concat([{ t, k: req.k, v: req.v }]);
      ctx.lower({ type: "broadcast", m: { type: "MapState", values: state.values } satisfies StateMsg });
    },
    receive: {
      // on delivering V by best-effort broadcast: values := values ⊔ V
      MapState: (state, { values }) => {
        state.values = mergeMaps(state.values, values);
        for (const e of values) state.clock = Math.max(state.clock, e.t.L);
      },
    },
    periodically: resendEveryMs === undefined ? {} : {
      // periodically do: broadcast values (anti-entropy: makes up for lost messages)
      resend: {
        everyMs: resendEveryMs,
        run: (state, ctx) => {
          if (state.values.length > 0) ctx.lower({ type: "broadcast", m: { type: "MapState", values: state.values } satisfies StateMsg });
        },
      },
    },
  };
}
