/** Lecture 5's replication library: probability of faults, ... (the exercises' answers are re-exported from their own files). */
export * from "./fault-probability";
