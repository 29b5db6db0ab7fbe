/**
 * Vector clocks as pure functions (lecture 4, slides "Vector clocks algorithm" and "Vector clocks
 * ordering"). A vector timestamp T is an array indexed like the node list N = <N0, ..., Nn-1>:
 * T[i] counts the events of node Ni that the timestamp has seen. Functions never modify their
 * arguments; they return new vectors.
 */

/** A vector timestamp <t0, t1, ..., tn-1>. */
export type VectorClock = readonly number[];

/** How two vector timestamps relate (slide "Vector clocks ordering"). */
export type VectorOrder = "before" | "after" | "equal" | "concurrent";

function requireVector(name: string, T: VectorClock): void {
  if (!Array.isArray(T)) throw new TypeError(`${name} must be an array of counters, got ${String(T)}`);
  for (let j = 0; j < T.length; j++) {
    const value = T[j]!;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name}[${j}] must be a non-negative integer, got ${String(value)}`);
    }
  }
}

function requireSameLength(a: VectorClock, b: VectorClock): void {
  if (a.length !== b.length) {
    throw new RangeError(`vector clocks have different lengths (${a.length} and ${b.length}): they must index the same nodes`);
  }
}

function requireIndex(i: number, T: VectorClock): void {
  if (!Number.isSafeInteger(i) || i < 0 || i >= T.length) {
    throw new RangeError(`node index i must be in [0, ${T.length}), got ${String(i)}`);
  }
}

/** "on initialisation at node Ni do T := <0, 0, ..., 0>". */
export function vectorInit(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`n (number of nodes) must be a positive integer, got ${String(n)}`);
  return new Array<number>(n).fill(0);
}

/** "on any event occurring at node Ni do T[i] := T[i] + 1" (also the first step of sending). */
export function vectorTick(T: VectorClock, i: number): number[] {
  requireVector("T", T);
  requireIndex(i, T);
  const next = T.slice();
  next[i] = next[i]! + 1;
  return next;
}

/** T[j] := max(T[j], T'[j]) for every j: the element-wise maximum. */
export function vectorMerge(T: VectorClock, TPrime: VectorClock): number[] {
  requireVector("T", T);
  requireVector("T'", TPrime);
  requireSameLength(T, TPrime);
  return T.map((t, j) => Math.max(t, TPrime[j]!));
}

/** "on receiving (T', m) at node Ni": merge, then T[i] := T[i] + 1. */
export function vectorReceive(T: VectorClock, TPrime: VectorClock, i: number): number[] {
  return vectorTick(vectorMerge(T, TPrime), i);
}

/** T <= T' iff T[i] <= T'[i] for all i. */
export function vectorLeq(T: VectorClock, TPrime: VectorClock): boolean {
  requireVector("T", T);
  requireVector("T'", TPrime);
  requireSameLength(T, TPrime);
  for (let j = 0; j < T.length; j++) if (T[j]! > TPrime[j]!) return false;
  return true;
}

/**
 * "before" when a < b (a happened before b), "after" when b < a, "equal", or "concurrent" when
 * neither a <= b nor b <= a.
 */
export function compareVectorClocks(a: VectorClock, b: VectorClock): VectorOrder {
  const aLeqB = vectorLeq(a, b);
  const bLeqA = vectorLeq(b, a);
  if (aLeqB && bLeqA) return "equal";
  if (aLeqB) return "before";
  if (bLeqA) return "after";
  return "concurrent";
}

/** "<2, 2, 0>" for labels on diagrams. */
export function formatVector(T: VectorClock): string {
  return `<${T.join(", ")}>`;
}
