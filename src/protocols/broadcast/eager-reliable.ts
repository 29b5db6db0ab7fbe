/**
 * Eager reliable broadcast (lecture 4, slide "Eager reliable broadcast"): the first time a node
 * receives a particular message, it re-broadcasts it to every other node via reliable links, then
 * delivers it. So if any correct node has the message, all correct nodes get it, even when the
 * original sender crashed halfway through sending. Cost: up to O(n^2) messages per broadcast.
 *
 * Messages are identified by (origin, seq). Stack it over a link:
 * `stack(eagerReliableBroadcast(), reliableLink())`.
 */
import type { Context, NodeId, Protocol } from "../../sim/protocol";
import type { BroadcastRequest, LinkRequest } from "./requests";

export type EagerReliableMsg = {
  readonly type: "RbMsg";
  readonly origin: NodeId;
  readonly seq: number;
  readonly m: unknown;
};

export interface EagerReliableState {
  sendSeq: number;
  /** "origin:seq" of every message already received (and so delivered and re-broadcast). */
  received: Set<string>;
}

export function eagerReliableBroadcast(): Protocol<EagerReliableState, EagerReliableMsg, BroadcastRequest, LinkRequest> {
  // Receipt (or own broadcast) of msg for the first time: mark it, re-broadcast, deliver.
  const firstReceipt = (
    state: EagerReliableState,
    msg: EagerReliableMsg,
    ctx: Context<EagerReliableMsg, LinkRequest>,
  ): void => {
    const key = `${msg.origin}:${msg.seq}`;
    if (state.received.has(key)) return;
    state.received.add(key);
    for (const node of ctx.nodes) {
      if (node !== ctx.nodeId) ctx.lower({ type: "send", to: node, m: msg });
    }
    ctx.deliver(msg.m, msg.origin);
  };
  return {
    name: "eager-reliable-broadcast",
    init: () => ({ sendSeq: 0, received: new Set<string>() }),
    request: (state, req, ctx) => {
      const msg: EagerReliableMsg = { type: "RbMsg", origin: ctx.nodeId, seq: state.sendSeq, m: req.m };
      state.sendSeq += 1;
      firstReceipt(state, msg, ctx);
    },
    receive: {
      RbMsg: (state, msg, _from, ctx) => firstReceipt(state, msg, ctx),
    },
  };
}
