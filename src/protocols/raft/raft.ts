/**
 * Raft (lecture 7, slides "Raft (1/9)" to "Raft (9/9)") as a total order broadcast layer.
 * The code is the reference solution of Exercise 7.1, solutions/raft.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a
 * re-export of the student's exercises/raft.ts).
 */
export * from "../../../solutions/raft";
