/** BUGGY (receive sets t := t' + 1, forgetting max with the local t) variant of Exercise 4.2 (see exercises/lamport-clock.ts for the contract). */

/** A node's Lamport clock: the local variable t of the slide. */
export interface LamportClock {
  t: number;
}

/** "on initialisation do t := 0". */
export function createLamportClock(): LamportClock {
  return { t: 0 };
}

/** "on any event occurring at the local node do t := t + 1". Returns L(e). */
export function tick(clock: LamportClock): number {
  clock.t = clock.t + 1;
  return clock.t;
}

/** "on request to send message m do t := t + 1; send (t, m)". Returns the t to attach to m. */
export function send(clock: LamportClock): number {
  clock.t = clock.t + 1;
  return clock.t;
}

/** "on receiving (t', m) do t := max(t, t') + 1". tPrime is the timestamp the message carried. Returns L(e). */
export function receive(clock: LamportClock, tPrime: number): number {
  clock.t = tPrime + 1;
  return clock.t;
}
