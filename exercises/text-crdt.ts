/**
 * Exercise 8.4: the slides' text CRDT (lecture 8, "Operation-based text CRDT (1/2)" and "(2/2)").
 *
 *   on initialisation do chars := {(0, null, ⊢), (1, null, ⊣)}
 *   on request to read character at index index do
 *     let (p, n, v) := ELEMENTAT(chars, index + 1); return v
 *   on request to insert character v at index index at node nodeId do
 *     let (p1, n1, v1) := ELEMENTAT(chars, index)
 *     let (p2, n2, v2) := ELEMENTAT(chars, index + 1)
 *     broadcast (insert, (p1 + p2)/2, nodeId, v) by causal broadcast
 *   on delivering (insert, p, n, v) by causal broadcast do chars := chars ∪ {(p, n, v)}
 *   on request to delete character at index index do
 *     let (p, n, v) := ELEMENTAT(chars, index + 1)
 *     broadcast (delete, p, n) by causal broadcast
 *   on delivering (delete, p, n) by causal broadcast do
 *     chars := {(p', n', v') ∈ chars | ¬(p' = p ∧ n' = n)}
 *
 * The data model is in src/protocols/crdt/position-text.ts: positions are exact binary fractions
 * (START is ⊢ = 0, END is ⊣ = 1, midpoint(p1, p2) is (p1 + p2)/2, comparePositions orders them), a
 * triple is a Char { p, n, v }, compareChars orders triples by (p, n), ELEMENTAT is elementAt
 * (on chars kept sorted by compareChars) and textOf(chars) is the text between the markers.
 *
 * Write positionTextCrdt() as a protocol layer; the tests stack it on the kit's causal broadcast,
 * stack(positionTextCrdt(), causalBroadcastStack()), which delivers to the sender too.
 *  - requests: { type: "insert", index, v } (one character), { type: "delete", index },
 *    { type: "read" } answered by ctx.deliver({ text }) (and { type: "read", index } by
 *    ctx.deliver({ index, v }));
 *  - "broadcast ... by causal broadcast" is ctx.lower({ type: "broadcast", m: { type: "Insert", p, n, v } })
 *    (or { type: "Delete", p, n }); keep state.chars sorted with the markers first and last.
 *
 * What the tests observe: reads of the text. Edits made one after another (each seen everywhere
 * before the next) give exactly the text a plain string would; concurrent edits at several replicas
 * converge to the same text, which holds every inserted character that was not deleted, once.
 */
import type { Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import type { TextMsg, TextRequest, TextState } from "../src/protocols/crdt/position-text";

export function positionTextCrdt(): Protocol<TextState, TextMsg, TextRequest, BroadcastRequest> {
  return {
    name: "position-text",
    // on initialisation do
    init: () => {
      throw new Error("Exercise 8.4 not implemented yet: init");
    },
    request: (state, req, ctx) => {
      throw new Error("Exercise 8.4 not implemented yet: request");
    },
    receive: {
      Insert: (state, msg, from, ctx) => {
        throw new Error("Exercise 8.4 not implemented yet: receive Insert");
      },
      Delete: (state, msg, from, ctx) => {
        throw new Error("Exercise 8.4 not implemented yet: receive Delete");
      },
    },
  };
}
