/**
 * State-based map CRDT and its merge (lecture 8). The code is the reference solution of Exercise
 * 8.2, solutions/state-map-crdt.ts (the handout ships this file as a re-export of the student's
 * exercises/state-map-crdt.ts).
 */
export * from "../../../solutions/state-map-crdt";
