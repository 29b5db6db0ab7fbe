/**
 * npm run grade -- <submission | folder of submissions> [options]
 *
 * A submission is a folder (or .zip / .tar.gz) holding exercises/. A folder holding neither
 * exercises/ nor .ts files is a folder of submissions: each is graded (in parallel), with a progress
 * bar and a CSV gradebook. See docs/grading.md.
 *
 *   --out DIR          where reports go (default results/<submission name>, or results/ for a folder)
 *   --test ID[/NAME]   only this exercise or test (repeatable)
 *   --seed N           base seed (with one --test: the failing case's fast-check seed, to replay it)
 *   --path P           with --test and --seed: the fast-check shrink path a failure printed
 *   --public           visible tests only (the hidden tests are skipped)
 *   --call-limit S     seconds one input may take (default 5)
 *   --time-limit S     seconds per submission (default 120)
 *   --memory MB        heap cap of the sandbox (default 256)
 *   --jobs N           submissions (or exercises) graded at once (default: cores)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmission, mapLimit, type SubmissionResult } from "../src/grading/grade";
import { kitRoot, loadExercises } from "../src/grading/registry";
import { cliReplay, gradebookCsv, writeReports } from "../src/grading/reports";
import { defaultLimits } from "../src/grading/sandbox/executor";

interface Args {
  target: string;
  out?: string;
  tests: string[];
  seed?: number;
  path?: string;
  publicOnly: boolean;
  callLimitS?: number;
  timeLimitS?: number;
  memoryMb?: number;
  jobs?: number;
}

function parse(argv: string[]): Args {
  const args: Args = { target: "", tests: [], publicOnly: false };
  const value = (i: number) => {
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  const number = (i: number) => {
    const n = Number(value(i));
    if (!Number.isFinite(n) || n < 0) throw new Error(`${argv[i]} needs a number, got ${argv[i + 1]}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") args.out = value(i++);
    else if (arg === "--test") args.tests.push(value(i++));
    else if (arg === "--seed") args.seed = number(i++);
    else if (arg === "--path") args.path = value(i++);
    else if (arg === "--public") args.publicOnly = true;
    else if (arg === "--call-limit") args.callLimitS = number(i++);
    else if (arg === "--time-limit") args.timeLimitS = number(i++);
    else if (arg === "--memory") args.memoryMb = number(i++);
    else if (arg === "--jobs") args.jobs = Math.max(1, Math.floor(number(i++)));
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(0);
    } else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else if (args.target === "") args.target = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (args.target === "") throw new Error("usage: npm run grade -- <submission | folder of submissions> [--out DIR] (see --help)");
  if (args.path !== undefined && args.tests.length !== 1) throw new Error("--path replays one case: give exactly one --test");
  return args;
}

const archive = /\.(zip|tar|tar\.gz|tgz)$/i;

/** A folder of submissions: neither exercises/ nor .ts files at its top. */
function submissionsIn(target: string): string[] | undefined {
  if (!fs.statSync(target).isDirectory()) return undefined;
  const entries = fs.readdirSync(target, { withFileTypes: true }).filter((e) => !e.name.startsWith("."));
  if (entries.some((e) => e.name === "exercises" || (e.isFile() && e.name.endsWith(".ts")))) return undefined;
  return entries.filter((e) => e.isDirectory() || archive.test(e.name)).map((e) => path.join(target, e.name)).sort();
}

function progress(done: number, total: number, label: string): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${label}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(100).slice(0, 100)}${done === total ? "\n" : ""}`);
  else process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const target = path.resolve(args.target);
  if (!fs.existsSync(target)) throw new Error(`no such submission: ${args.target}`);
  const exercises = loadExercises({ hidden: !args.publicOnly });
  const limits = {
    ...defaultLimits,
    ...(args.callLimitS === undefined ? {} : { callTimeMs: args.callLimitS * 1000 }),
    ...(args.memoryMb === undefined ? {} : { memoryMb: args.memoryMb }),
  };
  const replaying = args.tests.length === 1 && args.tests[0].includes("/") && args.seed !== undefined;
  const common = {
    exercises,
    limits,
    only: args.tests.length === 0 ? undefined : args.tests,
    ...(args.timeLimitS === undefined ? {} : { overallTimeMs: args.timeLimitS * 1000 }),
    ...(replaying ? { replay: { seed: args.seed as number, ...(args.path === undefined ? {} : { path: args.path }) } } : { seed: args.seed }),
  };
  const jobs = args.jobs ?? os.cpus().length;
  const batch = submissionsIn(target);
  const summary = (r: SubmissionResult) => `${path.basename(r.submission)}: ${r.points}/${r.maxPoints} points in ${(r.durationMs / 1000).toFixed(1)} s`;
  if (batch === undefined) {
    const out = path.resolve(args.out ?? path.join(kitRoot, "results", path.basename(target).replace(archive, "")));
    const result = await gradeSubmission(target, { ...common, concurrency: jobs });
    writeReports(result, out, cliReplay(args.target), kitRoot);
    for (const e of result.exercises) {
      process.stdout.write(`Exercise ${e.exercise.id} ${e.exercise.title}: ${e.points}/${e.maxPoints}\n`);
      for (const r of e.results) {
        const mark = r.status === "passed" ? "ok  " : r.status === "not-implemented" ? "todo" : "FAIL";
        process.stdout.write(`  ${mark} [${r.category}, ${r.points}/${r.maxPoints}] ${r.test}${r.status === "passed" || r.status === "not-implemented" ? "" : `\n       ${r.message}`}\n`);
      }
    }
    for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
    process.stdout.write(`${summary(result)}\nreports: ${out}\n`);
    return;
  }
  if (batch.length === 0) throw new Error(`${args.target} holds no submissions`);
  const out = path.resolve(args.out ?? path.join(kitRoot, "results"));
  let done = 0;
  progress(0, batch.length, "");
  const results = await mapLimit(batch, jobs, async (submission) => {
    const result = await gradeSubmission(submission, { ...common, concurrency: 1 });
    writeReports(result, path.join(out, path.basename(submission).replace(archive, "")), cliReplay(submission), kitRoot);
    done += 1;
    progress(done, batch.length, path.basename(submission));
    return result;
  });
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "gradebook.csv"), gradebookCsv(results));
  for (const r of results) process.stdout.write(`${summary(r)}\n`);
  process.stdout.write(`gradebook: ${path.join(out, "gradebook.csv")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`grade: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
