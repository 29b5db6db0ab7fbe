/**
 * The eventually perfect failure detector (lecture 2, "Failure detection and partial synchrony"):
 * heartbeats, and a timeout per node that doubles after each false suspicion. The code is the
 * reference solution of Exercise 2.3, solutions/failure-detector.ts: an exercise's answer has one
 * home, out of the students' and the sandbox's reach (the handout ships this file as a re-export of
 * the student's exercises/failure-detector.ts, so notebook 02's demonstration runs their detector).
 * Not in ./index.ts: the library's own detector is the fixed-timeout one in ./heartbeat.ts.
 */
export * from "../../../solutions/failure-detector";
