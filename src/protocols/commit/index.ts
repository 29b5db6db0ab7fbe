/** Lecture 6: atomic commitment (two-phase commit and its fault-tolerant version over total order broadcast). */
export * from "./types";
export * from "./two-phase-commit";
export * from "./fault-tolerant-2pc";
