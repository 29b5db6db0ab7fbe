/**
 * Two-phase commit (lecture 6, slides "Two-phase commit (2PC)", "The coordinator in two-phase
 * commit"). The code is the reference solution of the 2PC exercise, solutions/two-phase-commit.ts.
 */
export * from "../../../solutions/two-phase-commit";
