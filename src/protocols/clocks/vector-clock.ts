/**
 * The vector clock (lecture 4, slides "Vector clocks algorithm" and "Vector clocks ordering"):
 * createVectorClock, tick, send, receive, compare. The code is the reference solution of Exercise
 * 4.3, solutions/vector-clock.ts: an exercise's answer has one home, out of the students' and the
 * sandbox's reach (the handout ships this file as a re-export of the student's
 * exercises/vector-clock.ts). Not in ./index.ts: its names (tick, send, receive) are the exercise's.
 */
export * from "../../../solutions/vector-clock";
