/** Lecture 4's broadcast protocols and their stacks (the links they run on are in ../links). */
export * from "./requests";
export * from "./best-effort";
export * from "./eager-reliable";
export * from "./gossip";
export * from "./fifo";
export * from "./causal";
export * from "./total-order-leader";
export * from "./total-order-lamport";
export * from "./stacks";
