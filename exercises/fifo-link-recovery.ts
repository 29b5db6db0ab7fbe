/**
 * Exercise 2.2: the FIFO link of Exercise 2.1 in the crash-recovery model (lecture 2, "System model:
 * node behaviour": a node may crash at any moment, losing its in-memory state, and resume later; data
 * in stable storage survives the crash).
 *
 * Your protocol is the upper layer of a stack: the tests run
 *     stack(fifoLinkRecovery(), reliableLink({ durable: true, retransmitMs: 60 }))
 * at every node, over fair-loss links that lose, duplicate and reorder messages. The layer below
 * (src/protocols/links/reliable-link.ts) is given and correct:
 * - `ctx.lower({ type: "send", to, m })` hands it a message for node `to`. It writes the message to its
 *   own stable storage at once, and retransmits it (also after the sender recovers from a crash)
 *   until the receiver's link acknowledges it.
 * - It delivers each message to your layer at most once, even across crashes: the receiving link
 *   records a message as delivered (in its stable storage) and then calls your handler for the
 *   message's `type`, in one step. Messages reach you in any order.
 * So once your handler has run for a message, nobody will ever send it to you again. Send only
 * through it (ctx.lower): your layer puts nothing on the network itself (the tests check).
 *
 * The simulator runs each handler to completion: a crash happens between handlers, never inside one.
 * After a crash, the node runs your `recover(ctx)`, which must rebuild the state from ctx.storage
 * (without `recover`, the node starts from `init`, as if new). Decide what must be in ctx.storage,
 * and when to write it, so that no message is lost, none is delivered twice, and none out of order.
 * Think about each point where a crash could happen: after sending, after receiving a message that is
 * not yet deliverable, after delivering.
 *
 *   on initialisation do   sendSeq := <0, ..., 0>; delivered := <0, ..., 0>; buffer := {}
 *   on request to send m to node `to` do
 *     ctx.lower(send (sendSeq[to], m) to `to`); sendSeq[to] := sendSeq[to] + 1
 *   on receiving (seq, m) from `sender` via the link below do
 *     buffer := buffer ∪ {(sender, seq, m)}
 *     while ∃ m'. (sender, delivered[sender], m') ∈ buffer do
 *       deliver m' to the application; delivered[sender] := delivered[sender] + 1
 *   on recovery from crash do   ... (yours)
 *
 * Requests come from the application as { type: "send", to, m }; deliver with ctx.deliver(m, sender).
 * What the tests observe (random seeds, 2-3 nodes sending to each other, each node crashing and
 * recovering up to 3 times, 20-150 ms later): every message a node was asked to send is delivered at
 * its destination exactly once, and each sender's messages in the order sent.
 */
import type { Protocol } from "../src/sim/protocol";
import type { LinkSendRequest } from "../src/protocols/links/reliable-link";
import type { FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-types";

export type { LinkSendRequest } from "../src/protocols/links/reliable-link";
export type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-types";

export function fifoLinkRecovery(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  return {
    name: "fifo-link-recovery",
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),
    request: (state, req, ctx) => {
      throw new Error("Exercise 2.2 not implemented yet: fifoLinkRecovery, on request to send");
    },
    receive: {
      FifoMsg: (state, msg, from, ctx) => {
        throw new Error("Exercise 2.2 not implemented yet: fifoLinkRecovery, on receiving FifoMsg");
      },
    },
    recover: (ctx) => {
      throw new Error("Exercise 2.2 not implemented yet: fifoLinkRecovery, on recovery from crash");
    },
  };
}
