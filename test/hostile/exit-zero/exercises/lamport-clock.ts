// Hostile: ends its process "successfully" before any test can fail. Expect: reported, 0 points.
export interface LamportClock { t: number }
process.exit(0);
export function createLamportClock(): LamportClock { return { t: 0 }; }
export function tick(clock: LamportClock): number { return 0; }
export function send(clock: LamportClock): number { return 0; }
export function receive(clock: LamportClock, tPrime: number): number { return 0; }
