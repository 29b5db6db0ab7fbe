/**
 * Types of the slides' FIFO link (sequence numbers and a hold-back buffer; lecture 4's "FIFO
 * broadcast algorithm" made point-to-point): the state and messages Exercises 2.1 and 2.2 suggest.
 * Types only: the algorithm is the exercises' (solutions/fifo-link.ts, solutions/fifo-link-recovery.ts).
 * The kit's own reliable FIFO link is built differently, by go-back-N (./go-back-n.ts).
 */
import type { NodeId } from "../../sim/protocol";

export type FifoLinkMessage = { type: "FifoMsg"; sendSeq: number; m: unknown };

/** A message received but not yet deliverable. */
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
