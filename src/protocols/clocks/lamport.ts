/**
 * Lamport clocks as pure functions (lecture 4, slide "Lamport clocks algorithm"). A node's clock is
 * just its counter t; each function returns the new value of t, which is also the timestamp L(e) of
 * the event that caused it.
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

/** "on initialisation do t := 0". */
export function lamportInit(): number {
  return 0;
}

/** "on any event occurring at the local node do t := t + 1" (also used before sending). */
export function lamportTick(t: number): number {
  requireCounter("t", t);
  return t + 1;
}

/** "on request to send message m do t := t + 1; send (t, m)": the timestamp to attach. */
export function lamportSend(t: number): number {
  return lamportTick(t);
}

/** "on receiving (t', m) do t := max(t, t') + 1". */
export function lamportReceive(t: number, tPrime: number): number {
  requireCounter("t", t);
  requireCounter("t'", tPrime);
  return Math.max(t, tPrime) + 1;
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
