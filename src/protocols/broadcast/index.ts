/** Lecture 4's broadcast protocols, and the layers they are stacked on. */
export * from "./requests";
export * from "./reliable-link";
export * from "./best-effort";
export * from "./eager-reliable";
export * from "./gossip";
export * from "./fifo";
export * from "./causal";
export * from "./total-order-leader";
export * from "./total-order-lamport";
export * from "./stacks";
