/**
 * Reference solution of Exercise 1.1 (see exercises/framing.ts for the contract): the kit's own
 * framing and request matcher (src/protocols/links/framing.ts and request-matcher.ts).
 */
import { DEFAULT_MAX_PAYLOAD_BYTES, encodeFrame as encode, type Frame } from "../src/protocols/links/framing";

export { FrameDecoder, type Frame, type FrameKind } from "../src/protocols/links/framing";
export { RequestMatcher, type Matched } from "../src/protocols/links/request-matcher";

/** The largest payload a frame may carry, in bytes (16 MiB). */
export const MAX_PAYLOAD_BYTES = DEFAULT_MAX_PAYLOAD_BYTES;

/** The bytes of one frame, in the format above. */
export function encodeFrame(frame: Frame): Uint8Array {
  return encode(frame, MAX_PAYLOAD_BYTES);
}
