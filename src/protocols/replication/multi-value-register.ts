/**
 * Lecture 5, Exercise 5.3: the multi-value register with vector clocks (slide "Concurrent writes by different clients").
 * The code is the exercise's reference solution, solutions/multi-value-register.ts: an exercise's answer has one home,
 * out of the students' and the sandbox's reach (the handout ships this file as a re-export of the
 * student's exercises/multi-value-register.ts). Import it only from here.
 */
export * from "../../../solutions/multi-value-register";
