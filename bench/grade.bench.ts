/**
 * npm run bench:grade [-- --runs N]: how long grading one submission of every exercise takes, end to
 * end (`npm run grade`, as a new process: tsx start-up, preparing the sandbox, every test in the
 * sandbox with hidden tests, the reports), for the reference solutions (every test runs all its
 * random cases) and the stubs (every test stops at once). The budget is 60 s on a 2-core machine.
 *
 * npm run bench:grade -- --class N [--jobs J] [--keep DIR]: a class of N synthetic submissions
 * graded as one batch instead (bench/grade-class.ts): submissions per minute, peak memory.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kitRoot } from "../src/grading/registry";
import { benchClass } from "./grade-class";

function optionValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}
const classSize = optionValue("--class");
if (classSize !== undefined) {
  const count = Number(classSize);
  const jobs = Number(optionValue("--jobs") ?? os.cpus().length);
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`--class needs a number of submissions, got ${classSize}`);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`--jobs needs a positive whole number, got ${optionValue("--jobs")}`);
  const keep = optionValue("--keep");
  benchClass({ count, jobs, ...(keep === undefined ? {} : { keep: path.resolve(keep) }) }).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench:grade --class: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  benchOne();
}

function benchOne(): void {
  const budgetMs = 60_000;
  const runsIndex = process.argv.indexOf("--runs");
  const runs = runsIndex >= 0 ? Number(process.argv[runsIndex + 1]) : 3;
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= 20)) throw new Error("--runs must be 1..20");

  function gradeOnce(submission: string): number {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-grade-"));
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(kitRoot, "scripts", "grade.ts"), submission, "--out", out], { cwd: kitRoot, encoding: "utf8" });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    fs.rmSync(out, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`grading ${submission} failed: ${run.stderr}`);
    const score = /: (\d+)\/(\d+) points/.exec(run.stdout);
    process.stdout.write(`  ${path.basename(submission).padEnd(10)} ${(elapsedMs / 1000).toFixed(2).padStart(6)} s  (${score?.[1]}/${score?.[2]} points)\n`);
    return elapsedMs;
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  process.stdout.write(`Grading one submission of every exercise, end to end, ${runs} run(s) each, on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}):\n`);
  let worst = 0;
  for (const submission of ["solutions", "exercises"]) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(gradeOnce(path.join(kitRoot, submission)));
    worst = Math.max(worst, ...times);
    process.stdout.write(`${submission}: median ${(median(times) / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s\n`);
  }
  process.stdout.write(`slowest: ${(worst / 1000).toFixed(2)} s (budget ${budgetMs / 1000} s)\n`);
  if (worst > budgetMs) {
    process.stderr.write("over budget\n");
    process.exit(1);
  }
}
