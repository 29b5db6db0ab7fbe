/**
 * The NTP client's estimates and clock correction (lecture 3, slides "Estimating time over a
 * network" and "Correcting clock skew"): roundTripDelay, estimatedSkew, discipline. The code is the
 * reference solution of Exercise 3.1, solutions/ntp.ts: an exercise's answer has one home, out of
 * the students' and the sandbox's reach (the handout ships this file as a re-export of the
 * student's exercises/ntp.ts, so the NTP demonstrations run the student's code).
 */
export * from "../../../solutions/ntp";
