/**
 * State-based observed-remove set (lecture 8). The code is the reference solution of Exercise 8.3,
 * solutions/or-set.ts (the handout ships this file as a re-export of the student's exercises/or-set.ts).
 */
export * from "../../../solutions/or-set";
