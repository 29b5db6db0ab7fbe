/**
 * Lecture 5, Exercise 5.2: a key-value store of last-writer-wins registers with tombstones and anti-entropy (slides "Timestamps and tombstones", "Reconciling replicas").
 * The code is the exercise's reference solution, solutions/lww-store.ts: an exercise's answer has one home,
 * out of the students' and the sandbox's reach (the handout ships this file as a re-export of the
 * student's exercises/lww-store.ts). Import it only from here.
 */
export * from "../../../solutions/lww-store";
