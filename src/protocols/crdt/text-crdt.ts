/**
 * The slides' operation-based text CRDT (lecture 8). The code is the reference solution of Exercise
 * 8.4, solutions/text-crdt.ts (the handout ships this file as a re-export of the student's
 * exercises/text-crdt.ts).
 */
export * from "../../../solutions/text-crdt";
