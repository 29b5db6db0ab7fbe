// Hostile: starts a shell, a worker thread and a native addon to escape the sandbox. Expect: refused, 0 points.
/* eslint-disable @typescript-eslint/no-require-imports */
export interface LamportClock { t: number }
const attempts: string[] = [];
const attempt = (what: string, run: () => unknown) => {
  try { run(); attempts.push(`${what}: allowed`); } catch (error) { attempts.push(`${what}: ${(error as { code?: string }).code}`); }
};
attempt("child_process", () => require("node:child_process").execSync("touch /tmp/hostile-spawned"));
attempt("worker", () => new (require("node:worker_threads").Worker)("require('fs').writeFileSync('/tmp/hostile-worker', '1')", { eval: true }));
attempt("addon", () => process.dlopen({ exports: {} } as NodeJS.Module, "/tmp/hostile.node"));
console.log(attempts.join("; "));
export function createLamportClock(): LamportClock { return { t: 4 }; }
export function tick(clock: LamportClock): number { return 0; }
export function send(clock: LamportClock): number { return 0; }
export function receive(clock: LamportClock, tPrime: number): number { return 0; }
