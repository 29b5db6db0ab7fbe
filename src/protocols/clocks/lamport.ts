/**
 * Lamport timestamps (lecture 4, slides "Lamport clocks algorithm" and "Lamport clocks example"): the
 * pair (L(e), N(e)), its total order and its label. The clock itself (t := t + 1, t := max(t, t') + 1)
 * is Exercise 4.2's answer: it lives in solutions/lamport-clock.ts, re-exported by ./lamport-clock.ts.
 */
import type { NodeId } from "../../sim/protocol";

/** A Lamport timestamp with the node it belongs to: the pair (L(e), N(e)) identifies an event. */
export interface LamportTimestamp {
  readonly L: number;
  readonly N: NodeId;
}

function requireCounter(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

/**
 * The total order on events from slide "Lamport clocks example":
 *   a < b  iff  L(a) < L(b), or L(a) = L(b) and N(a) < N(b).
 * Returns a negative number, 0 or a positive number, like a sort comparator. Node ids compare as
 * strings (any fixed order of node names works, as long as every node uses the same one).
 */
export function compareLamport(a: LamportTimestamp, b: LamportTimestamp): number {
  requireCounter("a.L", a.L);
  requireCounter("b.L", b.L);
  if (a.L !== b.L) return a.L - b.L;
  if (a.N === b.N) return 0;
  return a.N < b.N ? -1 : 1;
}

/** "(L, N)" for labels on diagrams. */
export function formatLamport(ts: LamportTimestamp): string {
  return `(${ts.L}, ${ts.N})`;
}
