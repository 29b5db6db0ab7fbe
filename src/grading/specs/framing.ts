/** Graded tests of Exercise 1.1, message framing and request matching (lecture 1, slide "Remote Procedure Call (RPC)"). */
import * as fc from "fast-check";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { drivers, type JsonFrame } from "./drivers/framing";
import { preview } from "../scenarios";
import { utf8 } from "../../protocols/links/bytes";

/** The contract's bound on a payload (exercises/framing.ts: MAX_PAYLOAD_BYTES). */
const MAX_PAYLOAD = 16 * 1024 * 1024;

/** A u32 as its 4 big-endian bytes. */
const bigEndian32 = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256);

/**
 * Trusted: the bytes the contract specifies for a frame, field by field (the tests' own statement of
 * the format, independent of any encoder; inputs here are well-formed, so it checks nothing).
 */
export function referenceBytes(frame: JsonFrame): number[] {
  return [...bigEndian32(5 + frame.payload.length), frame.kind === "request" ? 1 : 2, ...bigEndian32(frame.requestId), ...frame.payload];
}

function describeFrame(f: JsonFrame): string {
  const payload = f.payload.length <= 12 ? `[${f.payload.join(",")}]` : `${f.payload.length} bytes`;
  return `{ kind: ${f.kind}, requestId: ${f.requestId}, payload: ${payload} }`;
}

function sameFrame(a: unknown, b: JsonFrame): boolean {
  const f = a as JsonFrame | null;
  return (
    f !== null && typeof f === "object" && f.kind === b.kind && f.requestId === b.requestId &&
    Array.isArray(f.payload) && f.payload.length === b.payload.length && f.payload.every((x, k) => x === b.payload[k])
  );
}

const field = (offset: number) => (offset < 4 ? "length" : offset === 4 ? "kind" : offset < 9 ? "requestId" : "payload");

/** The decoder's output: the frames returned by each push, and the error it threw (if any). */
interface Decoded {
  perPiece: unknown[][];
  error: string | null;
}

/** A check of the decoder's output, made once the output is known to have that shape. */
function onDecoded<I>(check: (input: I, d: Decoded) => Verdict): (input: I, output: unknown) => Verdict {
  return (input, output) => {
    const d = output as Decoded | null;
    if (d === null || typeof d !== "object" || !Array.isArray(d.perPiece) || !d.perPiece.every(Array.isArray) || !(d.error === null || typeof d.error === "string")) {
      return fail(`the decoder's output could not be read: ${preview(output)}`);
    }
    return check(input, d);
  };
}

/** Which push completes each frame of a stream cut at these fractions (as the driver cuts it). */
function expectedPerPiece(frames: readonly JsonFrame[], cuts: readonly number[]): JsonFrame[][] {
  const total = frames.reduce((sum, f) => sum + 9 + f.payload.length, 0);
  const ends = cuts.map((c) => Math.min(total, Math.max(0, Math.floor(c * total)))).sort((a, b) => a - b);
  ends.push(total);
  const out: JsonFrame[][] = ends.map(() => []);
  let at = 0;
  for (const f of frames) {
    at += 9 + f.payload.length;
    out[ends.findIndex((e) => e >= at)].push(f);
  }
  return out;
}

