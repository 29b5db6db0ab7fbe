/**
 * Exercise 4.4: FIFO broadcast (lecture 4, slide "FIFO broadcast algorithm").
 *
 *   on initialisation do
 *     sendSeq := 0; delivered := <0, 0, ..., 0>; buffer := {}
 *   on request to broadcast m at node N_i do
 *     send (i, sendSeq, m) via reliable broadcast
 *     sendSeq := sendSeq + 1
 *   on receiving msg from reliable broadcast at node N_i do
 *     buffer := buffer ∪ {msg}
 *     while ∃ sender, m. (sender, delivered[sender], m) ∈ buffer do
 *       deliver m to the application
 *       delivered[sender] := delivered[sender] + 1
 *
 * Write it as a protocol layer (src/sim/protocol.ts; docs/simulator.md, "Layers"). The tests stack
 * it on the kit's reliable broadcast: stack(fifoBroadcast(), reliableBroadcastStack()), i.e. eager
 * reliable broadcast over reliable (retransmitting, deduplicating, not FIFO) links.
 *  - "send msg via reliable broadcast" is ctx.lower({ type: "broadcast", m: msg });
 *  - reliable broadcast hands msg to your receive.FifoMsg handler at every node, the sender
 *    included (the sender's own copy comes back as soon as your request handler has returned:
 *    handlers never run inside each other, so write them in the slide's statement order);
 *  - "deliver m to the application" is ctx.deliver(m, sender's node id);
 *  - i is ctx.nodes.indexOf(ctx.nodeId), and ctx.nodes is the same list at every node.
 * State is plain data, mutated in place by the handlers.
 *
 * What the tests observe: only the trace of each run, judged by the kit's checkers (src/checks):
 * FIFO order (a node delivers each sender's messages in the order they were broadcast) and reliable
 * broadcast (every non-crashed node delivers every message broadcast by a non-crashed node, and
 * whatever another non-crashed node delivered, exactly once, nothing invented). Runs have 2-5 nodes,
 * broadcasts from several nodes at random times, a network that loses, duplicates and reorders
 * messages, and in some runs a node that crashes and never recovers.
 */
import type { BroadcastRequest } from "../src/protocols/broadcast/requests";
import type { Protocol } from "../src/sim/protocol";

/** (i, sendSeq, m): sent via reliable broadcast. */
export type FifoMsg = { readonly type: "FifoMsg"; readonly sender: number; readonly sendSeq: number; readonly m: unknown };

/** The slide's local variables. */
export interface FifoState {
  sendSeq: number;
  delivered: number[];
  buffer: FifoMsg[];
}

export function fifoBroadcast(): Protocol<FifoState, FifoMsg, BroadcastRequest, BroadcastRequest> {
  return {
    name: "fifo-broadcast",
    // on initialisation do
    init: (ctx) => {
      throw new Error("Exercise 4.4 not implemented yet: init");
    },
    // on request to broadcast m at node N_i do
    request: (state, req, ctx) => {
      throw new Error("Exercise 4.4 not implemented yet: request");
    },
    receive: {
      // on receiving msg from reliable broadcast at node N_i do
      FifoMsg: (state, msg, from, ctx) => {
        throw new Error("Exercise 4.4 not implemented yet: receive FifoMsg");
      },
    },
  };
}
