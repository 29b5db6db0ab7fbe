/**
 * Runs graded tests through an executor: the one piece every consumer shares (notebook check cells,
 * mocha, the grader). The executor runs a driver with the student's code somewhere (in-process, or in
 * the grader's sandbox) and hands back untrusted data; the checks run here.
 */
import * as fc from "fast-check";
import type { TraceEvent } from "../sim/trace-events";
import { WALL_BACKSTOP_FACTOR } from "./sandbox/cpu";
import { isPropertyTest, notImplementedPattern, type ExerciseDef, type TestDef, type Verdict, type Visibility } from "./define";

/** What running a driver gave: its output, an error the student's code threw, or a dead sandbox. */
export type ExecOutcome =
  | { readonly kind: "output"; readonly output: unknown }
  | { readonly kind: "threw"; readonly message: string }
  /** The sandbox died or was killed (time limit, memory cap, exit, channel abuse): why. */
  | { readonly kind: "fatal"; readonly message: string };

export type Executor = (driver: string, input: unknown) => Promise<ExecOutcome>;

export type TestStatus = "passed" | "failed" | "not-implemented" | "error";

export interface TestResult {
  readonly exerciseId: string;
  readonly test: string;
  readonly category: string;
  readonly visibility: Visibility;
  readonly description: string;
  readonly maxPoints: number;
  readonly points: number;
  readonly status: TestStatus;
  /** Empty when passed; otherwise what property failed, on which input. */
  readonly message: string;
  /** fast-check seed and shrink path of a failing property (replay both to rerun exactly that case). */
  readonly seed?: number;
  readonly path?: string;
  /** The (shrunk) failing input, as JSON text, truncated. */
  readonly counterexample?: string;
  readonly trace?: readonly TraceEvent[];
  /** Number of inputs tried (before shrinking). */
  readonly runs: number;
  readonly durationMs: number;
}

export interface RunOptions {
  /** Base seed of the run; each test's fast-check seed is derived from it and the test's name. */
  readonly seed?: number;
  /** Replay one failing case: the fast-check seed and path a failure printed (needs a single test). */
  readonly replay?: { readonly seed: number; readonly path?: string };
  /**
   * Stop a property after this much time (then it fails, naming the limit). Default 30 s. Measured
   * by `clock` (the grader passes the exercise's CPU meter, so load does not count); a wall-clock
   * backstop at WALL_BACKSTOP_FACTOR times the limit still applies.
   */
  readonly testTimeLimitMs?: number;
  /** Time used so far, ms (default: wall time). gradeSubmission passes CPU time (sandbox/cpu.ts). */
  readonly clock?: () => number;
}

export const defaultSeed = 20261126;

