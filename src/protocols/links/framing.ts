/**
 * Message framing over a byte stream and request matching (lecture 1, "Remote Procedure Call
 * (RPC)"): encodeFrame, FrameDecoder, RequestMatcher. The code is the reference solution of
 * Exercise 1.1, solutions/framing.ts: an exercise's answer has one home, out of the students' and
 * the sandbox's reach (the handout ships this file as a re-export of the student's
 * exercises/framing.ts, so notebook 01's framing cells run their code). Byte helpers are in
 * ./bytes.ts. Not in ./index.ts: its names are the exercise's.
 */
export * from "../../../solutions/framing";
