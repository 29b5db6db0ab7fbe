// @ts-nocheck
// the path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile: Exercise 1.1 answered by re-exporting the library's message framing and request matching.
// Expect 0: that file re-exports solutions/, which is not in the sandbox.
export * from "../src/protocols/links/framing";
