/**
 * Lecture 5, Exercise 5.4: the quorum client with read repair (slides "Quorum (2 out of 3)", "Read and write quorums", "Read repair").
 * The code is the exercise's reference solution, solutions/quorum-client.ts: an exercise's answer has one home,
 * out of the students' and the sandbox's reach (the handout ships this file as a re-export of the
 * student's exercises/quorum-client.ts). Import it only from here.
 */
export * from "../../../solutions/quorum-client";
