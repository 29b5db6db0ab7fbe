/**
 * The slides' FIFO link point to point (sequence numbers and a hold-back buffer), crash-stop. The
 * code is the reference solution of Exercise 2.1, solutions/fifo-link.ts: an exercise's answer has
 * one home, out of the students' and the sandbox's reach (the handout ships this file as a
 * re-export of the student's exercises/fifo-link.ts). The library's own reliable FIFO link, used by
 * the broadcast stacks, is go-back-N (./go-back-n.ts). Not in ./index.ts: its names are the exercise's.
 */
export * from "../../../solutions/fifo-link";
