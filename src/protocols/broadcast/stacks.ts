/**
 * The broadcast protocols stacked as the slides describe them ("Broadcast algorithms": make
 * best-effort broadcast reliable, then enforce a delivery order on top), ready to run:
 *
 *   reliableBroadcastStack()        eager reliable broadcast / reliable links
 *   fifoBroadcastStack()            FIFO broadcast / eager reliable broadcast / reliable links
 *   causalBroadcastStack()          causal broadcast / eager reliable broadcast / reliable links
 *   singleLeaderTotalOrderStack(l)  total order (leader l) / FIFO broadcast / ... / reliable links
 *   lamportTotalOrderStack()        total order (Lamport clocks) / FIFO links / reliable links
 *
 * The reliable links are not FIFO (messages may overtake), as the slides assume: over FIFO links,
 * eager reliable broadcast would already deliver in causal order, hiding what the FIFO and causal
 * layers do.
 *
 * Each takes `{ type: "broadcast", m }` requests and delivers m to the application. The links are
 * lecture 2's (src/protocols/links): reliableLink, and reliableFifoLink (go-back-N, links/go-back-n.ts).
 */
import { stack } from "../stack";
import { causalBroadcast } from "./causal";
import { eagerReliableBroadcast } from "./eager-reliable";
import { fifoBroadcast } from "./fifo";
import { reliableFifoLink } from "../links/go-back-n";
import { reliableLink, type ReliableLinkOptions } from "../links/reliable-link";
import { totalOrderLamport } from "./total-order-lamport";
import { totalOrderSingleLeader } from "./total-order-leader";
import type { NodeId } from "../../sim/protocol";

export function reliableBroadcastStack(link: ReliableLinkOptions = {}) {
  return stack(eagerReliableBroadcast(), reliableLink(link));
}

export function fifoBroadcastStack(link: ReliableLinkOptions = {}) {
  return stack(fifoBroadcast(), reliableBroadcastStack(link));
}

export function causalBroadcastStack(link: ReliableLinkOptions = {}) {
  return stack(causalBroadcast(), reliableBroadcastStack(link));
}

export function singleLeaderTotalOrderStack(leader: NodeId, link: ReliableLinkOptions = {}) {
  return stack(totalOrderSingleLeader({ leader }), fifoBroadcastStack(link));
}

export function lamportTotalOrderStack(link: ReliableLinkOptions = {}) {
  return stack(totalOrderLamport(), reliableFifoLink(link));
}
