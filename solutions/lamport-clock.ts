/**
 * Reference solution of Exercise 4.2 (see exercises/lamport-clock.ts for the contract), lecture 4,
 * slide "Lamport clocks algorithm". The answer has one home, here: the library's Lamport clock
 * (src/protocols/clocks/lamport-clock.ts, used by lamportClock() in lamport-protocol.ts) re-exports
 * this file, and the handout ships it as a re-export of the student's exercises/lamport-clock.ts.
 */

function requireCounter(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

/** t := 0. */
function lamportInit(): number {
  return 0;
}

/** t := t + 1. */
function lamportTick(t: number): number {
  requireCounter("t", t);
  return t + 1;
}

/** Sending is an event: t := t + 1, and t goes with the message. */
function lamportSend(t: number): number {
  return lamportTick(t);
}

/** t := max(t, t') + 1. */
function lamportReceive(t: number, tPrime: number): number {
  requireCounter("t", t);
  requireCounter("t'", tPrime);
  return Math.max(t, tPrime) + 1;
}

/** A node's Lamport clock: the local variable t of the slide. */
export interface LamportClock {
  t: number;
}

/** "on initialisation do t := 0". */
export function createLamportClock(): LamportClock {
  return { t: lamportInit() };
}

/** "on any event occurring at the local node do t := t + 1". Returns L(e). */
export function tick(clock: LamportClock): number {
  clock.t = lamportTick(clock.t);
  return clock.t;
}

/** "on request to send message m do t := t + 1; send (t, m)". Returns the t to attach to m. */
export function send(clock: LamportClock): number {
  clock.t = lamportSend(clock.t);
  return clock.t;
}

/** "on receiving (t', m) do t := max(t, t') + 1". tPrime is the timestamp the message carried. Returns L(e). */
export function receive(clock: LamportClock, tPrime: number): number {
  clock.t = lamportReceive(clock.t, tPrime);
  return clock.t;
}
