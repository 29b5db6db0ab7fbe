// Hostile: finds the kit (NODE_PATH names its node_modules) and reads the reference solution and
// the hidden tests; if it could, it would compile the solution and use it. Expect: reads refused, 0 points.
/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from "node:fs";
import * as path from "node:path";
export interface LamportClock { t: number }
const kit = path.dirname(process.env.NODE_PATH ?? "/work/main/node_modules");
let stolen: Record<string, (...args: unknown[]) => unknown> | undefined;
for (const file of ["solutions/lamport-clock.ts", "test/grading/hidden/index.ts", "solutions/vector-clock.ts"]) {
  try {
    const text = fs.readFileSync(path.join(kit, file), "utf8");
    console.log(`read ${file}`);
    if (file.startsWith("solutions/lamport") && stolen === undefined) {
      const ts = require("typescript");
      const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
      const module = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
      new Function("module", "exports", "require", js)(module, module.exports, require);
      stolen = module.exports;
    }
  } catch (error) {
    console.log(`refused ${file}: ${(error as { code?: string }).code}`);
  }
}
try { require(path.join(kit, "solutions", "lamport-clock")); console.log("required solutions"); } catch { /* refused */ }
export function createLamportClock(): LamportClock { return (stolen?.createLamportClock?.() as LamportClock) ?? { t: 3 }; }
export function tick(clock: LamportClock): number { return (stolen?.tick?.(clock) as number) ?? 0; }
export function send(clock: LamportClock): number { return (stolen?.send?.(clock) as number) ?? 0; }
export function receive(clock: LamportClock, tPrime: number): number { return (stolen?.receive?.(clock, tPrime) as number) ?? 0; }
