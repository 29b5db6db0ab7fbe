/**
 * Reference solution of Exercise 2.2 (see exercises/fifo-link-recovery.ts for the contract): the kit's
 * crash-recovery FIFO link (src/protocols/links/fifo-link-recovery.ts, whose comment explains what is
 * written to stable storage, and when).
 */
import type { Protocol } from "../src/sim/protocol";
import type { LinkSendRequest } from "../src/protocols/links/reliable-link";
import type { FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-link";
import { fifoLinkRecovery as libraryLink } from "../src/protocols/links/fifo-link-recovery";

export type { LinkSendRequest } from "../src/protocols/links/reliable-link";
export type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-link";

export function fifoLinkRecovery(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  return libraryLink();
}
