// @ts-nocheck
// the path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile: Exercise 1.1's encoder borrowed from the graded spec's own byte builder (the kit no
// longer has a framing library outside solutions/), the decoder and matcher left undone.
// Expect 0: the spec's module is not reachable from the sandbox, or the encoder alone is worth
// nothing without a decoder (every test but the byte-format ones needs one).
import { referenceBytes } from "../src/grading/specs/framing";

export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export function encodeFrame(frame) {
  if (!Number.isInteger(frame.requestId) || frame.requestId < 0 || frame.requestId >= 2 ** 32 || frame.payload.length > MAX_PAYLOAD_BYTES) throw new RangeError("bad frame");
  return Uint8Array.from(referenceBytes({ kind: frame.kind, requestId: frame.requestId, payload: Array.from(frame.payload) }));
}

export class FrameDecoder {
  push() {
    throw new Error("Exercise 1.1 not implemented yet: FrameDecoder.push");
  }
  end() {
    throw new Error("Exercise 1.1 not implemented yet: FrameDecoder.end");
  }
}

export class RequestMatcher {
  register() {
    throw new Error("Exercise 1.1 not implemented yet: RequestMatcher.register");
  }
  match() {
    throw new Error("Exercise 1.1 not implemented yet: RequestMatcher.match");
  }
}
