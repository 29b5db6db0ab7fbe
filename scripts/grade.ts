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
 *   --shard I/N        in a folder of submissions, grade only shard I of N (0 <= I < N): the
 *                      submissions whose position in the sorted list is I modulo N; the gradebook is
 *                      gradebook-shard-I-of-N.csv. One machine (or Kubernetes Job index) per shard.
 *
 * In a folder of submissions, each submission is graded in a process of its own (heap capped at
 * 2 GB, CPU time at the time limit plus a minute, wall clock at ten times the time limit plus a
 * minute as a backstop): one that brings its grader down gets 0 and a note saying why, and the
 * batch goes on.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmission, mapLimit, type SubmissionResult } from "../src/grading/grade";
import { kitRoot, loadExercises } from "../src/grading/registry";
import { cliReplay, gradebookCsv, writeReports } from "../src/grading/reports";
import { defaultLimits } from "../src/grading/sandbox/executor";
import { WALL_BACKSTOP_FACTOR, processCpuMs } from "../src/grading/sandbox/cpu";

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
  shard?: { index: number; count: number };
  /** Internal (batch mode): write a one-line JSON summary of the result here. */
  summaryJson?: string;
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
    else if (arg === "--shard") args.shard = parseShard(value(i++));
    else if (arg === "--summary-json") args.summaryJson = value(i++);
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

/** "I/N" with 0 <= I < N (a Kubernetes indexed Job's JOB_COMPLETION_INDEX is 0-based). */
function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index >= count) throw new Error(`--shard needs I/N with 0 <= I < N (e.g. 0/4), got ${text}`);
  return { index, count };
}

/** The submissions of one shard: every N-th of the sorted list, starting at I. */
function shardOf<T>(sorted: readonly T[], shard: { index: number; count: number } | undefined): T[] {
  return shard === undefined ? [...sorted] : sorted.filter((_, position) => position % shard.count === shard.index);
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
  const filled = total === 0 ? width : Math.round((done / total) * width);
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
  const all = submissionsIn(target);
  if (args.shard !== undefined && all === undefined) throw new Error("--shard applies to a folder of submissions, not to one submission");
  const batch = all === undefined ? undefined : shardOf(all, args.shard);
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
    if (args.summaryJson !== undefined) fs.writeFileSync(args.summaryJson, JSON.stringify(summaryOf(result)));
    return;
  }
  if (all?.length === 0) throw new Error(`${args.target} holds no submissions`);
  if (batch.length === 0) process.stderr.write(`shard ${args.shard?.index}/${args.shard?.count}: no submissions (the folder holds ${all?.length})\n`);
  const out = path.resolve(args.out ?? path.join(kitRoot, "results"));
  let done = 0;
  progress(0, batch.length, "");
  const maxPoints = exercises.filter((e) => common.only === undefined || common.only.some((o) => o === e.id || o.startsWith(`${e.id}/`)))
    .reduce((total, e) => total + e.tests.reduce((sum, t) => sum + t.points, 0), 0);
  // DS_KIT_GRADE_MARGIN_MS: the margin over the time limit (tests set it small). The grading process
  // is judged by CPU time; the wall clock is a backstop, WALL_BACKSTOP_FACTOR times as long.
  const marginMs = Number(process.env.DS_KIT_GRADE_MARGIN_MS ?? 60_000);
  const limitMs = (args.timeLimitS ?? 120) * 1000;
  const processLimits = { cpuMs: limitMs + marginMs, wallMs: limitMs * WALL_BACKSTOP_FACTOR + marginMs };
  const forwarded = forwardedArgs(process.argv.slice(2), args.target);
  const results = await mapLimit(batch, jobs, async (submission) => {
    const result = await gradeInOwnProcess(submission, path.join(out, path.basename(submission).replace(archive, "")), forwarded, processLimits, maxPoints);
    done += 1;
    progress(done, batch.length, path.basename(submission));
    return result;
  });
  fs.mkdirSync(out, { recursive: true });
  const gradebook = path.join(out, args.shard === undefined ? "gradebook.csv" : `gradebook-shard-${args.shard.index}-of-${args.shard.count}.csv`);
  fs.writeFileSync(gradebook, gradebookCsv(results));
  for (const r of results) process.stdout.write(`${summary(r)}\n`);
  process.stdout.write(`gradebook: ${gradebook}\n`);
}

