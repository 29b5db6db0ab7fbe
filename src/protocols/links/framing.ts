/**
 * Message framing over a byte stream (lecture 1, "Remote Procedure Call (RPC)").
 *
 * TCP gives a stream of bytes, not of messages: one `write` may arrive in several pieces, and
 * several writes may arrive glued together. RPC therefore frames each message: a length prefix
 * says where it ends, and a request id lets the client pair each response with its request even
 * when responses come back in a different order than the requests went out.
 *
 * Frame layout (all integers unsigned, big-endian):
 *
 *   offset 0  u32  length     number of bytes after this field (5 + payload length)
 *   offset 4  u8   kind       1 = request, 2 = response
 *   offset 5  u32  requestId
 *   offset 9  ...  payload    length - 5 bytes
 *
 * Everything here is pure: no I/O, no clocks. The decoder keeps only the bytes of an incomplete
 * frame between calls.
 */

export type FrameKind = "request" | "response";

export interface Frame {
  readonly kind: FrameKind;
  /** Chosen by the client, echoed by the server: pairs a response with its request. */
  readonly requestId: number;
  readonly payload: Uint8Array;
}

/** A malformed stream: the message says what was wrong and at which byte offset of the stream. */
export class FramingError extends Error {
  constructor(
    message: string,
    /** Offset in the whole stream (bytes pushed so far) where the bad frame starts. */
    readonly streamOffset: number,
  ) {
    super(`${message} (frame starting at stream byte ${streamOffset})`);
    this.name = "FramingError";
  }
}

/** Bytes of the length field. */
export const LENGTH_BYTES = 4;
/** Bytes of kind + requestId, counted in the length field. */
export const HEADER_BYTES = 5;
/** Default largest payload a decoder accepts: a bound, so a corrupt length cannot make it buffer forever. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
const REQUEST_ID_MAX = 0xffffffff;

const KIND_CODE: Record<FrameKind, number> = { request: 1, response: 2 };

/** The bytes of one frame. */
export function encodeFrame(frame: Frame, maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES): Uint8Array {
  if (!(frame.kind in KIND_CODE)) throw new RangeError(`encodeFrame: unknown kind ${String(frame.kind)}`);
  if (!Number.isInteger(frame.requestId) || frame.requestId < 0 || frame.requestId > REQUEST_ID_MAX) {
    throw new RangeError(`encodeFrame: requestId must be an integer in [0, 2^32), got ${frame.requestId}`);
  }
  if (frame.payload.length > maxPayloadBytes) {
    throw new RangeError(`encodeFrame: payload of ${frame.payload.length} bytes exceeds maxPayloadBytes ${maxPayloadBytes}`);
  }
  const bytes = new Uint8Array(LENGTH_BYTES + HEADER_BYTES + frame.payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, HEADER_BYTES + frame.payload.length);
  view.setUint8(4, KIND_CODE[frame.kind]);
  view.setUint32(5, frame.requestId);
  bytes.set(frame.payload, LENGTH_BYTES + HEADER_BYTES);
  return bytes;
}

/** Concatenates byte arrays (the stream a sender writes). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Pure decoding step: every complete frame at the start of `bytes`, and the bytes left over (the
 * beginning of a frame that has not fully arrived yet). `streamOffset` is where `bytes` starts in the
 * whole stream, for error messages.
 */
export function decodeFrames(
  bytes: Uint8Array,
  streamOffset = 0,
  maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
): { frames: Frame[]; rest: Uint8Array } {
  const frames: Frame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  // Each iteration consumes one whole frame, so the loop runs at most bytes.length / 9 times.
  while (bytes.length - at >= LENGTH_BYTES) {
    const length = view.getUint32(at);
    if (length < HEADER_BYTES) {
      throw new FramingError(`frame length ${length} is shorter than the ${HEADER_BYTES}-byte header`, streamOffset + at);
    }
    if (length - HEADER_BYTES > maxPayloadBytes) {
      throw new FramingError(
        `frame length ${length} exceeds maxPayloadBytes ${maxPayloadBytes} + header`,
        streamOffset + at,
      );
    }
    // Check the kind byte as soon as it has arrived, so garbage is reported without waiting for
    // the (possibly huge) length it claims.
    if (bytes.length - at > LENGTH_BYTES) {
      const code = view.getUint8(at + LENGTH_BYTES);
      if (code !== 1 && code !== 2) {
        throw new FramingError(`unknown frame kind byte ${code} (expected 1 = request or 2 = response)`, streamOffset + at);
      }
    }
    if (bytes.length - at < LENGTH_BYTES + length) break; // incomplete: wait for more bytes
    const code = view.getUint8(at + LENGTH_BYTES);
    frames.push({
      kind: code === 1 ? "request" : "response",
      requestId: view.getUint32(at + LENGTH_BYTES + 1),
      payload: bytes.slice(at + LENGTH_BYTES + HEADER_BYTES, at + LENGTH_BYTES + length),
    });
    at += LENGTH_BYTES + length;
  }
  return { frames, rest: bytes.slice(at) };
}

/**
 * Stateful wrapper for a receiver: push chunks as they arrive, get whole frames out.
 * The only state is the unfinished tail of the stream.
 */
export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  private consumed = 0;

  constructor(readonly maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES) {}

  /** Frames completed by this chunk, in stream order. Throws FramingError on a malformed frame. */
  push(chunk: Uint8Array): Frame[] {
    const bytes = this.pending.length === 0 ? chunk : concatBytes([this.pending, chunk]);
    const { frames, rest } = decodeFrames(bytes, this.consumed, this.maxPayloadBytes);
    this.consumed += bytes.length - rest.length;
    this.pending = rest;
    return frames;
  }

  /** Bytes of an unfinished frame held back. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** The stream ended: an unfinished frame is an error (the sender was cut off mid-frame). */
  end(): void {
    if (this.pending.length > 0) {
      throw new FramingError(`stream ended inside a frame (${this.pending.length} bytes of it received)`, this.consumed);
    }
  }
}

/** Decodes a whole stream given as chunks (any chunking of the same bytes gives the same frames). */
export function decodeStream(chunks: readonly Uint8Array[], maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES): Frame[] {
  const decoder = new FrameDecoder(maxPayloadBytes);
  const frames: Frame[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  decoder.end();
  return frames;
}

/** UTF-8 helpers, so notebooks can frame JSON messages like the slides' m1 and m2. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
