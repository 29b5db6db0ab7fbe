/**
 * The network as a link (lecture 2, "System model: network behaviour"): one attempt per message, no
 * retransmission, no deduplication. Over a fair-loss network it is a fair-loss link (messages may be
 * lost or duplicated); over the "reliable" network model it is a reliable link that may reorder.
 * Takes `{ type: "send", to, m }` requests and delivers m at `to`, naming the sender.
 *
 *   stack(bestEffortBroadcast(), fairLossLink())
 */
import type { Protocol } from "../../sim/protocol";
import type { LinkSendRequest } from "./reliable-link";

export type FairLossLinkMessage = { readonly type: "FlData"; readonly m: unknown };

export function fairLossLink(): Protocol<Record<string, never>, FairLossLinkMessage, LinkSendRequest> {
  return {
    name: "fair-loss-link",
    init: () => ({}),
    // on request to send m to node `to` do: send it once
    request: (_state, req, ctx) => ctx.send(req.to, { type: "FlData", m: req.m }),
    receive: {
      // on receiving (FlData, m) from node sender do: deliver m (every copy)
      FlData: (_state, msg, from, ctx) => ctx.deliver(msg.m, from),
    },
  };
}
