/**
 * Total order broadcast with Lamport clocks (lecture 4, slide "Total order broadcast algorithms").
 * The code is the reference solution of Exercise 4.6, solutions/total-order-broadcast.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a
 * re-export of the student's exercises/total-order-broadcast.ts).
 */
export * from "../../../solutions/total-order-broadcast";
