/** Reference solution of Exercise 4.3 (see exercises/vector-clock.ts for the contract). */
import { compareVectorClocks, vectorInit, vectorReceive, vectorTick } from "../src/protocols/clocks/vector";

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
