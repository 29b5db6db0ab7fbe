/**
 * Reference solution of Exercise 8.4 (see exercises/text-crdt.ts for the contract), re-exported by
 * the library (src/protocols/crdt/text-crdt.ts).
 *
 * The slides' operation-based text CRDT (lecture 8, "Operation-based text CRDT (1/2)" and "(2/2)"):
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
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import { END, START, compareChars, comparePositions, elementAt, midpoint, textOf, type Char, type TextMsg, type TextRead, type TextRequest, type TextState } from "../src/protocols/crdt/position-text";

/** The slides' text CRDT as a layer over causal broadcast (which delivers to the sender too). */
export function positionTextCrdt(): Protocol<TextState, TextMsg, TextRequest, BroadcastRequest> {
  return {
    name: "position-text",
    // on initialisation do chars := {(0, null, ⊢), (1, null, ⊣)}
    init: () => ({ chars: [{ p: START, n: null, v: "⊢" }, { p: END, n: null, v: "⊣" }] }),
    request: (state, req, ctx) => {
      if (req.type === "read") {
        // on request to read character at index: return v of ELEMENTAT(chars, index + 1)
        ctx.deliver(req.index === undefined ? { text: textOf(state.chars) } : { index: req.index, v: elementAt(state.chars, req.index + 1).v } satisfies TextRead);
      } else if (req.type === "insert") {
        // on request to insert character v at index: broadcast (insert, (p1 + p2)/2, nodeId, v)
        if (typeof req.v !== "string" || [...req.v].length !== 1) throw new TypeError(`insert takes one character, got ${JSON.stringify(req.v)}`);
        if (!Number.isSafeInteger(req.index) || req.index < 0 || req.index > state.chars.length - 2) {
          throw new RangeError(`insert at ${String(req.index)}: the text has ${state.chars.length - 2} characters`);
        }
        const { p: p1 } = elementAt(state.chars, req.index);
        const { p: p2 } = elementAt(state.chars, req.index + 1);
        ctx.lower({ type: "broadcast", m: { type: "Insert", p: midpoint(p1, p2), n: ctx.nodeId, v: req.v } satisfies TextMsg });
      } else {
        // on request to delete character at index: broadcast (delete, p, n) of ELEMENTAT(chars, index + 1)
        if (!Number.isSafeInteger(req.index) || req.index < 0 || req.index >= state.chars.length - 2) {
          throw new RangeError(`delete at ${String(req.index)}: the text has ${state.chars.length - 2} characters`);
        }
        const { p, n } = elementAt(state.chars, req.index + 1);
        ctx.lower({ type: "broadcast", m: { type: "Delete", p, n: n as NodeId } satisfies TextMsg });
      }
    },
    receive: {
      // on delivering (insert, p, n, v) by causal broadcast do chars := chars ∪ {(p, n, v)}
      Insert: (state, { p, n, v }) => {
        const char: Char = { p, n, v };
        let at = state.chars.length - 1;
        while (at > 0 && compareChars(state.chars[at - 1]!, char) > 0) at--;
        if (at > 0 && compareChars(state.chars[at - 1]!, char) === 0) return; // a set: already there
        state.chars.splice(at, 0, char);
      },
      // on delivering (delete, p, n) by causal broadcast do chars := {(p', n', v') ∈ chars | ¬(p' = p ∧ n' = n)}
      Delete: (state, { p, n }) => {
        state.chars = state.chars.filter((c) => !(c.n === n && comparePositions(c.p, p) === 0));
      },
    },
  };
}

