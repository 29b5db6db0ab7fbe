/**
 * Reference solution of Exercise 8.1 (see exercises/op-map-crdt.ts for the contract), re-exported by
 * the library (src/protocols/crdt/op-map-crdt.ts).
 *
 * Operation-based map CRDT (lecture 8, slide "Operation-based map CRDT"):
 *
 *   on initialisation do values := {}
 *   on request to read value for key k do
 *     if ∃ t, v. (t, k, v) ∈ values then return v else return null
 *   on request to set key k to value v do
 *     t := newTimestamp()                       ▷ globally unique, e.g. Lamport timestamp
 *     broadcast (set, t, k, v) by reliable broadcast (including to self)
 *   on delivering (set, t, k, v) by reliable broadcast do
 *     previous := {(t', k', v') ∈ values | k' = k}
 *     if previous = {} ∨ ∀ (t', k', v') ∈ previous. t' < t then
 *       values := (values \ previous) ∪ {(t, k, v)}
 */
import type { Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import { newTimestamp, readKey, requireKey, timestampLess, type MapRead, type MapRequest, type MapState, type SetMsg } from "../src/protocols/crdt/map-crdt";

/** The slide's algorithm as a layer: stack it on reliable broadcast (which delivers to the sender too). */
export function opBasedMap(): Protocol<MapState, SetMsg, MapRequest, BroadcastRequest> {
  return {
    name: "op-based-map",
    init: () => ({ values: [], clock: 0 }),
    request: (state, req, ctx) => {
      requireKey(req.k);
      if (req.type === "read") {
        ctx.deliver({ read: req.k, value: readKey(state.values, req.k) } satisfies MapRead);
        return;
      }
      // on request to set key k to value v: t := newTimestamp(); broadcast (set, t, k, v) by reliable broadcast
      const t = newTimestamp(state, ctx.nodeId);
      ctx.lower({ type: "broadcast", m: { type: "Set", t, k: req.k, v: req.v } satisfies SetMsg });
    },
    receive: {
      // on delivering (set, t, k, v) by reliable broadcast
      Set: (state, { t, k, v }) => {
        state.clock = Math.max(state.clock, t.L);
        const previous = state.values.filter((e) => e.k === k);
        if (previous.length === 0 || previous.every((e) => timestampLess(e.t, t))) {
          state.values = state.values.filter((e) => e.k !== k).concat([{ t, k, v }]);
        }
      },
    },
  };
}

