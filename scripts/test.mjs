#!/usr/bin/env node
// `npm test`: every check of the kit, in stages; a failing stage does not stop the later ones.
//   1. type-check with TypeScript 5.9, strict (tsconfig.json)
//   2. type-check src/, exercises/, solutions/ with tslab's own TypeScript 5.0.4 (tsconfig.tslab.json),
//      strict, and again in the kernel's own non-strict mode (tsconfig.tslab-kernel.json)
//   3. unit tests (mocha, .mocharc.json): one count per test
//   4. every notebooks/*.ipynb executed with the tslab kernel (scripts/run_notebooks.py): one per notebook
//   5. committed notebooks carry no outputs (scripts/notebooks.mjs check): one per notebook
// The last line is `N passed, N failed`; the exit status is non-zero when anything failed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { jupyterEnv, repoRoot, venvPython } from "./lib/env.mjs";

/** Runs a command, echoing its output while keeping it for parsing. */
function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on("data", keep(process.stdout));
    child.stderr.on("data", keep(process.stderr));
    child.on("error", (error) => resolve({ status: 127, output: `${output}\ncould not run ${command}: ${error.message}` }));
    child.on("close", (status) => resolve({ status: status ?? 1, output }));
  });
}

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** Reads the `N passed, N failed` line a tool printed last. */
function countsFromSummary(output) {
  const matches = [...stripAnsi(output).matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

function countsFromMocha(output) {
  const text = stripAnsi(output);
  const passing = /^\s*(\d+) passing/m.exec(text);
  const failing = /^\s*(\d+) failing/m.exec(text);
  return passing || failing ? { passed: Number(passing?.[1] ?? 0), failed: Number(failing?.[1] ?? 0) } : undefined;
}

const node = process.execPath;
const stages = [
  {
    name: "type-check (TypeScript 5.9, strict, tsconfig.json)",
    command: node,
    args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit"],
  },
  {
    name: "type-check for notebooks (tslab's TypeScript 5.0.4, tsconfig.tslab.json)",
    command: node,
    args: ["node_modules/@tslab/typescript-for-tslab/bin/tsc", "-p", "tsconfig.tslab.json", "--noEmit"],
  },
  {
    name: "type-check in the notebook kernel's mode (strict off, tsconfig.tslab-kernel.json)",
    command: node,
    args: ["node_modules/@tslab/typescript-for-tslab/bin/tsc", "-p", "tsconfig.tslab-kernel.json", "--noEmit"],
  },
  {
    name: "unit tests (mocha)",
    command: node,
    args: ["node_modules/mocha/bin/mocha.js", "--reporter", "spec", process.stdout.isTTY ? "--color" : "--no-color"],
    counts: countsFromMocha,
  },
  {
    name: "notebooks (executed with the tslab kernel)",
    command: venvPython,
    args: ["scripts/run_notebooks.py"],
    env: jupyterEnv(),
    counts: countsFromSummary,
    needs: () =>
      existsSync(venvPython) ? undefined : ".venv is missing: run `npm install` to set up JupyterLab and the kernel",
  },
  {
    name: "notebooks in git carry no outputs",
    command: node,
    args: ["scripts/notebooks.mjs", "check"],
    counts: countsFromSummary,
  },
];

const started = Date.now();
const results = [];
for (const [index, stage] of stages.entries()) {
  console.log(`\n=== ${index + 1}/${stages.length} ${stage.name}`);
  const stageStarted = Date.now();
  const missing = stage.needs?.();
  const { status, output } = missing ? { status: 1, output: "" } : await run(stage.command, stage.args, stage.env);
  if (missing) console.log(`error: ${missing}`);
  let counts = stage.counts?.(output) ?? (status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  // A tool that exits non-zero without reporting a failure (a crash, a missing file) still fails.
  if (status !== 0 && counts.failed === 0) counts = { passed: counts.passed, failed: 1 };
  const seconds = (Date.now() - stageStarted) / 1000;
  results.push({ name: stage.name, ...counts, seconds, ok: status === 0 && counts.failed === 0 });
  console.log(`--- ${status === 0 && counts.failed === 0 ? "ok" : "FAILED"}: ${stage.name} (${seconds.toFixed(1)} s)`);
}

console.log("\n=== summary");
for (const result of results) {
  console.log(
    `${result.ok ? "ok    " : "FAILED"} ${result.name}: ${result.passed} passed, ${result.failed} failed (${result.seconds.toFixed(1)} s)`,
  );
}
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s (${path.basename(repoRoot)})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
