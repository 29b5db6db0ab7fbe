/**
 * Exercise 4.6: FIFO-total order broadcast with Lamport clocks (lecture 4, slide "Total order
 * broadcast algorithms", Lamport clocks approach).
 *
 * Attach a Lamport timestamp to every message and deliver messages in the total order of
 * (timestamp, sender) (slide "Lamport clocks example": (L, N) < (L', N') iff L < L', or L = L' and
 * N < N', comparing node ids as strings). The difficulty is knowing that no message with a smaller
 * (timestamp, sender) can still arrive. Over FIFO links, once a node has received anything with a
 * greater (timestamp, node) from node N, nothing smaller from N can follow. So hold each message
 * back until every other node has sent something greater; a node with nothing to broadcast must
 * still say how far its clock has moved, with a Clock message:
 *
 *   on initialisation do
 *     t := 0; latest[N] := 0 for every node N; holdBack := {}
 *   on request to broadcast m at node N_i do
 *     t := t + 1; holdBack := holdBack ∪ {(t, N_i, m)}
 *     send (Timestamped, t, m) to every other node via FIFO links; deliverReady()
 *   on receiving (Timestamped, t', m) from N_j via FIFO links do
 *     t := max(t, t') + 1; latest[N_j] := t'; holdBack := holdBack ∪ {(t', N_j, m)}
 *     if nothing N_i has sent is greater than (t', N_j) then
 *       send (Clock, t) to every other node via FIFO links
 *     deliverReady()
 *   on receiving (Clock, t') from N_j via FIFO links do
 *     t := max(t, t') + 1; latest[N_j] := t'; deliverReady()
 *   function deliverReady()
 *     while holdBack has a smallest (t', N_j, m) in (timestamp, sender) order, and
 *           (latest[N], N) > (t', N_j) for every node N other than N_j and N_i do
 *       holdBack := holdBack \ {(t', N_j, m)}; deliver m to the application
 *
 * A node delivers its own messages through the hold-back queue too (total order includes a node's
 * deliveries to itself). Node ids are known: ctx.nodes, the same list at every node.
 *
 * Write it as a protocol layer (docs/simulator.md, "Layers"). The tests stack it on the kit's
 * reliable FIFO links: stack(totalOrderLamport(), reliableFifoLink()).
 *  - "send msg to node N via FIFO links" is ctx.lower({ type: "send", to: N, m: msg }); the link
 *    retransmits lost messages, drops duplicates, and hands msg to your receive handler for
 *    msg.type at N exactly once, in the order sent;
 *  - "deliver m to the application" is ctx.deliver(m, sender's node id).
 *
 * What the tests observe: the trace of each run, judged by the kit's checkers (src/checks):
 * FIFO-total order (every node delivers the same sequence, each sender's messages in the order it
 * broadcast them) and, when no node crashes, that every node delivers every message once. Runs have
 * 2-5 nodes, some of which never broadcast, over a network that loses, duplicates and reorders
 * messages. This algorithm is not fault-tolerant: when a node crashes, the others may stop
 * delivering, but what they do deliver must still be in FIFO-total order.
 */
import type { BroadcastRequest, LinkRequest } from "../src/protocols/broadcast/requests";
import type { NodeId, Protocol } from "../src/sim/protocol";

export type TotalOrderLamportMsg =
  | { readonly type: "Timestamped"; readonly t: number; readonly m: unknown }
  | { readonly type: "Clock"; readonly t: number };

/** A message received (or broadcast) but not yet delivered. */
export interface HeldBack {
  readonly t: number;
  readonly sender: NodeId;
  readonly m: unknown;
}

export interface TotalOrderLamportState {
  /** The Lamport clock. */
  t: number;
  /** The largest timestamp this node has sent to everyone. */
  lastSent: number;
  /** The latest timestamp received from each node (FIFO links: nothing smaller can follow). */
  latest: Record<NodeId, number>;
  /** Received but not yet delivered. */
  holdBack: HeldBack[];
}

export function totalOrderLamport(): Protocol<TotalOrderLamportState, TotalOrderLamportMsg, BroadcastRequest, LinkRequest> {
  return {
    name: "total-order-lamport",
    init: (ctx) => {
      throw new Error("Exercise 4.6 not implemented yet: init");
    },
    request: (state, req, ctx) => {
      throw new Error("Exercise 4.6 not implemented yet: request");
    },
    receive: {
      Timestamped: (state, msg, from, ctx) => {
        throw new Error("Exercise 4.6 not implemented yet: receive Timestamped");
      },
      Clock: (state, msg, from, ctx) => {
        throw new Error("Exercise 4.6 not implemented yet: receive Clock");
      },
    },
  };
}
