/**
 * Total order broadcast, single-leader approach (lecture 4, slide "Total order broadcast
 * algorithms"): one node is the leader (sequencer). To broadcast m, a node sends it to the leader;
 * the leader broadcasts it via FIFO broadcast; everyone delivers in the leader's FIFO order, so
 * every node delivers the same sequence. If the leader crashes, nothing more is delivered (the
 * slide's "problem"; lecture 7's consensus fixes it).
 *
 * This layer sits on FIFO broadcast, and reaches the leader through that same broadcast: a node
 * FIFO-broadcasts (ToLeader, m), which every node except the leader ignores. That costs n messages
 * instead of one, but keeps to one lower layer, and since each node's ToLeader messages reach the
 * leader in FIFO order, the result is FIFO-total order. Stack it:
 * `singleLeaderTotalOrderStack("A")` in stacks.ts.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { BroadcastRequest } from "./requests";

export type SingleLeaderMsg =
  | { readonly type: "ToLeader"; readonly m: unknown }
  | { readonly type: "Sequenced"; readonly origin: NodeId; readonly m: unknown };

export interface SingleLeaderOptions {
  /** The leader (sequencer): a node id. */
  readonly leader: NodeId;
}

export function totalOrderSingleLeader(
  options: SingleLeaderOptions,
): Protocol<Record<string, never>, SingleLeaderMsg, BroadcastRequest, BroadcastRequest> {
  const { leader } = options;
  if (typeof leader !== "string" || leader === "") throw new RangeError(`leader must be a node id, got ${String(leader)}`);
  return {
    name: "total-order-leader",
    init: (ctx) => {
      if (!ctx.nodes.includes(leader)) throw new RangeError(`leader ${leader} is not one of the nodes ${ctx.nodes.join(", ")}`);
      return {};
    },
    // To broadcast message, send it to the leader
    request: (_state, req, ctx) => ctx.lower({ type: "broadcast", m: { type: "ToLeader", m: req.m } }),
    receive: {
      // leader broadcasts it via FIFO broadcast (the origin goes along, so deliveries name it)
      ToLeader: (_state, msg, from, ctx) => {
        if (ctx.nodeId === leader) ctx.lower({ type: "broadcast", m: { type: "Sequenced", origin: from, m: msg.m } });
      },
      Sequenced: (_state, msg, _from, ctx) => ctx.deliver(msg.m, msg.origin),
    },
  };
}
