/**
 * The requests the broadcast layers take, shared so that layers compose with stack():
 *  - `BroadcastRequest`: "on request to broadcast m do" (from the application or the layer above);
 *  - `LinkRequest`: "send m to node `to` via the underlying link" (to a point-to-point link layer:
 *    the links' own request type, LinkSendRequest in ../links/reliable-link.ts).
 * The order checkers in src/checks recognise application broadcasts by `{ type: "broadcast", m }`.
 */
import type { LinkSendRequest } from "../links/reliable-link";

export interface BroadcastRequest {
  readonly type: "broadcast";
  readonly m: unknown;
}

export type LinkRequest = LinkSendRequest;

/** A fixed bound on loops over buffers: a buffer this large means something is wrong. */
export const MAX_BUFFERED = 100_000;

/** Throws unless the buffer is within MAX_BUFFERED (TigerStyle: put a limit on everything). */
export function requireBufferBound(name: string, length: number): void {
  if (length > MAX_BUFFERED) throw new RangeError(`${name} holds ${length} messages, more than the bound ${MAX_BUFFERED}`);
}
