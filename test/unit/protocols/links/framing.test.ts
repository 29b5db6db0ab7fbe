import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  concatBytes,
  decodeFrames,
  decodeStream,
  encodeFrame,
  fromUtf8,
  FrameDecoder,
  FramingError,
  utf8,
  type Frame,
} from "../../../../src/protocols/links/framing";
import { MatchError, pairResponses, RequestMatcher } from "../../../../src/protocols/links/request-matcher";

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
    const frames = decodeStream([bytes]);
    assert.deepEqual(
      frames.map((f) => [f.kind, f.requestId, fromUtf8(f.payload)]),
      [["request", 7, m1], ["response", 7, m2]],
    );
  });

  it("property: any chunking of the stream decodes to the frames that were sent", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const bytes = concatBytes(frames.map((f) => encodeFrame(f)));
        assert.deepEqual(plain(decodeStream(chunk(bytes, cuts))), plain(frames));
      }),
      { numRuns: 300 },
    );
  });

  it("property: byte-at-a-time delivery yields each frame exactly when its last byte arrives", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 5 }), (frames) => {
        const encoded = frames.map((f) => encodeFrame(f));
        const decoder = new FrameDecoder();
        const ends = new Set<number>();
        let total = 0;
        for (const e of encoded) ends.add((total += e.length) - 1);
        const bytes = concatBytes(encoded);
        for (let i = 0; i < bytes.length; i++) {
          const out = decoder.push(bytes.slice(i, i + 1));
          assert.equal(out.length, ends.has(i) ? 1 : 0, `byte ${i}`);
        }
        assert.equal(decoder.bufferedBytes, 0);
      }),
    );
  });

  it("decodeFrames returns the incomplete tail as rest", () => {
    const a = encodeFrame({ kind: "request", requestId: 1, payload: utf8("abc") });
    const b = encodeFrame({ kind: "request", requestId: 2, payload: utf8("defg") });
    const { frames, rest } = decodeFrames(concatBytes([a, b.slice(0, 6)]));
    assert.equal(frames.length, 1);
    assert.equal(frames[0].requestId, 1);
    assert.deepEqual([...rest], [...b.slice(0, 6)]);
  });

  it("malformed frames: a length shorter than the header is an error naming the offset", () => {
    const good = encodeFrame({ kind: "request", requestId: 1, payload: utf8("x") });
    const bad = new Uint8Array([0, 0, 0, 2, 1, 0]);
    assert.throws(
      () => decodeStream([good, bad]),
      (e: unknown) => e instanceof FramingError && e.streamOffset === good.length && /shorter than the 5-byte header/.test(e.message),
    );
  });

  it("malformed frames: an unknown kind byte is reported before the claimed payload arrives", () => {
    const decoder = new FrameDecoder();
    assert.throws(() => decoder.push(new Uint8Array([0, 0, 1, 0, 9])), /unknown frame kind byte 9/);
  });

  it("malformed frames: a length over the bound is rejected, not buffered", () => {
    const decoder = new FrameDecoder(100);
    assert.throws(() => decoder.push(new Uint8Array([0, 0, 1, 0])), /exceeds maxPayloadBytes 100/);
  });

  it("malformed frames: a stream that ends mid-frame is an error", () => {
    const a = encodeFrame({ kind: "response", requestId: 3, payload: utf8("hello") });
    assert.throws(() => decodeStream([a.slice(0, a.length - 1)]), /stream ended inside a frame \(13 bytes/);
  });

  it("encodeFrame rejects request ids outside u32", () => {
    assert.throws(() => encodeFrame({ kind: "request", requestId: -1, payload: new Uint8Array() }), /requestId/);
    assert.throws(() => encodeFrame({ kind: "request", requestId: 2 ** 32, payload: new Uint8Array() }), /requestId/);
  });
});

describe("links/request-matcher: pairing responses with outstanding requests", () => {
  it("property: responses in any order are each paired with their own request", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 20 }).chain((reqs) =>
          fc.tuple(fc.constant(reqs), fc.shuffledSubarray(reqs.map((_, i) => i), { minLength: reqs.length })),
        ),
        ([reqs, order]) => {
          const matcher = new RequestMatcher<string>();
          const ids = reqs.map((r) => matcher.register(r));
          for (const k of order) {
            const m = matcher.match(ids[k], `answer to ${reqs[k]}`);
            assert.equal(m.request, reqs[k]);
            assert.equal(m.response, `answer to ${reqs[k]}`);
          }
          assert.deepEqual(matcher.outstandingIds(), []);
        },
      ),
    );
  });

  it("a duplicate or unknown response is an error, and an abandoned request no longer matches", () => {
    const matcher = new RequestMatcher<string>();
    const a = matcher.register("a");
    const b = matcher.register("b");
    matcher.match(a, 1);
    assert.throws(() => matcher.match(a, 1), (e: unknown) => e instanceof MatchError && e.requestId === a);
    assert.throws(() => matcher.match(99, 1), /not outstanding/);
    assert.equal(matcher.abandon(b), true);
    assert.throws(() => matcher.match(b, 1), /not outstanding/);
  });

  it("the outstanding table is bounded", () => {
    const matcher = new RequestMatcher<number>(2);
    matcher.register(1);
    matcher.register(2);
    assert.throws(() => matcher.register(3), /maxOutstanding 2/);
  });

  it("pairResponses: reports unmatched responses and unanswered requests", () => {
    const result = pairResponses(
      [{ requestId: 1, request: "a" }, { requestId: 2, request: "b" }, { requestId: 3, request: "c" }],
      [{ requestId: 3, response: "C" }, { requestId: 9, response: "?" }, { requestId: 1, response: "A" }, { requestId: 1, response: "A again" }],
    );
    assert.deepEqual(result.pairs.map((p) => [p.request, p.response]), [["c", "C"], ["a", "A"]]);
    assert.deepEqual(result.unmatched.map((u) => u.requestId), [9, 1]);
    assert.deepEqual(result.unanswered, [2]);
  });
});
