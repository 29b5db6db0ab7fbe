/**
 * Vector timestamps (lecture 4, slides "Vector clocks algorithm" and "Vector clocks ordering"): a
 * vector timestamp T is an array indexed like the node list N = <N0, ..., Nn-1>; T[i] counts the
 * events of node Ni that the timestamp has seen. The clock and the order on timestamps are
 * Exercise 4.3's answer: they live in solutions/vector-clock.ts, re-exported by ./vector-clock.ts.
 */

/** A vector timestamp <t0, t1, ..., tn-1>. */
export type VectorClock = readonly number[];

/** How two vector timestamps relate (slide "Vector clocks ordering"). */
export type VectorOrder = "before" | "after" | "equal" | "concurrent";

/** "<2, 2, 0>" for labels on diagrams. */
export function formatVector(T: VectorClock): string {
  return `<${T.join(", ")}>`;
}
