/**
 * Exercise 8.1: operation-based map CRDT (lecture 8, slide "Operation-based map CRDT").
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
 *
 * Write it as a protocol layer (src/sim/protocol.ts; docs/simulator.md, "Layers"). The tests stack
 * it on the kit's reliable broadcast: stack(opBasedMap(), reliableBroadcastStack()).
 *  - requests are { type: "set", k, v } and { type: "read", k }; a read is answered by
 *    ctx.deliver({ read: k, value }) (value null for a key never set);
 *  - "broadcast (set, t, k, v) by reliable broadcast" is ctx.lower({ type: "broadcast", m: { type: "Set", t, k, v } });
 *    reliable broadcast hands it to your receive.Set handler at every node, the sender included;
 *  - newTimestamp(state, ctx.nodeId) (src/protocols/crdt/map-crdt.ts) gives a Lamport timestamp
 *    { L, N } from state.clock; keep state.clock at least the greatest L you have delivered, so
 *    that a set made after seeing another gets a greater timestamp; timestampLess(t1, t2) is t1 < t2
 *    (by L, then by node name: the tie-break matters).
 * State is plain data, mutated in place.
 *
 * What the tests observe: the answers to reads. After the writes have spread, every replica that
 * is up answers every key alike (convergence); each answer is a value written for that key; a key
 * written once has that value; of writes made one after another, the last one wins. Runs have 2-5
 * nodes, concurrent writes of the same keys, loss, duplication, reordering and crashes.
 */
import type { Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import type { MapRequest, MapState, SetMsg } from "../src/protocols/crdt/map-crdt";

export function opBasedMap(): Protocol<MapState, SetMsg, MapRequest, BroadcastRequest> {
  return {
    name: "op-based-map",
    // on initialisation do
    init: () => {
      throw new Error("Exercise 8.1 not implemented yet: init");
    },
    // on request to read / set
    request: (state, req, ctx) => {
      throw new Error("Exercise 8.1 not implemented yet: request");
    },
    receive: {
      // on delivering (set, t, k, v) by reliable broadcast do
      Set: (state, msg, from, ctx) => {
        throw new Error("Exercise 8.1 not implemented yet: receive Set");
      },
    },
  };
}
