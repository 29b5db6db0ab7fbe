// @ts-nocheck
// the path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile: Exercise 1.2 answered by re-exporting the library's deduplicating payments service.
// Expect 0: that file re-exports solutions/, which is not in the sandbox (nor in any node host).
export * from "../src/protocols/rpc/payment-dedup";
