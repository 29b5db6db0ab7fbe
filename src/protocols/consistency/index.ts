/** Lecture 6: quorum registers (plain, then ABD) and compare-and-swap over total order broadcast. */
export * from "./register-replica";
export { abd, type AbdState, type AbdPending, type OpResult } from "./abd";
export * from "./quorum-register";
export * from "./linearizable-cas";
export * from "./sequencer";