/** Trusted checks, shared with the hidden tests. */
export const framingChecks = {
  encode(frame: JsonFrame, output: unknown): Verdict {
    const expected = referenceBytes(frame);
    if (!Array.isArray(output)) return fail(`encodeFrame(${describeFrame(frame)}) returned ${preview(output)}, not bytes`);
    const differ = expected.findIndex((b, k) => output[k] !== b);
    if (differ >= 0) {
      return fail(`encodeFrame(${describeFrame(frame)}): byte ${differ} (the ${field(differ)} field) should be ${expected[differ]}, got ${preview(output[differ])}; ` +
        `expected the first bytes [${expected.slice(0, 12).join(",")}], got [${output.slice(0, 12).map(String).join(",")}]`);
    }
    if (output.length !== expected.length) return fail(`encodeFrame(${describeFrame(frame)}) should be ${expected.length} bytes (9 + payload), got ${output.length}`);
    return pass;
  },

  rejects(frame: { requestId: number; payloadBytes: number }, output: unknown): Verdict {
    if (typeof output === "string") return pass;
    return fail(`encodeFrame with requestId ${frame.requestId} and a payload of ${frame.payloadBytes} bytes should throw a RangeError, but it returned bytes`);
  },

  /** Every frame of the stream, returned by the push that completed it, and no error. */
  decode: onDecoded((input: { frames: JsonFrame[]; cuts: number[] }, d) => {
    const pieces = input.cuts.length + 1;
    if (d.error !== null) return fail(`the decoder threw on a well-formed stream of ${input.frames.length} frames in ${pieces} pieces: ${d.error}`);
    const expected = expectedPerPiece(input.frames, input.cuts);
    for (let p = 0; p < expected.length; p++) {
      const got = d.perPiece[p] ?? [];
      const before = expected.slice(0, p).reduce((n, e) => n + e.length, 0);
      if (got.length !== expected[p].length) {
        return fail(`piece ${p + 1} of ${pieces} completes frame(s) ${expected[p].length === 0 ? "none" : expected[p].map((_, k) => `#${before + k + 1}`).join(", ")} ` +
          `(${expected[p].map(describeFrame).join(", ") || "nothing"}), so push should return exactly those; it returned ${got.length} frame(s): ${preview(got)}`);
      }
      const k = expected[p].findIndex((f, j) => !sameFrame(got[j], f));
      if (k >= 0) return fail(`frame #${before + k + 1} should be ${describeFrame(expected[p][k])}, push ${p + 1} of ${pieces} returned ${preview(got[k])}`);
    }
    return pass;
  }),

  /** Your encoder then your decoder: the same frames come out, in order. */
  roundTrip: onDecoded((input: { frames: JsonFrame[]; cuts: number[] }, d) => {
    if (d.error !== null) return fail(`decoding what encodeFrame produced threw: ${d.error}`);
    const got = d.perPiece.flat();
    for (let k = 0; k < input.frames.length; k++) {
      if (!sameFrame(got[k], input.frames[k])) return fail(`frame #${k + 1} sent was ${describeFrame(input.frames[k])}, frame #${k + 1} decoded was ${preview(got[k])}`);
    }
    if (got.length !== input.frames.length) return fail(`${input.frames.length} frames sent, ${got.length} decoded`);
    return pass;
  }),

  /** A malformed stream: the decoder throws, at the push (or end) where the problem became visible. */
  malformed: onDecoded((input: { bytes: number[]; cuts: number[]; end: boolean; why: string; framesBefore: number; throwsAtPiece: number }, d) => {
    if (d.error === null) return fail(`${input.why}: the decoder should throw, but it did not (stream [${input.bytes.slice(0, 16).join(",")}${input.bytes.length > 16 ? ",..." : ""}])`);
    const frames = d.perPiece.flat().length;
    if (frames !== input.framesBefore) return fail(`${input.why}: expected ${input.framesBefore} good frame(s) before the error, got ${frames}`);
    if (d.perPiece.length !== input.throwsAtPiece) {
      return fail(`${input.why}: the error should come from ${input.throwsAtPiece === input.cuts.length + 1 ? "end()" : `push #${input.throwsAtPiece + 1}`}, ` +
        `as soon as the bad bytes have arrived; it came ${d.perPiece.length === input.cuts.length + 1 ? "from end()" : `from push #${d.perPiece.length + 1}`}`);
    }
    return pass;
  }),

  rpc(input: { requests: string[]; order: number[] }, output: unknown): Verdict {
    const o = output as { ids?: unknown; serverReceived?: unknown; pairs?: unknown; answeredTwiceError?: unknown } | null;
    if (o === null || typeof o !== "object" || !Array.isArray(o.ids) || !Array.isArray(o.serverReceived) || !Array.isArray(o.pairs)) {
      return fail(`the run's output could not be read: ${preview(output)}`);
    }
    const ids = o.ids as unknown[];
    if (!ids.every((id) => Number.isInteger(id) && (id as number) >= 0 && (id as number) < 2 ** 32)) return fail(`register returned ids ${preview(ids)}: not all integers in [0, 2^32)`);
    if (new Set(ids).size !== ids.length) return fail(`register returned the same id twice for requests in flight: ${preview(ids)}`);
    for (let k = 0; k < input.requests.length; k++) {
      const expected: JsonFrame = { kind: "request", requestId: ids[k] as number, payload: Array.from(utf8(input.requests[k])) };
      if (!sameFrame(o.serverReceived[k], expected)) return fail(`the server's decoder should get request #${k + 1} ${describeFrame(expected)}, got ${preview(o.serverReceived[k])}`);
    }
    if (o.serverReceived.length !== input.requests.length) return fail(`${input.requests.length} requests sent, the server decoded ${o.serverReceived.length}`);
    const pairs = o.pairs as { requestId?: unknown; request?: unknown; response?: unknown }[];
    const order = input.order.map((k) => input.requests[k]);
    for (let j = 0; j < order.length; j++) {
      const p = pairs[j];
      if (p === undefined) return fail(`only ${pairs.length} of ${order.length} responses were matched`);
      if (p.request !== order[j] || p.response !== `re:${order[j]}`) {
        return fail(`the server answered in the order ${preview(order)}; response #${j + 1} (${preview(`re:${order[j]}`)}, request id ${ids[input.order[j]]}) ` +
          `was matched to request ${preview(p.request)} with response ${preview(p.response)}`);
      }
      if (p.requestId !== ids[input.order[j]]) return fail(`match returned requestId ${preview(p.requestId)} for the response to request id ${ids[input.order[j]]}`);
    }
    if (order.length > 0 && (o.answeredTwiceError === null || o.answeredTwiceError === undefined)) {
      return fail(`match(${ids[input.order[0]]}, ...) a second time should throw: that request was answered already`);
    }
    return pass;
  },
};

const payload = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 250, maxLength: 700 }) },
).map((bytes) => Array.from(bytes));
const requestId = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2 ** 31 - 2, max: 2 ** 32 - 1 }));
export const frameArbitrary: fc.Arbitrary<JsonFrame> = fc.record({ kind: fc.constantFrom("request", "response"), requestId, payload });
export const cutsArbitrary = (maxLength: number) => fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength });
export const streamArbitrary = (framesMax: number) => fc.record({ frames: fc.array(frameArbitrary, { maxLength: framesMax }), cuts: cutsArbitrary(16) });

