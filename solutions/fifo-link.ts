/**
 * Reference solution of Exercise 2.1 (see exercises/fifo-link.ts for the contract): the kit's FIFO
 * link (src/protocols/links/fifo-link.ts), sending its numbered messages straight onto the network
 * (the "reliable" network model, which may reorder) instead of to a link layer below.
 */
import type { Protocol } from "../src/sim/protocol";
import { fifoLink as libraryFifoLink, numbered, type FifoLinkMessage, type FifoLinkState } from "../src/protocols/links/fifo-link";
import type { LinkSendRequest } from "../src/protocols/links/reliable-link";

export type { Buffered, FifoLinkMessage, FifoLinkState } from "../src/protocols/links/fifo-link";
export type { LinkSendRequest } from "../src/protocols/links/reliable-link";

export function fifoLink(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest> {
  const link = libraryFifoLink();
  return {
    ...link,
    // on request to send m to node `to` do: send (sendSeq, m) to `to`; sendSeq := sendSeq + 1
    request: (state, req, ctx) => ctx.send(req.to, numbered(state, req.to, req.m)),
  };
}
