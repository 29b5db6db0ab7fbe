/**
 * Exercise 1.1: message framing and request matching (lecture 1, slide "Remote Procedure Call (RPC)").
 *
 * An RPC client and server talk over one connection, which (like TCP) carries a stream of bytes, not
 * of messages: one write may arrive in several pieces, and several writes may arrive glued together.
 * So each message travels in a frame that says where it ends, and carries a request id that pairs a
 * response with its request, even when the server answers requests in a different order.
 *
 * The frame format (every integer unsigned, big-endian; the tests check the exact bytes):
 *
 *   offset 0  4 bytes  length     number of bytes after this field: 5 + payload length
 *   offset 4  1 byte   kind       1 = request, 2 = response
 *   offset 5  4 bytes  requestId  an integer in [0, 2^32)
 *   offset 9  ...      payload    length - 5 bytes
 *
 * Implement:
 * - `encodeFrame(frame)`: the bytes of one frame. Throw a RangeError for a requestId that is not an
 *   integer in [0, 2^32) or a payload over MAX_PAYLOAD_BYTES.
 * - `FrameDecoder`: the receiving end. `push(chunk)` is called with each piece of the stream as it
 *   arrives, in order, and returns the frames that piece completed, in stream order. It keeps the bytes
 *   of an unfinished frame until the rest arrives. `end()` says the stream is over. A malformed stream
 *   throws an Error: a length field below 5, or above MAX_PAYLOAD_BYTES + 5 (throw as soon as the
 *   length field has arrived: a corrupt length must not make the decoder wait for gigabytes); a kind
 *   byte that is neither 1 nor 2 (as soon as it has arrived); `end()` in the middle of a frame.
 * - `RequestMatcher`: the client's table of requests in flight. `register(request)` records a request
 *   and returns a fresh request id (ids of requests in flight are distinct); `match(requestId,
 *   response)` returns the request that id belongs to, with the response, and forgets it; a response
 *   for an id that is not in flight (unknown, or answered already) throws an Error.
 *
 * What the tests observe: the bytes encodeFrame returns for random frames; the frames your decoder
 * returns for streams of random frames cut into random pieces (a piece may end anywhere, even inside
 * the length field; pieces may be empty); errors for malformed streams; and a client and a server
 * built from your three pieces exchanging random requests over one connection each way, the server
 * answering in a random order: every request must come back paired with its own response.
 */

export type FrameKind = "request" | "response";

export interface Frame {
  readonly kind: FrameKind;
  /** Chosen by the client, echoed by the server: pairs a response with its request. */
  readonly requestId: number;
  readonly payload: Uint8Array;
}

/** The largest payload a frame may carry, in bytes (16 MiB). */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** The bytes of one frame, in the format above. */
export function encodeFrame(frame: Frame): Uint8Array {
  throw new Error("Exercise 1.1 not implemented yet: encodeFrame");
}

/** The receiving end of a connection: bytes in, frames out. */
export class FrameDecoder {
  /** The frames completed by this chunk, in stream order. Throws on a malformed stream. */
  push(chunk: Uint8Array): Frame[] {
    throw new Error("Exercise 1.1 not implemented yet: FrameDecoder.push");
  }

  /** The stream is over: throws if it ended inside a frame. */
  end(): void {
    throw new Error("Exercise 1.1 not implemented yet: FrameDecoder.end");
  }
}

/** A request paired with its response. */
export interface Matched<Req, Res> {
  readonly requestId: number;
  readonly request: Req;
  readonly response: Res;
}

/** The client's table of requests waiting for a response. */
export class RequestMatcher<Req> {
  /** Records a request in flight; returns the id to send it with. */
  register(request: Req): number {
    throw new Error("Exercise 1.1 not implemented yet: RequestMatcher.register");
  }

  /** The request this response answers (no longer in flight afterwards). Throws for an id not in flight. */
  match<Res>(requestId: number, response: Res): Matched<Req, Res> {
    throw new Error("Exercise 1.1 not implemented yet: RequestMatcher.match");
  }
}