/** A reference-encoded stream for the decode driver. */
export function streamInput(s: { frames: JsonFrame[]; cuts: number[] }) {
  return { frames: s.frames, cuts: s.cuts, bytes: s.frames.flatMap(referenceBytes), end: true };
}

const byteByByte = (frames: JsonFrame[]) => {
  const total = frames.reduce((n, f) => n + 9 + f.payload.length, 0);
  return streamInput({ frames, cuts: Array.from({ length: total - 1 }, (_, k) => (k + 1) / total + 1e-9) });
};
const hello: JsonFrame = { kind: "request", requestId: 7, payload: Array.from(utf8('{"request":"processPayment"}')) };
const reply: JsonFrame = { kind: "response", requestId: 7, payload: Array.from(utf8('{"result":"success"}')) };
const empty: JsonFrame = { kind: "response", requestId: 2 ** 32 - 1, payload: [] };

const malformedInputs = [
  { why: "kind byte 3 (only 1 and 2 exist)", bytes: [0, 0, 0, 5, 3, 0, 0, 0, 1], cuts: [], end: true, framesBefore: 0, throwsAtPiece: 0 },
  { why: "a length of 4 (shorter than the 5-byte header)", bytes: [0, 0, 0, 4, 1, 0, 0, 0, 1], cuts: [], end: true, framesBefore: 0, throwsAtPiece: 0 },
  { why: "a length of 2^32 - 1 (over MAX_PAYLOAD_BYTES + 5), with only the length field received", bytes: [255, 255, 255, 255], cuts: [], end: false, framesBefore: 0, throwsAtPiece: 0 },
  { why: "a bad kind byte (9) after the length field, the rest not yet received", bytes: [0, 0, 0, 10, 9], cuts: [], end: false, framesBefore: 0, throwsAtPiece: 0 },
  { why: "the stream ends one byte before the end of a frame", bytes: [0, 0, 0, 7, 1, 0, 0, 0, 1, 65], cuts: [], end: true, framesBefore: 0, throwsAtPiece: 1 },
  { why: "a good frame, then (in the next piece) kind byte 0", bytes: [0, 0, 0, 5, 2, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0, 2], cuts: [0.5], end: true, framesBefore: 1, throwsAtPiece: 1 },
];

