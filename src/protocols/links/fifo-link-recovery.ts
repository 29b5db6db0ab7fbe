/**
 * The slides' FIFO link in the crash-recovery model. The code is the reference solution of
 * Exercise 2.2, solutions/fifo-link-recovery.ts: an exercise's answer has one home, out of the
 * students' and the sandbox's reach (the handout ships this file as a re-export of the student's
 * exercises/fifo-link-recovery.ts). Not in ./index.ts: its names are the exercise's.
 */
export * from "../../../solutions/fifo-link-recovery";
