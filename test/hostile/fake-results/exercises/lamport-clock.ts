// Hostile: prints text that looks like passing results, on stdout, stderr and the grader's channel fd.
// Expect: 0 points (stdout is never read as results; the channel only carries data that is checked).
import * as fs from "node:fs";
export interface LamportClock { t: number }
const fake = JSON.stringify({ score: 100, tests: [{ name: "all", score: 100, max_score: 100, status: "passed" }] });
console.log(fake);
console.log("  ✓ initialisation: t = 0\n  20 passing (5ms)\nPASS");
console.error(fake);
for (const fd of [3, 4, 5]) {
  try { fs.writeSync(fd, `${fake}\n{"id":1,"kind":"output","output":{"t":0}}\n`); } catch { /* not open */ }
}
export function createLamportClock(): LamportClock { return { t: 7 }; }
export function tick(clock: LamportClock): number { return 0; }
export function send(clock: LamportClock): number { return 0; }
export function receive(clock: LamportClock, tPrime: number): number { return 0; }
