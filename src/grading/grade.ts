/**
 * Grades one submission: prepares its sandbox folder, runs every exercise's tests with a sandboxed
 * executor (exercises in parallel, tests of an exercise one after the other), under per-call, per-test
 * and overall time limits and a memory cap. Returns the results; reports.ts writes them out.
 *
 * The time limits count CPU time used on the submission's behalf (sandbox/cpu.ts: the grader's own
 * plus its sandbox and node-host processes'), so a busy machine does not cost honest code points;
 * each has a wall-clock backstop WALL_BACKSTOP_FACTOR times as long for code that blocks forever.
 */
import * as os from "node:os";
import * as path from "node:path";
import type { ExerciseDef } from "./define";
import { prepareSubmission, type PreparedSubmission } from "./prepare";
import { kitRoot as defaultKitRoot } from "./registry";
import { resultHeader, runTest, summarise, type ExerciseResult, type RunOptions, type TestResult } from "./run";
import { Sandbox, defaultLimits, type SandboxLimits } from "./sandbox/executor";
import { NodeHosts, defaultNodeHostLimits, nodesExecutor } from "./sandbox/nodes";
import { CpuMeter, WALL_BACKSTOP_FACTOR } from "./sandbox/cpu";

export interface GradeOptions extends RunOptions {
  readonly exercises: readonly ExerciseDef[];
  readonly kitRoot?: string;
  readonly limits?: SandboxLimits;
  /** Whole-submission time limit, CPU time (wall backstop: 10 times as long). Default 120 s. */
  readonly overallTimeMs?: number;
  /** Exercises run at once (default: the machine's cores). */
  readonly concurrency?: number;
  /** Only these tests, as "4.2/<test name>" or "4.2" (a whole exercise). */
  readonly only?: readonly string[];
}

export interface SubmissionResult {
  readonly submission: string;
  readonly exercises: readonly ExerciseResult[];
  readonly points: number;
  readonly maxPoints: number;
  readonly durationMs: number;
  /** What happened besides test results: preparation problems, sandbox restarts, output. */
  readonly notes: readonly string[];
  readonly baseSeed: number | undefined;
}

export function selected(only: readonly string[] | undefined, exerciseId: string, testName: string): boolean {
  return only === undefined || only.some((item) => item === exerciseId || item === `${exerciseId}/${testName}`);
}

/** Runs `work` over items with at most `limit` at once; results in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function unrun(exercise: ExerciseDef, testName: string, message: string): TestResult {
  const test = exercise.tests.find((t) => t.name === testName);
  if (test === undefined) throw new Error(`no test ${testName}`);
  return {
    ...resultHeader(exercise, test),
    points: 0,
    status: "error",
    message,
    runs: 0,
    durationMs: 0,
  };
}

export async function gradeSubmission(submission: string, options: GradeOptions): Promise<SubmissionResult> {
  const started = Date.now();
  const kitRoot = options.kitRoot ?? defaultKitRoot;
  const limits = options.limits ?? defaultLimits;
  const overallMs = options.overallTimeMs ?? 120_000;
  // Counts the grader's CPU and that of every sandbox / node host this submission starts.
  const meter = new CpuMeter();
  const overallReason = (): string | undefined =>
    meter.elapsedMs() >= overallMs
      ? `the overall time limit for this submission was reached (${overallMs / 1000} s of CPU time)`
      : meter.wallMs() >= overallMs * WALL_BACKSTOP_FACTOR
        ? `the overall wall-clock backstop for this submission was reached (${(overallMs * WALL_BACKSTOP_FACTOR) / 1000} s)`
        : undefined;
  const notes: string[] = [];
  const exercises = options.exercises.filter((exercise) => exercise.tests.some((test) => selected(options.only, exercise.id, test.name)));
  let prepared: PreparedSubmission | undefined;
  try {
    prepared = await prepareSubmission(submission, kitRoot, exercises.map((exercise) => exercise.module));
  } catch (error) {
    notes.push(`the submission could not be unpacked: ${String(error)}`);
  }
  try {
    const results = await mapLimit(exercises, options.concurrency ?? os.cpus().length, async (exercise) => {
      const tests = exercise.tests.filter((test) => selected(options.only, exercise.id, test.name));
      if (prepared === undefined || !prepared.modules.has(exercise.module)) {
        const why = prepared === undefined ? "the submission could not be unpacked" : `exercises/${exercise.module}.ts is missing from the submission`;
        return summarise(exercise, tests.map((test) => unrun(exercise, test.name, why)));
      }
      const nodeModules = path.join(kitRoot, "node_modules");
      const isolated = exercise.isolation === "nodes";
      const sandbox = isolated ? undefined : new Sandbox({ root: prepared.root, nodeModules, module: exercise.module, limits, overall: { meter, limitMs: overallMs } });
      const hosts = isolated
        ? new NodeHosts({ root: prepared.root, nodeModules, module: exercise.module, limits: { ...defaultNodeHostLimits, callTimeMs: Math.min(limits.callTimeMs, defaultNodeHostLimits.callTimeMs * 5), memoryMb: Math.min(limits.memoryMb, 256) } })
        : undefined;
      // This exercise's own meter, for its tests' limits (the grader's CPU is shared with exercises
      // graded at the same time, so it may count a little more than this exercise used).
      const exerciseMeter = new CpuMeter();
      const childrenCpu = hosts !== undefined ? () => hosts.cpuMs() : () => (sandbox as Sandbox).cpu.totalMs();
      exerciseMeter.add(childrenCpu);
      meter.add(childrenCpu);
      const exec = hosts !== undefined ? nodesExecutor(hosts, exercise.drivers) : (sandbox as Sandbox).exec;
      const testResults: TestResult[] = [];
      try {
        for (const test of tests) {
          const reached = overallReason();
          if (reached !== undefined) {
            testResults.push(unrun(exercise, test.name, `not run: ${reached}`));
            continue;
          }
          const leftMs = Math.max(1, Math.min(overallMs - meter.elapsedMs(), (overallMs * WALL_BACKSTOP_FACTOR - meter.wallMs()) / WALL_BACKSTOP_FACTOR));
          testResults.push(await runTest(exercise, test, exec, { ...options, clock: () => exerciseMeter.elapsedMs(), testTimeLimitMs: Math.min(options.testTimeLimitMs ?? 30_000, leftMs) }));
        }
      } finally {
        sandbox?.close();
        hosts?.close();
      }
      if (sandbox !== undefined && sandbox.starts > 1) notes.push(`exercise ${exercise.id}: the sandbox was restarted ${sandbox.starts - 1} time(s) after a fatal error`);
      const printed = sandbox === undefined ? "" : (sandbox.stdout + sandbox.stderr).trim();
      if (printed !== "") notes.push(`exercise ${exercise.id}: the code printed (ignored by the grader): ${JSON.stringify(printed.slice(0, 300))}`);
      return summarise(exercise, testResults);
    });
    if (prepared !== undefined) notes.unshift(...prepared.notes);
    const points = results.reduce((total, r) => total + r.points, 0);
    const maxPoints = results.reduce((total, r) => total + r.maxPoints, 0);
    return { submission, exercises: results, points, maxPoints, durationMs: Date.now() - started, notes, baseSeed: options.seed };
  } finally {
    prepared?.cleanup();
  }
}