export const framing = defineExercise({
  id: "1.1",
  title: "Message framing and request matching",
  slide: "Remote Procedure Call (RPC)",
  module: "framing",
  drivers,
  tests: [
    {
      name: "encodeFrame: the frame format, byte for byte",
      points: 2,
      category: "randomised",
      description: "Random frames (request ids up to 2^32 - 1, payloads of 0 to 700 bytes): the bytes must be length, kind, requestId, payload as specified.",
      driver: "encode",
      arbitrary: frameArbitrary,
      runs: 100,
      check: framingChecks.encode,
    },
    {
      name: "encodeFrame refuses what cannot be framed",
      points: 1,
      category: "basic",
      description: "A request id of -1, 2^32 or 0.5, or a payload over MAX_PAYLOAD_BYTES: encodeFrame throws.",
      driver: "encodeRejects",
      inputs: [
        { kind: "request", requestId: -1, payloadBytes: 3 },
        { kind: "request", requestId: 2 ** 32, payloadBytes: 3 },
        { kind: "response", requestId: 0.5, payloadBytes: 3 },
        { kind: "request", requestId: 1, payloadBytes: MAX_PAYLOAD + 1 },
      ],
      check: framingChecks.rejects,
    },
    {
      name: "FrameDecoder: whole frames, glued together or one byte at a time",
      points: 2,
      category: "basic",
      description: "The slide's m1 and m2 and an empty frame: all in one piece, then every byte in a piece of its own.",
      driver: "decode",
      inputs: [
        streamInput({ frames: [hello], cuts: [] }),
        streamInput({ frames: [hello, reply, empty], cuts: [] }),
        byteByByte([hello, empty]),
        streamInput({ frames: [{ kind: "request", requestId: 1, payload: Array.from({ length: 70_000 }, (_, k) => k % 251) }], cuts: [0.00004, 0.5] }),
      ],
      check: framingChecks.decode,
    },
    {
      name: "FrameDecoder: any chunking of the stream",
      points: 3,
      category: "randomised",
      description: "Streams of up to 8 random frames cut into up to 17 pieces anywhere (inside length fields too; some pieces empty): each push returns exactly the frames it completed.",
      driver: "decode",
      arbitrary: streamArbitrary(8).map(streamInput),
      runs: 100,
      check: framingChecks.decode,
    },
    {
      name: "FrameDecoder: malformed streams throw as soon as they can",
      points: 1,
      category: "basic",
      description: "A bad kind byte, a length below 5 or above MAX_PAYLOAD_BYTES + 5, or a stream cut off inside a frame.",
      driver: "decode",
      inputs: malformedInputs,
      check: framingChecks.malformed,
    },
    {
      name: "round trip: your encoder, any chunking, your decoder",
      points: 1,
      category: "randomised",
      description: "Random frames through encodeFrame, cut into random pieces, through FrameDecoder: the same frames in the same order.",
      driver: "roundTrip",
      arbitrary: streamArbitrary(8),
      runs: 50,
      check: framingChecks.roundTrip,
    },
    {
      name: "RPC over one connection: responses out of order are matched to their requests",
      points: 3,
      category: "randomised",
      description: "A client and a server built from your code: up to 10 requests, each way cut into random pieces, answered in a random order; every response must be paired with its own request, and a second response for the same id refused.",
      driver: "rpc",
      arbitrary: fc
        .uniqueArray(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 10 })
        .chain((requests) =>
          fc.record({
            requests: fc.constant(requests),
            order: fc.shuffledSubarray(requests.map((_, k) => k), { minLength: requests.length, maxLength: requests.length }),
            up: fc.record({ cuts: cutsArbitrary(10) }),
            down: fc.record({ cuts: cutsArbitrary(10) }),
          }),
        ),
      runs: 60,
      check: framingChecks.rpc,
    },
  ],
});
