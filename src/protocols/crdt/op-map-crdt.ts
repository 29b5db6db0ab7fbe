/**
 * Operation-based map CRDT (lecture 8). The code is the reference solution of Exercise 8.1,
 * solutions/op-map-crdt.ts (the handout ships this file as a re-export of the student's
 * exercises/op-map-crdt.ts).
 */
export * from "../../../solutions/op-map-crdt";
