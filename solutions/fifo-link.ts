/**
 * Reference solution of Exercise 2.1 (see exercises/fifo-link.ts for the contract): the kit's FIFO
 * link sending straight onto the network (src/protocols/links/fifo-link.ts).
 */
import type { Protocol } from "../src/sim/protocol";
import { fifoLink as libraryFifoLink, type FifoLinkMessage, type FifoLinkState } from "../src/protocols/links/fifo-link";
import type { LinkSendRequest } from "../src/protocols/links/reliable-link";

export type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-link";
export type { LinkSendRequest } from "../src/protocols/links/reliable-link";

export function fifoLink(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest> {
  return libraryFifoLink({ over: "network" });
}
