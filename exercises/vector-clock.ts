/**
 * Exercise 4.3: vector clock with comparison (lecture 4, slides "Vector clocks algorithm" and
 * "Vector clocks ordering").
 *
 *   on initialisation at node N_i do          T := <0, 0, ..., 0>
 *   on any event occurring at node N_i do     T[i] := T[i] + 1
 *   on request to send message m at node N_i do
 *                                             T[i] := T[i] + 1; send (T, m) via network
 *   on receiving (T', m) at node N_i do       T[j] := max(T[j], T'[j]) for every j in {0, ..., n-1}
 *                                             T[i] := T[i] + 1; deliver m to the application
 *
 * A clock is plain data that the functions update in place. `nodes` is the vector of nodes
 * N = <N_0, ..., N_{n-1}> (the same order at every node) and `self` is this node's name, so
 * i = nodes.indexOf(self). Every function that handles an event returns the event's vector timestamp
 * V(e): a new array that later events must not change (the caller keeps it, and sends it in messages).
 *
 * `compare(a, b)` implements the slide's order: "equal" if a[i] = b[i] for all i; "before" if a < b
 * (a <= b everywhere and a != b); "after" if b < a; "concurrent" otherwise.
 *
 * What the tests observe: the timestamps you return for random runs at 2-4 nodes (messages received
 * in any order, sometimes twice or never), checked against the happens-before relation of the run:
 * V(a) < V(b) iff a -> b, and V(a) || V(b) iff a || b; and `compare` on fixed and random vectors.
 */

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
  throw new Error("Exercise 4.3 not implemented yet: createVectorClock");
}

/** "on any event occurring at node N_i do T[i] := T[i] + 1". Returns V(e) (a copy). */
export function tick(clock: VectorClock): VectorTimestamp {
  throw new Error("Exercise 4.3 not implemented yet: tick");
}

/** "on request to send message m do T[i] := T[i] + 1; send (T, m)". Returns the T to attach (a copy). */
export function send(clock: VectorClock): VectorTimestamp {
  throw new Error("Exercise 4.3 not implemented yet: send");
}

/** "on receiving (T', m) do merge T' into T; T[i] := T[i] + 1". Returns V(e) (a copy). */
export function receive(clock: VectorClock, tPrime: VectorTimestamp): VectorTimestamp {
  throw new Error("Exercise 4.3 not implemented yet: receive");
}

/** The slide "Vector clocks ordering": how a relates to b. Both have the same length. */
export function compare(a: VectorTimestamp, b: VectorTimestamp): Ordering {
  throw new Error("Exercise 4.3 not implemented yet: compare");
}
