/**
 * Gossip (lecture 4, slide "Gossip protocols").
 * The code is the reference solution of Exercise 4.7, solutions/gossip-broadcast.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a
 * re-export of the student's exercises/gossip-broadcast.ts).
 */
export * from "../../../solutions/gossip-broadcast";
