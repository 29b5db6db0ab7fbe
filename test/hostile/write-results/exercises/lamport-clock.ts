// Hostile: tries to write a perfect results.json where the grader writes its reports, and into the
// kit. Expect: writes refused, 0 points, no file written.
import * as fs from "node:fs";
import * as path from "node:path";
export interface LamportClock { t: number }
const kit = path.dirname(process.env.NODE_PATH ?? "/work/main/node_modules");
const perfect = JSON.stringify({ score: 100, tests: [] });
for (const target of ["/autograder/results/results.json", path.join(kit, "results", "hostile-wrote-this.json"), path.join(kit, "hostile-wrote-this.json"), "/tmp/hostile-wrote-this.json", path.join(__dirname, "hostile-wrote-this.json")]) {
  try { fs.mkdirSync(path.dirname(target), { recursive: true }); fs.writeFileSync(target, perfect); console.log(`wrote ${target}`); } catch (error) { console.log(`refused ${target}: ${(error as { code?: string }).code}`); }
}
export function createLamportClock(): LamportClock { return { t: 9 }; }
export function tick(clock: LamportClock): number { return 0; }
export function send(clock: LamportClock): number { return 0; }
export function receive(clock: LamportClock, tPrime: number): number { return 0; }
