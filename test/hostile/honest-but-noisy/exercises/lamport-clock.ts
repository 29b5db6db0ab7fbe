// Control: a correct solution that also prints fake results. Expect: full marks for 4.2, no more.
export interface LamportClock { t: number }
console.log(JSON.stringify({ score: 1000 }));
export function createLamportClock(): LamportClock { return { t: 0 }; }
export function tick(clock: LamportClock): number { clock.t += 1; return clock.t; }
export function send(clock: LamportClock): number { clock.t += 1; return clock.t; }
export function receive(clock: LamportClock, tPrime: number): number { clock.t = Math.max(clock.t, tPrime) + 1; return clock.t; }
