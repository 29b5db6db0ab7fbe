/**
 * FIFO broadcast (lecture 4, slide "FIFO broadcast algorithm").
 * The code is the reference solution of Exercise 4.4, solutions/fifo-broadcast.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a
 * re-export of the student's exercises/fifo-broadcast.ts).
 */
export * from "../../../solutions/fifo-broadcast";
