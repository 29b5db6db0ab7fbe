// Hostile: hands back promises that never settle. Expect: time limit, reported, grader moves on.
export interface LamportClock { t: number }
const never = <T>() => new Promise<T>(() => undefined) as unknown as T;
export function createLamportClock(): LamportClock { return never<LamportClock>(); }
export function tick(clock: LamportClock): number { return never<number>(); }
export function send(clock: LamportClock): number { return never<number>(); }
export function receive(clock: LamportClock, tPrime: number): number { return never<number>(); }
