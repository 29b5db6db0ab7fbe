// Hostile: unbounded recursion. Expect: a RangeError reported as a failure, no crash.
export interface LamportClock { t: number }
function down(n: number): number { return down(n + 1) + 1; }
export function createLamportClock(): LamportClock { return { t: down(0) }; }
export function tick(clock: LamportClock): number { return down(0); }
export function send(clock: LamportClock): number { return down(0); }
export function receive(clock: LamportClock, tPrime: number): number { return down(0); }
