/**
 * The kit's framing (src/protocols/links/framing.ts, the reference solution of Exercise 1.1 in
 * solutions/framing.ts) on its own: the graded tests (src/grading/specs/framing.ts) check the same
 * code against the contract; these check the library's demonstration helpers and a few edge cases.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { concatBytes, fromUtf8, utf8 } from "../../../../src/protocols/links/bytes";
import { encodeFrame, FrameDecoder, RequestMatcher, MAX_PAYLOAD_BYTES, type Frame } from "../../../../src/protocols/links/framing";

const frameArb: fc.Arbitrary<Frame> = fc.record({
  kind: fc.constantFrom("request" as const, "response" as const),
  requestId: fc.integer({ min: 0, max: 0xffffffff }),
  payload: fc.uint8Array({ maxLength: 64 }),
});

/** Splits bytes at the given cut points (any chunking, including empty chunks). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(bytes.slice(at, p));
    at = p;
  }
  chunks.push(bytes.slice(at));
  return chunks;
}

function decodeAll(chunks: readonly Uint8Array[]): Frame[] {
  const decoder = new FrameDecoder();
  const frames = chunks.flatMap((c) => decoder.push(c));
  decoder.end();
  return frames;
}

function plain(frames: Frame[]) {
  return frames.map((f) => ({ kind: f.kind, requestId: f.requestId, payload: [...f.payload] }));
}

describe("links/framing: Remote Procedure Call (RPC) over a byte stream", () => {
  it("RPC: frames the slide's m1 and m2 as a request and a response and reads them back", () => {
    const m1 = JSON.stringify({ request: "processPayment", amount: 3.99, currency: "GBP" });
    const m2 = JSON.stringify({ result: "success", id: "XP61hHw2Rvo" });
    const bytes = concatBytes([
      encodeFrame({ kind: "request", requestId: 7, payload: utf8(m1) }),
      encodeFrame({ kind: "response", requestId: 7, payload: utf8(m2) }),
    ]);
    assert.equal(bytes.length, 2 * 9 + utf8(m1).length + utf8(m2).length);
    assert.deepEqual([...bytes.slice(0, 9)], [0, 0, 0, 5 + utf8(m1).length, 1, 0, 0, 0, 7]);
    assert.deepEqual(
      decodeAll([bytes]).map((f) => [f.kind, f.requestId, fromUtf8(f.payload)]),
      [["request", 7, m1], ["response", 7, m2]],
    );
  });

  it("property: any chunking of the stream decodes to the frames that were sent", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const bytes = concatBytes(frames.map((f) => encodeFrame(f)));
        assert.deepEqual(plain(decodeAll(chunk(bytes, cuts))), plain(frames));
      }),
      { numRuns: 300 },
    );
  });

  it("malformed streams: errors as soon as the bad bytes arrive, and at end() inside a frame", () => {
    assert.throws(() => new FrameDecoder().push(new Uint8Array([0, 0, 1, 0, 9])), /kind byte 9/);
    assert.throws(() => new FrameDecoder().push(new Uint8Array([0, 0, 0, 2])), /frame length 2/);
    assert.throws(() => new FrameDecoder().push(new Uint8Array([255, 255, 255, 255])), /frame length 4294967295/);
    const a = encodeFrame({ kind: "response", requestId: 3, payload: utf8("hello") });
    const decoder = new FrameDecoder();
    assert.deepEqual(decoder.push(a.slice(0, a.length - 1)), []);
    assert.throws(() => decoder.end(), /ended inside a frame \(13 bytes/);
  });

  it("encodeFrame rejects request ids outside u32 and payloads over MAX_PAYLOAD_BYTES", () => {
    assert.throws(() => encodeFrame({ kind: "request", requestId: -1, payload: new Uint8Array() }), RangeError);
    assert.throws(() => encodeFrame({ kind: "request", requestId: 2 ** 32, payload: new Uint8Array() }), RangeError);
    assert.throws(() => encodeFrame({ kind: "request", requestId: 1, payload: new Uint8Array(MAX_PAYLOAD_BYTES + 1) }), RangeError);
  });
});

describe("links/framing: pairing responses with requests in flight", () => {
  it("property: responses in any order are each paired with their own request", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 20 }).chain((reqs) =>
          fc.tuple(fc.constant(reqs), fc.shuffledSubarray(reqs.map((_, i) => i), { minLength: reqs.length })),
        ),
        ([reqs, order]) => {
          const matcher = new RequestMatcher<string>();
          const ids = reqs.map((r) => matcher.register(r));
          assert.equal(new Set(ids).size, ids.length);
          for (const k of order) {
            const m = matcher.match(ids[k], `answer to ${reqs[k]}`);
            assert.deepEqual([m.requestId, m.request, m.response], [ids[k], reqs[k], `answer to ${reqs[k]}`]);
          }
        },
      ),
    );
  });

  it("a duplicate or unknown response is an error", () => {
    const matcher = new RequestMatcher<string>();
    const a = matcher.register("a");
    matcher.match(a, 1);
    assert.throws(() => matcher.match(a, 1), /not in flight/);
    assert.throws(() => matcher.match(99, 1), /not in flight/);
  });
});
