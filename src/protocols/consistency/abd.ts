/**
 * ABD: linearizable quorum reads and writes (lecture 6, slide "ABD: Making quorum reads/writes
 * linearizable"). The code is the reference solution of its exercise, solutions/abd.ts.
 */
export * from "../../../solutions/abd";
