/** BUGGY (compare checks before ahead of equal) variant of Exercise 4.3 (see exercises/vector-clock.ts for the contract). */

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
  return { nodes: [...nodes], i, T: nodes.map(() => 0) };
}

/** "on any event occurring at node N_i do T[i] := T[i] + 1". Returns V(e) (a copy). */
export function tick(clock: VectorClock): VectorTimestamp {
  clock.T[clock.i] = clock.T[clock.i] + 1;
  return [...clock.T];
}

/** "on request to send message m do T[i] := T[i] + 1; send (T, m)". Returns the T to attach (a copy). */
export function send(clock: VectorClock): VectorTimestamp {
  return tick(clock);
}

/** "on receiving (T', m) do merge T' into T; T[i] := T[i] + 1". Returns V(e) (a copy). */
export function receive(clock: VectorClock, tPrime: VectorTimestamp): VectorTimestamp {
  for (let j = 0; j < clock.T.length; j++) clock.T[j] = Math.max(clock.T[j], tPrime[j]);
  return tick(clock);
}

/** The slide "Vector clocks ordering": how a relates to b. Both have the same length. */
export function compare(a: VectorTimestamp, b: VectorTimestamp): Ordering {
  let aLessEqual = true;
  let bLessEqual = true;
  for (let j = 0; j < a.length; j++) {
    if (a[j] > b[j]) aLessEqual = false;
    if (b[j] > a[j]) bLessEqual = false;
  }
  if (aLessEqual) return "before";
  if (aLessEqual && bLessEqual) return "equal";
  if (bLessEqual) return "after";
  return "concurrent";
}
