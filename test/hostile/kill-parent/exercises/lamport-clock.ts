// Hostile: tries to kill the grader (its parent) and its process group. Expect: refused; 0 points.
export interface LamportClock { t: number }
function attack(): number {
  for (const target of [process.ppid, -process.ppid]) {
    try { process.kill(target, "SIGKILL"); } catch { /* refused */ }
  }
  const internal = (process as unknown as { _kill?: (pid: number, signal: number) => void })._kill;
  try { internal?.(process.ppid, 9); } catch { /* refused */ }
  return 0;
}
export function createLamportClock(): LamportClock { attack(); return { t: 1 }; }
export function tick(clock: LamportClock): number { return attack(); }
export function send(clock: LamportClock): number { return attack(); }
export function receive(clock: LamportClock, tPrime: number): number { return attack(); }
