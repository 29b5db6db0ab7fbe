/**
 * The vector clocks algorithm as a protocol layer (lecture 4, slide "Vector clocks algorithm"):
 *
 *   on initialisation at node Ni do T := <0, 0, ..., 0>
 *   on any event occurring at node Ni do T[i] := T[i] + 1
 *   on request to send message m at node Ni do T[i] := T[i] + 1; send (T, m) via network
 *   on receiving (T', m) at node Ni via the network do
 *     T[j] := max(T[j], T'[j]) for every j; T[i] := T[i] + 1; deliver m to the application
 *
 * The vector is indexed like ctx.nodes (the slide's N = <N0, ..., Nn-1>). Every handled event is
 * labelled with V(e), e.g. "<2, 2, 0>", and annotated with it as data ({ vector: [2, 2, 0] }). Requests are the same as lamportClock's.
 */
import type { Message, NodeId, Protocol } from "../../sim/protocol";
import { formatVector } from "./vector";
// Exercise 4.3's clock: in the handout, the student's (this protocol demonstrates that exercise).
import { createVectorClock, receive, tick, type VectorClock } from "./vector-clock";

export type VectorClockRequest =
  | { readonly type: "send"; readonly to: NodeId; readonly m: unknown }
  | { readonly type: "event"; readonly name?: string };

export type VectorClockMsg = { readonly type: "VectorMsg"; readonly T: number[]; readonly m: unknown };

/** The node's clock: T, the node list and the node's index in it. */
export type VectorClockState = VectorClock;

export function vectorClock(): Protocol<VectorClockState, VectorClockMsg, VectorClockRequest> {
  return {
    name: "vector-clock",
    init: (ctx) => createVectorClock([...ctx.nodes], ctx.nodeId),
    request: (state, req, ctx) => {
      tick(state);
      if (req.type === "event") {
        ctx.label(`${req.name ? `${req.name} ` : ""}${formatVector(state.T)}`);
        ctx.annotate({ vector: state.T.slice(), ...(req.name ? { event: req.name } : {}) });
        return;
      }
      ctx.label(formatVector(state.T));
      ctx.annotate({ vector: state.T.slice() });
      ctx.send(req.to, { type: "VectorMsg", T: state.T.slice(), m: req.m });
    },
    receive: {
      VectorMsg: (state, msg, from, ctx) => {
        receive(state, msg.T);
        ctx.label(formatVector(state.T));
        ctx.annotate({ vector: state.T.slice() });
        ctx.deliver(msg.m as Message, from);
      },
    },
  };
}
