/**
 * Reference solution of Exercise 4.3 (see exercises/vector-clock.ts for the contract), lecture 4,
 * slides "Vector clocks algorithm" and "Vector clocks ordering". The answer has one home, here: the
 * library's vector clock (src/protocols/clocks/vector-clock.ts, used by vectorClock() in
 * vector-protocol.ts) re-exports this file, and the handout ships it as a re-export of the
 * student's exercises/vector-clock.ts.
 */

/** The helpers work on vectors they never modify; they return new ones. */
type Counters = readonly number[];


/** A vector timestamp: entry i counts the events of node N_i that it includes. */
export type VectorTimestamp = number[];

/** The slide's order on vector timestamps. */
export type Ordering = "before" | "after" | "equal" | "concurrent";

/** A node's vector clock: the local variable T of the slide, and who the node is. */
export interface VectorClock {
  /** N = <N_0, ..., N_{n-1}>. */
  nodes: string[];
  /** This node's index i in nodes. */
  i: number;
  T: VectorTimestamp;
}

/** "on initialisation at node N_i do T := <0, ..., 0>". Throws if self is not in nodes. */
export function createVectorClock(nodes: string[], self: string): VectorClock {
  const i = nodes.indexOf(self);
  if (i < 0) throw new Error(`node ${self} is not in ${nodes.join(", ")}`);
  return { nodes: [...nodes], i, T: vectorInit(nodes.length) };
}

/** "on any event occurring at node N_i do T[i] := T[i] + 1". Returns V(e) (a copy). */
export function tick(clock: VectorClock): VectorTimestamp {
  clock.T = vectorTick(clock.T, clock.i);
  return [...clock.T];
}

/** "on request to send message m do T[i] := T[i] + 1; send (T, m)". Returns the T to attach (a copy). */
export function send(clock: VectorClock): VectorTimestamp {
  return tick(clock);
}

/** "on receiving (T', m) do merge T' into T; T[i] := T[i] + 1". Returns V(e) (a copy). */
export function receive(clock: VectorClock, tPrime: VectorTimestamp): VectorTimestamp {
  clock.T = vectorReceive(clock.T, tPrime, clock.i);
  return [...clock.T];
}

/** The slide "Vector clocks ordering": how a relates to b. Both have the same length. */
export function compare(a: VectorTimestamp, b: VectorTimestamp): Ordering {
  return compareVectorClocks(a, b);
}

function requireVector(name: string, T: Counters): void {
  if (!Array.isArray(T)) throw new TypeError(`${name} must be an array of counters, got ${String(T)}`);
  for (let j = 0; j < T.length; j++) {
    const value = T[j]!;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name}[${j}] must be a non-negative integer, got ${String(value)}`);
    }
  }
}

function requireSameLength(a: Counters, b: Counters): void {
  if (a.length !== b.length) {
    throw new RangeError(`vector clocks have different lengths (${a.length} and ${b.length}): they must index the same nodes`);
  }
}

function requireIndex(i: number, T: Counters): void {
  if (!Number.isSafeInteger(i) || i < 0 || i >= T.length) {
    throw new RangeError(`node index i must be in [0, ${T.length}), got ${String(i)}`);
  }
}

/** "on initialisation at node Ni do T := <0, 0, ..., 0>". */
function vectorInit(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`n (number of nodes) must be a positive integer, got ${String(n)}`);
  return new Array<number>(n).fill(0);
}

/** "on any event occurring at node Ni do T[i] := T[i] + 1" (also the first step of sending). */
function vectorTick(T: Counters, i: number): number[] {
  requireVector("T", T);
  requireIndex(i, T);
  const next = T.slice();
  next[i] = next[i]! + 1;
  return next;
}

/** T[j] := max(T[j], T'[j]) for every j: the element-wise maximum. */
function vectorMerge(T: Counters, TPrime: Counters): number[] {
  requireVector("T", T);
  requireVector("T'", TPrime);
  requireSameLength(T, TPrime);
  return T.map((t, j) => Math.max(t, TPrime[j]!));
}

/** "on receiving (T', m) at node Ni": merge, then T[i] := T[i] + 1. */
function vectorReceive(T: Counters, TPrime: Counters, i: number): number[] {
  return vectorTick(vectorMerge(T, TPrime), i);
}

/** T <= T' iff T[i] <= T'[i] for all i. */
function vectorLeq(T: Counters, TPrime: Counters): boolean {
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
function compareVectorClocks(a: Counters, b: Counters): Ordering {
  const aLeqB = vectorLeq(a, b);
  const bLeqA = vectorLeq(b, a);
  if (aLeqB && bLeqA) return "equal";
  if (aLeqB) return "before";
  if (bLeqA) return "after";
  return "concurrent";
}
