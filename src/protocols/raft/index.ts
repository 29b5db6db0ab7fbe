/** Raft (lecture 7): the protocol (the reference solution of Exercise 7.1), its types and helpers. */
export * from "./types";
export * from "./raft";
export * from "./start";
