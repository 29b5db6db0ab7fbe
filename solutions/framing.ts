/**
 * Reference solution of Exercise 1.1 (see exercises/framing.ts for the contract): message framing
 * over a byte stream and request matching (lecture 1, slide "Remote Procedure Call (RPC)").
 *
 * Frame layout (integers unsigned, big-endian):
 *   offset 0  u32  length     bytes after this field: 5 + payload length
 *   offset 4  u8   kind       1 = request, 2 = response
 *   offset 5  u32  requestId
 *   offset 9  ...  payload
 *
 * The library re-exports this file (src/protocols/links/framing.ts) for notebook 01; in the students'
 * copy that file re-exports their own exercises/framing.ts instead.
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

/** Bytes of the length field, and of kind + requestId (which the length counts). */
const LENGTH_FIELD = 4;
const HEADER = 5;
const KIND_BYTE: Record<FrameKind, number> = { request: 1, response: 2 };

/** The bytes of one frame, in the format above. */
export function encodeFrame(frame: Frame): Uint8Array {
  const code = KIND_BYTE[frame.kind];
  if (code === undefined) throw new RangeError(`encodeFrame: kind must be "request" or "response", got ${String(frame.kind)}`);
  if (!Number.isInteger(frame.requestId) || frame.requestId < 0 || frame.requestId >= 2 ** 32) {
    throw new RangeError(`encodeFrame: requestId must be an integer in [0, 2^32), got ${frame.requestId}`);
  }
  if (frame.payload.length > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`encodeFrame: a payload of ${frame.payload.length} bytes is over MAX_PAYLOAD_BYTES (${MAX_PAYLOAD_BYTES})`);
  }
  const out = new Uint8Array(LENGTH_FIELD + HEADER + frame.payload.length);
  const fields = new DataView(out.buffer);
  fields.setUint32(0, HEADER + frame.payload.length);
  fields.setUint8(LENGTH_FIELD, code);
  fields.setUint32(LENGTH_FIELD + 1, frame.requestId);
  out.set(frame.payload, LENGTH_FIELD + HEADER);
  return out;
}

/**
 * The receiving end of a connection: bytes in, frames out. Its only state is the unfinished tail of
 * the stream (and how many bytes came before it, for error messages).
 */
export class FrameDecoder {
  private tail: Uint8Array = new Uint8Array(0);
  private offset = 0;

  /** The frames completed by this chunk, in stream order. Throws on a malformed stream. */
  push(chunk: Uint8Array): Frame[] {
    let bytes = chunk;
    if (this.tail.length > 0) {
      bytes = new Uint8Array(this.tail.length + chunk.length);
      bytes.set(this.tail, 0);
      bytes.set(chunk, this.tail.length);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const frames: Frame[] = [];
    let at = 0;
    // Each round either returns a whole frame (consuming at least 9 bytes) or stops.
    while (bytes.length - at >= LENGTH_FIELD) {
      const length = view.getUint32(at);
      // The length is checked as soon as it has arrived: a corrupt one must not make us wait for gigabytes.
      if (length < HEADER || length > MAX_PAYLOAD_BYTES + HEADER) {
        throw new Error(`malformed stream: frame length ${length} at stream byte ${this.offset + at} is outside [${HEADER}, MAX_PAYLOAD_BYTES + ${HEADER}]`);
      }
      // So is the kind byte.
      if (bytes.length - at > LENGTH_FIELD) {
        const kind = bytes[at + LENGTH_FIELD];
        if (kind !== 1 && kind !== 2) throw new Error(`malformed stream: kind byte ${kind} at stream byte ${this.offset + at + LENGTH_FIELD} (1 = request, 2 = response)`);
      }
      if (bytes.length - at < LENGTH_FIELD + length) break; // the rest of this frame has not arrived yet
      frames.push({
        kind: bytes[at + LENGTH_FIELD] === 1 ? "request" : "response",
        requestId: view.getUint32(at + LENGTH_FIELD + 1),
        payload: bytes.slice(at + LENGTH_FIELD + HEADER, at + LENGTH_FIELD + length),
      });
      at += LENGTH_FIELD + length;
    }
    this.tail = bytes.slice(at);
    this.offset += at;
    return frames;
  }

  /** The stream is over: throws if it ended inside a frame. */
  end(): void {
    if (this.tail.length > 0) throw new Error(`malformed stream: it ended inside a frame (${this.tail.length} bytes of it, from stream byte ${this.offset})`);
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
  private readonly inFlight = new Map<number, Req>();
  private next = 0;

  /** Records a request in flight; returns the id to send it with (ids in flight are distinct). */
  register(request: Req): number {
    if (this.inFlight.size >= 2 ** 32) throw new Error("RequestMatcher: every request id is in flight");
    // Ids wrap around within [0, 2^32); one still in flight is skipped.
    while (this.inFlight.has(this.next)) this.next = (this.next + 1) % 2 ** 32;
    const requestId = this.next;
    this.next = (this.next + 1) % 2 ** 32;
    this.inFlight.set(requestId, request);
    return requestId;
  }

  /** The request this response answers (no longer in flight afterwards). Throws for an id not in flight. */
  match<Res>(requestId: number, response: Res): Matched<Req, Res> {
    if (!this.inFlight.has(requestId)) throw new Error(`RequestMatcher: a response for request ${requestId}, which is not in flight (unknown, or answered already)`);
    const request = this.inFlight.get(requestId) as Req;
    this.inFlight.delete(requestId);
    return { requestId, request, response };
  }
}
