// Hostile (or just broken): throws while being loaded. Expect: every test fails saying so.
export interface LamportClock { t: number }
throw new Error("boom at import");
export function createLamportClock(): LamportClock { return { t: 0 }; }
export function tick(clock: LamportClock): number { return 0; }
export function send(clock: LamportClock): number { return 0; }
export function receive(clock: LamportClock, tPrime: number): number { return 0; }
