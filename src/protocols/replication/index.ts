/** Lecture 5 (replication): the library besides the exercises' answers, which are re-exported from their own files. */
export * from "./fault-probability";
export * from "./likes";
export * from "./state-machine";
export * from "./leader-replica";
export * from "./quorum-replica";
