/**
 * Lecture 5, Exercise 5.1: exactly-once updates (retry + deduplication; slides "Retrying state updates", "Idempotence").
 * The code is the exercise's reference solution, solutions/exactly-once.ts: an exercise's answer has one home,
 * out of the students' and the sandbox's reach (the handout ships this file as a re-export of the
 * student's exercises/exactly-once.ts). Import it only from here.
 */
export * from "../../../solutions/exactly-once";
