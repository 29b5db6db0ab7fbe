/**
 * The Lamport clocks algorithm as a protocol layer (lecture 4, slide "Lamport clocks algorithm"):
 *
 *   on initialisation do t := 0
 *   on any event occurring at the local node do t := t + 1
 *   on request to send message m do t := t + 1; send (t, m) via the underlying network link
 *   on receiving (t', m) via the underlying network link do
 *     t := max(t, t') + 1; deliver m to the application
 *
 * Every handled event is annotated with its timestamp (ctx.annotate({ lamport: { L, N } }), read back
 * as event.annotations.lamport) and labelled with it (ctx.label), so a space-time diagram
 * shows the slide's numbers. Used alone, the application sends with
 * `{ type: "send", to, m }` and marks local events with `{ type: "event" }`. It takes the same
 * `send` request as a link, so it can also sit under any layer that sends via a link, e.g.
 * `stack(bestEffortBroadcast(), lamportClock())` timestamps a broadcast's messages.
 */
import type { Message, NodeId, Protocol } from "../../sim/protocol";
import { formatLamport } from "./lamport";
// Exercise 4.2's clock: in the handout, the student's (this protocol demonstrates that exercise).
import { createLamportClock, receive, send, tick } from "./lamport-clock";

export type LamportClockRequest =
  | { readonly type: "send"; readonly to: NodeId; readonly m: unknown }
  | { readonly type: "event"; readonly name?: string };

export type LamportClockMsg = { readonly type: "LamportMsg"; readonly t: number; readonly m: unknown };

export interface LamportClockState {
  t: number;
}

export function lamportClock(): Protocol<LamportClockState, LamportClockMsg, LamportClockRequest> {
  return {
    name: "lamport-clock",
    init: () => createLamportClock(),
    request: (state, req, ctx) => {
      if (req.type === "event") {
        tick(state);
        ctx.label(`${req.name ? `${req.name} ` : ""}${formatLamport({ L: state.t, N: ctx.nodeId })}`);
        ctx.annotate({ lamport: { L: state.t, N: ctx.nodeId }, ...(req.name ? { event: req.name } : {}) });
        return;
      }
      send(state);
      ctx.label(formatLamport({ L: state.t, N: ctx.nodeId }));
      ctx.annotate({ lamport: { L: state.t, N: ctx.nodeId } });
      ctx.send(req.to, { type: "LamportMsg", t: state.t, m: req.m });
    },
    receive: {
      LamportMsg: (state, msg, from, ctx) => {
        receive(state, msg.t);
        ctx.label(formatLamport({ L: state.t, N: ctx.nodeId }));
        ctx.annotate({ lamport: { L: state.t, N: ctx.nodeId } });
        ctx.deliver(msg.m as Message, from);
      },
    },
  };
}
