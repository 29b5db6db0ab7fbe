// Hostile: allocates without bound. Expect: killed at the memory cap, reported, grader unharmed.
export interface LamportClock { t: number }
const hoard: unknown[] = [];
function blowUp(): number {
  for (;;) hoard.push(new Array(1 << 20).fill(hoard.length), Buffer.alloc(16 << 20, 1));
}
export function createLamportClock(): LamportClock { return { t: blowUp() }; }
export function tick(clock: LamportClock): number { return blowUp(); }
export function send(clock: LamportClock): number { return blowUp(); }
export function receive(clock: LamportClock, tPrime: number): number { return blowUp(); }
