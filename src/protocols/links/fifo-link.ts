/**
 * A FIFO link over a link that may reorder (crash-stop model).
 *
 * The point-to-point version of the slide "FIFO broadcast algorithm" (lecture 4): the sender tags
 * each message with sendSeq, counting per destination; the receiver keeps delivered[sender] (how many
 * messages from that sender it has delivered) and a hold-back buffer, and delivers a buffered message
 * only when its number is the next one expected. Reliability comes from the layer below, via
 * ctx.lower: stack(fifoLink(), reliableLink()) over fair-loss links (reliableFifoLink() below), or
 * stack(fifoLink(), fairLossLink()) over the "reliable" network model, which may reorder.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import { stack } from "../stack";
import { reliableLink, type LinkSendRequest, type ReliableLinkOptions } from "./reliable-link";

export type FifoLinkMessage = { type: "FifoMsg"; sendSeq: number; m: unknown };

export interface Buffered {
  sender: NodeId;
  sendSeq: number;
  m: unknown;
}

export interface FifoLinkState {
  /** Per destination: the number the next message will carry. */
  sendSeq: Record<NodeId, number>;
  /** Per sender: how many of its messages have been delivered (= the next number expected). */
  delivered: Record<NodeId, number>;
  /** Received but not yet deliverable (the hold-back buffer). */
  buffer: Buffered[];
}

export interface FifoLinkOptions {
  /** Bound on the hold-back buffer (an assertion). Default 100000. */
  maxBuffered?: number;
}

export function fifoLink(options: FifoLinkOptions = {}): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  const maxBuffered = options.maxBuffered ?? 100_000;
  return {
    name: "fifo-link",

    // on initialisation do: sendSeq := 0; delivered := <0, 0, ..., 0>; buffer := {}
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),

    // on request to send m to node `to` do: send (sendSeq, m) via the link below
    request: (state, req, ctx) => ctx.lower({ type: "send", to: req.to, m: numbered(state, req.to, req.m) }),

    receive: {
      // on receiving msg from the link below do
      FifoMsg: (state, msg, from, ctx) => {
        // A copy of a message already delivered or buffered changes nothing (buffer is a set).
        if (isStale(state, from, msg.sendSeq)) return;
        // buffer := buffer ∪ {msg}
        if (state.buffer.length >= maxBuffered) throw new Error(`fifo link: hold-back buffer over ${maxBuffered} messages`);
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        deliverFromBuffer(state, from, (m) => ctx.deliver(m, from));
      },
    },
  };
}

/** A reliable FIFO link: the FIFO link stacked on the reliable link (retransmit, deduplicate, reorder). */
export function reliableFifoLink(options: ReliableLinkOptions = {}) {
  return stack(fifoLink(), reliableLink(options));
}

/** The message carrying m to `to`: numbered with sendSeq[to], which then counts one more. */
export function numbered(state: FifoLinkState, to: NodeId, m: unknown): FifoLinkMessage {
  const sendSeq = state.sendSeq[to] ?? 0;
  // sendSeq := sendSeq + 1
  state.sendSeq[to] = sendSeq + 1;
  return { type: "FifoMsg", sendSeq, m };
}

/**
 * while ∃ m. (sender, delivered[sender], m) ∈ buffer do
 *   deliver m to the application; delivered[sender] := delivered[sender] + 1
 * Shared with the crash-recovery variant. `beforeDeliver` runs between the bookkeeping and the
 * delivery (the crash-recovery link persists there).
 */
export function deliverFromBuffer(
  state: FifoLinkState,
  sender: NodeId,
  deliver: (m: unknown) => void,
  beforeDeliver: () => void = () => {},
): number {
  let count = 0;
  // Each iteration removes one buffered message, so the loop ends within buffer.length rounds.
  for (;;) {
    const expected = state.delivered[sender] ?? 0;
    const i = state.buffer.findIndex((b) => b.sender === sender && b.sendSeq === expected);
    if (i < 0) return count;
    const [entry] = state.buffer.splice(i, 1);
    state.delivered[sender] = expected + 1;
    beforeDeliver();
    deliver(entry.m);
    count += 1;
  }
}

/** True if the message numbered sendSeq from sender was delivered already or is in the buffer. */
export function isStale(state: FifoLinkState, sender: NodeId, sendSeq: number): boolean {
  return sendSeq < (state.delivered[sender] ?? 0) || state.buffer.some((b) => b.sender === sender && b.sendSeq === sendSeq);
}
