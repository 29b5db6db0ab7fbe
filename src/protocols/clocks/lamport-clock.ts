/**
 * The Lamport clock (lecture 4, slide "Lamport clocks algorithm"): createLamportClock, tick, send,
 * receive. The code is the reference solution of Exercise 4.2, solutions/lamport-clock.ts: an
 * exercise's answer has one home, out of the students' and the sandbox's reach (the handout ships
 * this file as a re-export of the student's exercises/lamport-clock.ts). Not in ./index.ts: its
 * names (tick, send, receive) are the exercise's.
 */
export * from "../../../solutions/lamport-clock";
