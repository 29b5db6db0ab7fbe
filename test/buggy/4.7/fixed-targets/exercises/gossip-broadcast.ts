/**
 * BUGGY (forwards to the first fanout other nodes in the list, not random ones) variant of Exercise 4.7.
 *
 * Gossip (lecture 4, slide "Gossip protocols"): when a node receives a message for the first time,
 * it forwards it to `fanout` other nodes chosen at random (the slide says 3), then delivers it.
 * The message carries a round counter (hops from its origin); it is forwarded only while
 * round < rounds, so a message cannot circulate for ever. It reaches every node with high
 * probability, not certainly: tests and notebooks measure how often.
 *
 * Random choices come from ctx.random (the node's seeded stream). Stack it over a link:
 * `stack(gossip({ fanout: 3, rounds: 10 }), reliableLink())`.
 */
import type { Context, NodeId, Protocol } from "../../../../../src/sim/protocol";
import type { BroadcastRequest, LinkRequest } from "../../../../../src/protocols/broadcast/requests";

export type GossipMsg = {
  readonly type: "GossipMsg";
  readonly origin: NodeId;
  readonly seq: number;
  /** 1 when sent by the origin, +1 on each forwarding. */
  readonly round: number;
  readonly m: unknown;
};

export interface GossipState {
  sendSeq: number;
  received: Set<string>;
}

export interface GossipOptions {
  /** How many random other nodes each node forwards to (default 3). */
  readonly fanout?: number;
  /** Most hops a message makes (default 10). */
  readonly rounds?: number;
}

export function gossip(options: GossipOptions = {}): Protocol<GossipState, GossipMsg, BroadcastRequest, LinkRequest> {
  const fanout = options.fanout ?? 3;
  const rounds = options.rounds ?? 10;
  if (!Number.isSafeInteger(fanout) || fanout < 1) throw new RangeError(`fanout must be a positive integer, got ${String(fanout)}`);
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer, got ${String(rounds)}`);
  type Ctx = Context<GossipMsg, LinkRequest>;
  const forward = (msg: GossipMsg, ctx: Ctx): void => {
    const others = ctx.nodes.filter((node) => node !== ctx.nodeId);
    // BUG: always the first fanout others, not random ones
    for (const node of others.slice(0, fanout)) ctx.lower({ type: "send", to: node, m: msg });
  };
  return {
    name: "gossip",
    init: () => ({ sendSeq: 0, received: new Set<string>() }),
    request: (state, req, ctx) => {
      const msg: GossipMsg = { type: "GossipMsg", origin: ctx.nodeId, seq: state.sendSeq, round: 1, m: req.m };
      state.sendSeq += 1;
      state.received.add(`${msg.origin}:${msg.seq}`);
      forward(msg, ctx);
      ctx.deliver(req.m, ctx.nodeId);
    },
    receive: {
      GossipMsg: (state, msg, _from, ctx) => {
        const key = `${msg.origin}:${msg.seq}`;
        if (state.received.has(key)) return;
        state.received.add(key);
        if (msg.round < rounds) forward({ ...msg, round: msg.round + 1 }, ctx);
        ctx.deliver(msg.m, msg.origin);
      },
    },
  };
}
