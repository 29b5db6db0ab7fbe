/**
 * Best-effort broadcast (lecture 4, slide "Broadcast algorithms", first attempt): the broadcasting
 * node delivers m to itself and sends it directly to every other node via the link below. Over
 * reliable links it is reliable as long as the sender does not crash midway; over a fair-loss link
 * it may lose (or duplicate) messages.
 *
 * Stack it: `stack(bestEffortBroadcast(), reliableLink())` or `stack(bestEffortBroadcast(), fairLossLink())`.
 */
import type { Protocol } from "../../sim/protocol";
import type { BroadcastRequest, LinkRequest } from "./requests";

export type BestEffortMsg = { readonly type: "BebMsg"; readonly m: unknown };

export function bestEffortBroadcast(): Protocol<Record<string, never>, BestEffortMsg, BroadcastRequest, LinkRequest> {
  return {
    name: "best-effort-broadcast",
    init: () => ({}),
    // on request to broadcast m do: send m to every other node; deliver m to myself
    request: (_state, req, ctx) => {
      const msg: BestEffortMsg = { type: "BebMsg", m: req.m };
      for (const node of ctx.nodes) {
        if (node !== ctx.nodeId) ctx.lower({ type: "send", to: node, m: msg });
      }
      ctx.deliver(req.m, ctx.nodeId);
    },
    receive: {
      BebMsg: (_state, msg, from, ctx) => ctx.deliver(msg.m, from),
    },
  };
}
