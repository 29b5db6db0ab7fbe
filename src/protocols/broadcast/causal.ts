/**
 * Causal broadcast (lecture 4, slide "Causal broadcast algorithm").
 * The code is the reference solution of Exercise 4.5, solutions/causal-broadcast.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a
 * re-export of the student's exercises/causal-broadcast.ts).
 */
export * from "../../../solutions/causal-broadcast";
