// Hostile: never returns. Expect: every test fails on the per-call time limit; the grader moves on.
export interface LamportClock { t: number }
export function createLamportClock(): LamportClock { for (;;) { /* spin */ } }
export function tick(clock: LamportClock): number { for (;;) { /* spin */ } }
export function send(clock: LamportClock): number { for (;;) { /* spin */ } }
export function receive(clock: LamportClock, tPrime: number): number { for (;;) { /* spin */ } }
