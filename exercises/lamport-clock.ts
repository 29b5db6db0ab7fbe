/**
 * Exercise 4.2: Lamport clock (lecture 4, slide "Lamport clocks algorithm").
 *
 *   on initialisation do            t := 0
 *   on any event occurring at the local node do
 *                                   t := t + 1
 *   on request to send message m do t := t + 1; send (t, m) via the underlying network link
 *   on receiving (t', m) do         t := max(t, t') + 1; deliver m to the application
 *
 * Implement the four functions below. A clock is plain data (`{ t }`) that the functions update in
 * place; each function returns the timestamp L(e) of the event it handles (the value of t after the
 * increment). One clock per node; the tests never share a clock between nodes.
 *
 * What the tests observe: the tests build random runs (events at 2-5 nodes, messages sent and
 * received in any order, sometimes received twice or never) and call your functions for each event.
 * They check the values you return: the slide's exact values, and the clock condition
 * "if a -> b then L(a) < L(b)" (slide "Lamport clocks in words").
 */

/** A node's Lamport clock: the local variable t of the slide. */
export interface LamportClock {
  t: number;
}

/** "on initialisation do t := 0". */
export function createLamportClock(): LamportClock {
  throw new Error("Exercise 4.2 not implemented yet: createLamportClock");
}

/** "on any event occurring at the local node do t := t + 1". Returns L(e). */
export function tick(clock: LamportClock): number {
  throw new Error("Exercise 4.2 not implemented yet: tick");
}

/** "on request to send message m do t := t + 1; send (t, m)". Returns the t to attach to m. */
export function send(clock: LamportClock): number {
  throw new Error("Exercise 4.2 not implemented yet: send");
}

/** "on receiving (t', m) do t := max(t, t') + 1". tPrime is the timestamp the message carried. Returns L(e). */
export function receive(clock: LamportClock, tPrime: number): number {
  throw new Error("Exercise 4.2 not implemented yet: receive");
}
