/**
 * Exercise 4.7: gossip (lecture 4, slide "Gossip protocols").
 *
 * When a node receives a message for the first time, it forwards it to `fanout` other nodes chosen
 * at random (the slide says 3), then delivers it. To stop a message from travelling for ever, it
 * carries a round counter: 1 when the broadcasting node sends it, one more at each forwarding; a
 * node forwards only while round < rounds.
 *
 *   on initialisation do
 *     sendSeq := 0; received := {}
 *   on request to broadcast m at node N_i do
 *     msg := (N_i, sendSeq, round 1, m); sendSeq := sendSeq + 1
 *     received := received ∪ {(N_i, seq)}
 *     send msg to fanout random other nodes via reliable links; deliver m to the application
 *   on receiving (origin, seq, round, m) via reliable links do
 *     if (origin, seq) ∉ received then
 *       received := received ∪ {(origin, seq)}
 *       if round < rounds then send (origin, seq, round + 1, m) to fanout random other nodes
 *       deliver m to the application
 *
 * "fanout random other nodes": distinct nodes, never the node itself (all of them if there are
 * fewer). Draw randomness from ctx.random (a seeded stream: ctx.random.shuffle(list)), never
 * Math.random, so runs replay exactly.
 *
 * Write it as a protocol layer (docs/simulator.md, "Layers"). The tests stack it on the kit's
 * reliable links: stack(gossip({ fanout, rounds }), reliableLink()).
 *  - "send msg to node N via reliable links" is ctx.lower({ type: "send", to: N, m: msg }); the
 *    link retransmits lost messages and drops duplicates, so N's receive.GossipMsg runs once per send;
 *  - "deliver m to the application" is ctx.deliver(m, origin).
 *
 * What the tests observe: the trace of each run. At each node, each message's first receipt causes
 * sends to exactly min(fanout, n - 1) distinct other nodes, or none once the message has made
 * `rounds` hops; later receipts cause nothing; a node delivers each message once, only messages that
 * were broadcast; and over many runs with n = 16 and fanout 3, messages reach nearly every node.
 * The network loses, duplicates and reorders messages; in some runs nodes crash.
 */
import type { BroadcastRequest, LinkRequest } from "../src/protocols/broadcast/requests";
import type { NodeId, Protocol } from "../src/sim/protocol";

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
  return {
    name: "gossip",
    init: (ctx) => {
      throw new Error("Exercise 4.7 not implemented yet: init");
    },
    request: (state, req, ctx) => {
      throw new Error("Exercise 4.7 not implemented yet: request");
    },
    receive: {
      GossipMsg: (state, msg, from, ctx) => {
        throw new Error("Exercise 4.7 not implemented yet: receive GossipMsg");
      },
    },
  };
}
