/** BUGGY (the decoder forgets the bytes of an unfinished frame between pushes) variant of Exercise 1.1 (see exercises/framing.ts for the contract). */

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
  if (!Number.isInteger(frame.requestId) || frame.requestId < 0 || frame.requestId >= 2 ** 32) throw new RangeError(`bad requestId ${frame.requestId}`);
  if (frame.payload.length > MAX_PAYLOAD_BYTES) throw new RangeError("payload too large");
  const bytes = new Uint8Array(9 + frame.payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 5 + frame.payload.length);
  view.setUint8(4, frame.kind === "request" ? 1 : 2);
  view.setUint32(5, frame.requestId);
  bytes.set(frame.payload, 9);
  return bytes;
}

/** The receiving end of a connection: bytes in, frames out. */
export class FrameDecoder {
  private pending = new Uint8Array(0);

  /** The frames completed by this chunk, in stream order. Throws on a malformed stream. */
  push(chunk: Uint8Array): Frame[] {
    const bytes = new Uint8Array(this.pending.length + chunk.length);
    bytes.set(this.pending, 0);
    bytes.set(chunk, this.pending.length);
    const frames: Frame[] = [];
    let at = 0;
    while (bytes.length - at >= 4) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + at);
      const length = view.getUint32(0);
      if (length < 5 || length > MAX_PAYLOAD_BYTES + 5) throw new Error(`bad frame length ${length}`);
      if (bytes.length - at > 4 && bytes[at + 4] !== 1 && bytes[at + 4] !== 2) throw new Error(`bad kind ${bytes[at + 4]}`);
      if (bytes.length - at < 4 + length) break;
      const requestId = view.getUint32(5);
      frames.push({ kind: bytes[at + 4] === 1 ? "request" : "response", requestId, payload: bytes.slice(at + 9, at + 4 + length) });
      at += 4 + length;
    }
    this.pending = new Uint8Array(0);
    return frames;
  }

  /** The stream is over: throws if it ended inside a frame. */
  end(): void {
    if (this.pending.length > 0) throw new Error("stream ended inside a frame");
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
  private next = 0;
  private readonly inFlight = new Map<number, Req>();

  /** Records a request in flight; returns the id to send it with. */
  register(request: Req): number {
    const id = this.next++;
    this.inFlight.set(id, request);
    return id;
  }

  /** The request this response answers (no longer in flight afterwards). Throws for an id not in flight. */
  match<Res>(requestId: number, response: Res): Matched<Req, Res> {
    const request = this.inFlight.get(requestId);
    if (request === undefined) throw new Error(`no request ${requestId} in flight`);
    this.inFlight.delete(requestId);
    return { requestId, request, response };
  }
}
