// Hostile: asks the module loader which of the kit's files exist (require.resolve stats files
// internally, past the permission model), to learn the names of solution and hidden-test files.
// Expect: nothing outside the sandbox can be told apart from a missing file, so the probe learns
// nothing (it then answers { t: 5 }: 0 points).
/* eslint-disable @typescript-eslint/no-require-imports */
import * as path from "node:path";
export interface LamportClock { t: number }
const kit = path.dirname(process.env.NODE_PATH ?? "/work/main/node_modules");
const probe = (file: string) => {
  try {
    require.resolve(path.join(kit, file));
    return true;
  } catch {
    return false;
  }
};
const found = ["solutions/lamport-clock.ts", "test/grading/hidden/index.ts", "package.json"].filter(probe);
export function createLamportClock(): LamportClock {
  if (found.length > 0) throw new Error(`the probe found ${found.join(", ")}`);
  return { t: 5 };
}
export function tick(clock: LamportClock): number { return clock.t; }
export function send(clock: LamportClock): number { return clock.t; }
export function receive(clock: LamportClock, tPrime: number): number { return Math.max(clock.t, tPrime); }
