/**
 * A FIFO link over a reliable link that may reorder (crash-stop model).
 *
 * The point-to-point version of the slide "FIFO broadcast algorithm" (lecture 4): the sender tags
 * each message with sendSeq, counting per destination; the receiver keeps delivered[sender] (how many
 * messages from that sender it has delivered) and a hold-back buffer, and delivers a buffered message
 * only when its number is the next one expected. Reliability comes from below: either the network
 * itself (`over: "network"`, for the "reliable" network model, which may reorder) or a reliable link
 * layer (`over: "lower"`, stacked with stack(fifoLink(...), reliableLink())) over fair-loss links.
 *
 * `bug: "off-by-one"` is a deliberately wrong variant for exercises and tests: the receiver also
 * accepts any number up to one past the expected one, so a reordered pair is delivered out of order.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { LinkSendRequest } from "./reliable-link";

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
  /** Where messages go: straight onto the network, or to the layer below via ctx.lower. Default "network". */
  over?: "network" | "lower";
  /** A deliberately broken variant, for tests and exercises. */
  bug?: "off-by-one";
  /** Bound on the hold-back buffer (an assertion). Default 100000. */
  maxBuffered?: number;
}

export function fifoLink(options: FifoLinkOptions = {}): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  const over = options.over ?? "network";
  const offByOne = options.bug === "off-by-one";
  const maxBuffered = options.maxBuffered ?? 100_000;
  return {
    name: offByOne ? "fifo-link(off-by-one)" : "fifo-link",

    // on initialisation do: sendSeq := 0; delivered := <0, 0, ..., 0>; buffer := {}
    init: () => ({ sendSeq: {}, delivered: {}, buffer: [] }),

    // on request to send m to node `to` do
    request: (state, req, ctx) => {
      const sendSeq = state.sendSeq[req.to] ?? 0;
      const msg: FifoLinkMessage = { type: "FifoMsg", sendSeq, m: req.m };
      if (over === "lower") ctx.lower({ type: "send", to: req.to, m: msg });
      else ctx.send(req.to, msg);
      // sendSeq := sendSeq + 1
      state.sendSeq[req.to] = sendSeq + 1;
    },

    receive: {
      // on receiving msg from the reliable link do
      FifoMsg: (state, msg, from, ctx) => {
        // A copy of a message already delivered or buffered changes nothing (buffer is a set).
        if (!offByOne && isStale(state, from, msg.sendSeq)) return;
        // buffer := buffer ∪ {msg}
        if (state.buffer.length >= maxBuffered) throw new Error(`fifo link: hold-back buffer over ${maxBuffered} messages`);
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        deliverFromBuffer(state, from, (m) => ctx.deliver(m, from), offByOne);
      },
    },
  };
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
  offByOne = false,
  beforeDeliver: () => void = () => {},
): number {
  let count = 0;
  // Each iteration removes one buffered message, so the loop ends within buffer.length rounds.
  for (;;) {
    const expected = state.delivered[sender] ?? 0;
    const i = state.buffer.findIndex(
      (b) => b.sender === sender && (offByOne ? b.sendSeq <= expected + 1 : b.sendSeq === expected),
    );
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