/** FNV-1a: a stable 31-bit seed for a test from the base seed and its id. */
export function testSeed(baseSeed: number, exerciseId: string, testName: string): number {
  let hash = 0x811c9dc5 ^ (baseSeed | 0);
  for (const char of `${exerciseId}/${testName}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

interface Failure {
  input: unknown;
  status: TestStatus;
  message: string;
  trace?: readonly TraceEvent[];
}

/** Runs one input: the driver through the executor, then the trusted check. Never throws. */
async function attempt(test: TestDef, exec: Executor, input: unknown): Promise<Failure | undefined> {
  let outcome: ExecOutcome;
  try {
    outcome = await exec(test.driver, input);
  } catch (error) {
    outcome = { kind: "fatal", message: `grader error: ${String(error)}` };
  }
  if (outcome.kind === "fatal") return { input, status: "error", message: outcome.message };
  if (outcome.kind === "threw") {
    if (notImplementedPattern.test(outcome.message)) return { input, status: "not-implemented", message: outcome.message };
    return { input, status: "failed", message: `your code threw: ${outcome.message}` };
  }
  let verdict: Verdict;
  try {
    verdict = test.check(input, outcome.output);
  } catch (error) {
    verdict = { ok: false, message: `output could not be checked (${String(error)})` };
  }
  if (verdict.ok) return undefined;
  return { input, status: "failed", message: verdict.message ?? "check failed", trace: verdict.trace };
}

/** What every result of a test says about the test itself. */
export function resultHeader(exercise: ExerciseDef, test: TestDef) {
  return {
    exerciseId: exercise.id,
    test: test.name,
    category: test.category,
    visibility: test.visibility ?? "visible",
    description: test.description,
    maxPoints: test.points,
  };
}

export async function runTest(exercise: ExerciseDef, test: TestDef, exec: Executor, options: RunOptions = {}): Promise<TestResult> {
  const started = Date.now();
  const clock = options.clock ?? Date.now;
  const clockAtStart = clock();
  const common = resultHeader(exercise, test);
  let failure: Failure | undefined;
  let runs = 0;
  let seed: number | undefined;
  let path: string | undefined;
  if (!isPropertyTest(test)) {
    for (const input of test.inputs) {
      runs += 1;
      failure = await attempt(test, exec, input);
      if (failure !== undefined) break;
    }
  } else {
    const limitMs = options.testTimeLimitMs ?? 30_000;
    seed = options.replay?.seed ?? testSeed(options.seed ?? defaultSeed, exercise.id, test.name);
    // After a fatal outcome, a missing implementation or the time limit, every later call "passes"
    // at once, so fast-check stops shrinking and reports the case that stopped the run.
    let stopped = false;
    const property = fc.asyncProperty(test.arbitrary, async (input) => {
      if (stopped) return true;
      const wallLimitMs = limitMs * WALL_BACKSTOP_FACTOR;
      if (clock() - clockAtStart > limitMs || Date.now() - started > wallLimitMs) {
        stopped = true;
        const which = clock() - clockAtStart > limitMs ? `time limit of this test (${limitMs / 1000} s${options.clock === undefined ? "" : " of CPU time"})` : `wall-clock backstop of this test (${wallLimitMs / 1000} s)`;
        failure = { input, status: "error", message: `${which} exceeded` };
        return false;
      }
      runs += 1;
      const found = await attempt(test, exec, input);
      if (found === undefined) return true;
      failure = found;
      if (found.status !== "failed") stopped = true;
      return false;
    });
    const details = await fc.check(property, {
      seed,
      numRuns: options.replay === undefined ? test.runs ?? 100 : 1,
      endOnFailure: options.replay !== undefined,
      ...(options.replay?.path === undefined ? {} : { path: options.replay.path }),
    });
    if (details.failed) {
      path = details.counterexamplePath ?? undefined;
      const counterexample = details.counterexample?.[0];
      // The last failing call is normally the shrunk counterexample; run it again if not.
      if (failure === undefined || (failure.status === "failed" && JSON.stringify(failure.input) !== JSON.stringify(counterexample))) {
        failure = (await attempt(test, exec, counterexample)) ?? { input: counterexample, status: "failed", message: "failed, then passed when run again (nondeterministic?)" };
      }
    } else {
      failure = undefined;
    }
  }
  const durationMs = Date.now() - started;
  if (failure === undefined) return { ...common, points: test.points, status: "passed", message: "", runs, durationMs };
  return {
    ...common,
    points: 0,
    status: failure.status,
    message: failure.message,
    runs,
    durationMs,
    counterexample: truncate(JSON.stringify(failure.input) ?? "undefined", 2000),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
    ...(failure.trace === undefined ? {} : { trace: failure.trace }),
  };
}

export interface ExerciseResult {
  readonly exercise: ExerciseDef;
  readonly results: readonly TestResult[];
  readonly points: number;
  readonly maxPoints: number;
}

/** Runs the tests of an exercise one after the other (optionally only those named in `only`). */
export async function runExercise(
  exercise: ExerciseDef,
  exec: Executor,
  options: RunOptions & { readonly only?: readonly string[] } = {},
): Promise<ExerciseResult> {
  const tests = options.only === undefined ? exercise.tests : exercise.tests.filter((test) => options.only?.includes(test.name));
  const results: TestResult[] = [];
  for (const test of tests) results.push(await runTest(exercise, test, exec, options));
  return summarise(exercise, results);
}

export function summarise(exercise: ExerciseDef, results: readonly TestResult[]): ExerciseResult {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return { exercise, results, points: sum(results.map((r) => r.points)), maxPoints: sum(results.map((r) => r.maxPoints)) };
}

/** Runs drivers on a module loaded in this process (notebooks, mocha): same data path as the sandbox. */
export function inProcessExecutor(exercise: ExerciseDef, student: unknown): Executor {
  return async (driver, input) => {
    const run = exercise.drivers[driver];
    if (run === undefined) return { kind: "fatal", message: `no driver ${driver}` };
    try {
      // JSON copies both ways, as the sandbox's channel does, so aliasing bugs show the same way.
      const output = await run(student, JSON.parse(JSON.stringify(input)));
      return { kind: "output", output: output === undefined ? undefined : JSON.parse(JSON.stringify(output)) };
    } catch (error) {
      return { kind: "threw", message: errorMessage(error) };
    }
  };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
