// Hostile: patches everything it can reach: Math.random, Date, intrinsics, fast-check, assert, mocha
// and the kit's own checkers and runner. Expect: 0 points (checks run in the grader, not here).
/* eslint-disable @typescript-eslint/no-require-imports */
export interface LamportClock { t: number }
Math.random = () => 0.5;
Date.now = () => 0;
const arrays = Array.prototype as unknown as { every: unknown; some: unknown };
arrays.every = function () { return true; };
arrays.some = function () { return false; };
(Number as unknown as { isInteger: unknown }).isInteger = () => true;
const tryPatch = (load: () => Record<string, unknown>, patch: (m: Record<string, unknown>) => void) => {
  try { patch(load()); } catch { /* not reachable */ }
};
tryPatch(() => require("fast-check"), (fc) => { fc.check = async () => ({ failed: false }); fc.assert = async () => undefined; });
tryPatch(() => require("node:assert"), (assert) => { assert.strictEqual = () => undefined; assert.deepStrictEqual = () => undefined; });
tryPatch(() => require("mocha"), (mocha) => { mocha.it = () => undefined; });
tryPatch(() => require("../src/grading/specs/lamport-clock"), (spec) => {
  const checks = spec.lamportChecks as Record<string, unknown>;
  for (const name of Object.keys(checks)) checks[name] = () => ({ ok: true });
});
tryPatch(() => require("../src/grading/run"), (run) => { run.runTest = async () => ({ status: "passed", points: 100 }); });
tryPatch(() => require("../src/grading/define"), (define) => { define.notImplementedPattern = /./; });
export function createLamportClock(): LamportClock { return { t: 5 }; }
export function tick(clock: LamportClock): number { return 0; }
export function send(clock: LamportClock): number { return 0; }
export function receive(clock: LamportClock, tPrime: number): number { return 0; }
