/** Drivers of Exercise 1.1 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/framing";
import { concatBytes, utf8 } from "../../../protocols/links/bytes";

type Module = typeof Student;

/** A frame as JSON: the payload as a list of byte values. */
export interface JsonFrame {
  readonly kind: string;
  readonly requestId: number;
  readonly payload: number[];
}

/** A stream cut into pieces: `cuts` are fractions in [0, 1] of its length (repeats give empty pieces). */
export interface Chunking {
  readonly cuts: readonly number[];
}

const notImplemented = /Exercise \d+\.\d+ not implemented yet/;

function toJson(frame: { kind: unknown; requestId: unknown; payload: unknown }): JsonFrame {
  const payload = frame.payload instanceof Uint8Array ? Array.from(frame.payload) : (frame.payload as number[]);
  return { kind: frame.kind as string, requestId: frame.requestId as number, payload };
}

/** Your encodeFrame, on a frame's kind and request id and these payload bytes. */
function encode(student: Module, frame: { kind: string; requestId: number }, payload: Uint8Array): Uint8Array {
  return student.encodeFrame({ kind: frame.kind as "request", requestId: frame.requestId, payload });
}

/** The text of an error your code threw; the stub's "not implemented" is thrown on (nothing to grade). */
function errorText(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (notImplemented.test(message)) throw error;
  return message;
}

/** The pieces of `bytes` at the given fractions of its length. */
export function piecesOf(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const positions = cuts.map((f) => Math.min(bytes.length, Math.max(0, Math.floor(f * bytes.length)))).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const p of positions) {
    pieces.push(bytes.slice(at, p));
    at = p;
  }
  pieces.push(bytes.slice(at));
  return pieces;
}

/** Pushes each piece into a fresh decoder; the frames each push returned, then end() (its error, if any). */
function decodePieces(student: Module, pieces: readonly Uint8Array[], end: boolean): { perPiece: JsonFrame[][]; error: string | null } {
  const decoder = new student.FrameDecoder();
  const perPiece: JsonFrame[][] = [];
  try {
    for (const piece of pieces) {
      const frames = decoder.push(piece);
      if (!Array.isArray(frames)) throw new TypeError(`push returned ${String(frames)}, not an array of frames`);
      perPiece.push(frames.map(toJson));
    }
    if (end) decoder.end();
  } catch (error) {
    return { perPiece, error: errorText(error) };
  }
  return { perPiece, error: null };
}

const fromUtf8 = (bytes: unknown) => new TextDecoder().decode(bytes as Uint8Array);

export const drivers = {
  /** The bytes encodeFrame returns for one frame. */
  encode: (student: Module, frame: JsonFrame): number[] => Array.from(encode(student, frame, Uint8Array.from(frame.payload))),

  /** Whether encodeFrame refused a bad frame: the error's text, or null if it returned bytes. */
  encodeRejects: (student: Module, frame: { kind: string; requestId: number; payloadBytes: number }): string | null => {
    try {
      encode(student, frame, new Uint8Array(frame.payloadBytes));
      return null;
    } catch (error) {
      return errorText(error);
    }
  },

  /** A stream (given as bytes) cut into pieces and pushed into your decoder: the frames of each push. */
  decode: (student: Module, input: Chunking & { bytes: number[]; end: boolean }) =>
    decodePieces(student, piecesOf(Uint8Array.from(input.bytes), input.cuts), input.end),

  /** Your encoder, then your decoder, over a stream of frames cut into pieces. */
  roundTrip: (student: Module, input: Chunking & { frames: JsonFrame[] }) => {
    const stream = concatBytes(input.frames.map((f) => encode(student, f, Uint8Array.from(f.payload))));
    return decodePieces(student, piecesOf(stream, input.cuts), true);
  },

  /**
   * A client and a server over one connection each way, built from your code: the client registers
   * each request and sends it; the server decodes them and answers in `order` (a permutation), each
   * response "re:" + the request; the client decodes the responses and matches each one. Then the
   * client matches the first response's id once more (it must throw: it was answered already).
   */
  rpc: (student: Module, input: { requests: string[]; order: number[]; up: Chunking; down: Chunking }) => {
    const matcher = new student.RequestMatcher<string>();
    const ids = input.requests.map((text) => matcher.register(text));
    const upstream = concatBytes(input.requests.map((text, k) => student.encodeFrame({ kind: "request", requestId: ids[k], payload: utf8(text) })));
    const server = new student.FrameDecoder();
    const received = piecesOf(upstream, input.up.cuts).flatMap((piece) => server.push(piece));
    server.end();
    const answers = input.order.filter((k) => k < received.length).map((k) => received[k]);
    const downstream = concatBytes(answers.map((f) => student.encodeFrame({ kind: "response", requestId: f.requestId, payload: utf8(`re:${fromUtf8(f.payload)}`) })));
    const client = new student.FrameDecoder();
    const responses = piecesOf(downstream, input.down.cuts).flatMap((piece) => client.push(piece));
    client.end();
    const pairs = responses.map((f) => {
      const m = matcher.match(f.requestId, fromUtf8(f.payload));
      return { requestId: m.requestId, request: m.request, response: m.response };
    });
    let answeredTwiceError: string | null = null;
    if (responses.length > 0) {
      try {
        matcher.match(responses[0].requestId, "again");
      } catch (error) {
        answeredTwiceError = error instanceof Error ? error.message || error.name : String(error);
      }
    }
    return { ids, serverReceived: received.map(toJson), pairs, answeredTwiceError };
  },
};