/** What the batch needs of one submission's result (the gradebook's columns). */
interface Summary {
  submission: string;
  points: number;
  maxPoints: number;
  durationMs: number;
  notes: string[];
  exercises: { id: string; points: number; maxPoints: number }[];
}

function summaryOf(result: SubmissionResult): Summary {
  return {
    submission: result.submission,
    points: result.points,
    maxPoints: result.maxPoints,
    durationMs: result.durationMs,
    notes: [...result.notes],
    exercises: result.exercises.map((e) => ({ id: e.exercise.id, points: e.points, maxPoints: e.maxPoints })),
  };
}

/** The command line minus the target and the options the batch sets itself. */
function forwardedArgs(argv: string[], target: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === target) continue;
    if (argv[i] === "--out" || argv[i] === "--jobs" || argv[i] === "--summary-json" || argv[i] === "--shard") {
      i++;
      continue;
    }
    out.push(argv[i] as string);
  }
  return out;
}

/**
 * Grades one submission of a batch in a child process of its own, so that a submission that
 * exhausts the grader's heap or time ends only its own grading.
 */
function gradeInOwnProcess(submission: string, out: string, forwarded: string[], limits: { cpuMs: number; wallMs: number }, maxPoints: number): Promise<SubmissionResult> {
  const summaryFile = path.join(os.tmpdir(), `ds-grade-summary-${process.pid}-${Math.abs(hashOf(submission))}.json`);
  fs.rmSync(summaryFile, { force: true });
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--max-old-space-size=2048", "-r", "tsx/cjs", __filename, submission, "--out", out, "--jobs", "1", "--summary-json", summaryFile, ...forwarded],
      { cwd: kitRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    let killedFor: string | undefined;
    const timer = setTimeout(() => {
      killedFor ??= `took longer than ${limits.wallMs / 1000} s (wall-clock backstop)`;
      child.kill("SIGKILL");
    }, limits.wallMs);
    // CPU of the grading process and of its children that ended (cutime + cstime, from /proc); its
    // live sandboxes have per-call CPU limits of their own. Without /proc only the wall clock applies.
    const cpuWatch = setInterval(() => {
      const cpuMs = processCpuMs(child.pid, true);
      if (cpuMs !== undefined && cpuMs > limits.cpuMs) {
        killedFor ??= `used more than ${limits.cpuMs / 1000} s of CPU time`;
        child.kill("SIGKILL");
      }
    }, 500);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearInterval(cpuWatch);
      let summary: Summary | undefined;
      try {
        summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as Summary;
      } catch {
        summary = undefined;
      } finally {
        fs.rmSync(summaryFile, { force: true });
      }
      if (summary === undefined) {
        const why = signal === "SIGKILL" && killedFor !== undefined ? killedFor : `ended with ${signal ?? `exit code ${code}`}`;
        const last = stderr.trim().split("\n").slice(-1)[0] ?? "";
        summary = { submission, points: 0, maxPoints, durationMs: Date.now() - started, notes: [`grading this submission failed: its grader ${why}${last === "" ? "" : ` (${last.slice(0, 200)})`}`], exercises: [] };
      }
      resolve({
        submission: summary.submission,
        points: summary.points,
        maxPoints: summary.maxPoints,
        durationMs: summary.durationMs,
        notes: summary.notes,
        exercises: summary.exercises.map((e) => ({ exercise: { id: e.id }, points: e.points, maxPoints: e.maxPoints, results: [] })),
      } as unknown as SubmissionResult);
    });
  });
}

function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash;
}

main().catch((error: unknown) => {
  process.stderr.write(`grade: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
