/**
 * The spec-definition layer: how an exercise and its graded tests are declared, once, for every
 * consumer (the notebook check cell, mocha, the sandboxed grader).
 *
 * A graded test is split in two halves so the grader can run the untrusted half in a sandbox:
 * - a *driver* (named, public, in `src/grading/specs/drivers/<module>.ts`) runs the student's code on
 *   an input and returns plain JSON data (what the student's code computed). It runs wherever the
 *   student's code runs: in-process in a notebook, in a locked-down child process in the grader.
 * - a *check* turns (input, output) into a verdict. It runs in the trusted process only, so a
 *   submission cannot patch it, and hidden tests (which only pick a public driver and add inputs and
 *   checks) never enter the submission's realm.
 * Inputs come either from a fixed list (`inputs`) or from a fast-check arbitrary (`arbitrary`), which
 * gives many random runs and shrinks a failing one to a small counterexample.
 */
import type * as fc from "fast-check";
import type { TraceEvent } from "../sim/trace-events";

/** Test categories as the lectures use them; free text is allowed for new ones. */
export type Category =
  | "basic"
  | "randomised"
  | "unreliable network"
  | "crashes"
  | "exhaustive"
  | (string & {});

/** Gradescope's visibility values; the feedback report follows the same rules. */
export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";
export const visibilities: readonly Visibility[] = ["visible", "hidden", "after_due_date", "after_published"];

/** What a check says about one run. A failure names the property and may carry a trace to draw. */
export interface Verdict {
  readonly ok: boolean;
  /** When not ok: what property failed, naming the events. */
  readonly message?: string;
  /** When not ok: the run to draw (a space-time diagram of the failure). */
  readonly trace?: readonly TraceEvent[];
}

export const pass: Verdict = { ok: true };
export function fail(message: string, trace?: readonly TraceEvent[]): Verdict {
  return trace === undefined ? { ok: false, message } : { ok: false, message, trace };
}

/**
 * Runs the student's module on one input and returns plain JSON data. Must be deterministic, must not
 * judge (no pass/fail here: that is the check's job), and must not import fast-check or any spec.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Driver = (student: any, input: any) => unknown;
export type Drivers = { readonly [name: string]: Driver };

interface TestCommon<I> {
  /** Short, names the property, cites the slide where it helps: "clock condition: a -> b implies L(a) < L(b)". */
  readonly name: string;
  readonly points: number;
  readonly category: Category;
  /** Default "visible". */
  readonly visibility?: Visibility;
  /** One or two sentences for the student: what is observed and why it matters. */
  readonly description: string;
  /** Name of the driver (in the exercise's drivers) that produces the output for an input. */
  readonly driver: string;
  /** Trusted: judges the untrusted output. Must validate the output's shape (it may be anything). */
  check(input: I, output: unknown): Verdict;
}
export interface ExampleTest<I = unknown> extends TestCommon<I> {
  /** Fixed inputs, run in order; the first failure fails the test. */
  readonly inputs: readonly I[];
}
export interface PropertyTest<I = unknown> extends TestCommon<I> {
  /** Random inputs (fast-check shrinks a failing one). */
  readonly arbitrary: fc.Arbitrary<I>;
  /** Number of random runs, default 100. */
  readonly runs?: number;
}
export type TestDef<I = unknown> = ExampleTest<I> | PropertyTest<I>;

export interface ExerciseDef {
  /** "4.2": lecture number, exercise number. */
  readonly id: string;
  readonly title: string;
  /** Title of the slide the exercise comes from. */
  readonly slide: string;
  /** File name without extension in exercises/ and solutions/, e.g. "lamport-clock". */
  readonly module: string;
  /** Must be the `drivers` export of src/grading/specs/drivers/<module>.ts (the sandbox loads that file). */
  readonly drivers: Drivers;
  readonly tests: readonly TestDef[];
  /**
   * Where the grader runs the student's code (docs/grading.md):
   * - "nodes": the drivers and the simulator run in the trusted grader; each simulated node's
   *   handlers (and each plain function call) run in a node-host process of their own, so nodes
   *   share no memory, a crash loses memory, and the trace is the grader's. For exercises whose
   *   drivers pass only data to the student's code.
   * - "sandbox" (default): the drivers run in one sandbox process with the student's code and return
   *   plain data for the trusted checks (exercises whose answers are functions of values).
   */
  readonly isolation?: "nodes" | "sandbox";
}

export function isPropertyTest<I>(test: TestDef<I>): test is PropertyTest<I> {
  return "arbitrary" in test;
}

/** Identity with validation: every mistake in a definition is reported when the spec is loaded. */
export function defineExercise(exercise: ExerciseDef): ExerciseDef {
  if (!/^\d+\.\d+$/.test(exercise.id)) throw new Error(`exercise id must look like "4.2", got ${JSON.stringify(exercise.id)}`);
  if (!/^[a-z0-9-]+$/.test(exercise.module)) throw new Error(`exercise ${exercise.id}: module must be kebab-case, got ${JSON.stringify(exercise.module)}`);
  for (const test of exercise.tests) validateTest(exercise, test);
  return exercise;
}

/** Hidden tests are kept outside src/ (test/grading/hidden/) and added to their exercise by the grader. */
export function withTests(exercise: ExerciseDef, tests: readonly TestDef[]): ExerciseDef {
  const combined: ExerciseDef = { ...exercise, tests: [...exercise.tests, ...tests] };
  for (const test of tests) validateTest(combined, test);
  return combined;
}

function validateTest(exercise: ExerciseDef, test: TestDef): void {
  const where = `exercise ${exercise.id}, test ${JSON.stringify(test.name)}`;
  if (test.name.trim() === "" || test.name.includes("/")) throw new Error(`${where}: name must be non-empty and contain no "/"`);
  if (!(test.points >= 0 && Number.isFinite(test.points))) throw new Error(`${where}: points must be a finite number >= 0`);
  if (!(test.driver in exercise.drivers)) throw new Error(`${where}: unknown driver ${JSON.stringify(test.driver)}`);
  if (test.visibility !== undefined && !visibilities.includes(test.visibility)) throw new Error(`${where}: bad visibility ${test.visibility}`);
  if (!isPropertyTest(test) && test.inputs.length === 0) throw new Error(`${where}: needs inputs or an arbitrary`);
  // A search driver's (src/grading/explore.ts) verdict ("exhausted") can be trusted only when the grader runs the explorer itself.
  if ((exercise.drivers[test.driver] as { branchesNodeStates?: unknown }).branchesNodeStates === true && exercise.isolation !== "nodes") {
    throw new Error(`${where}: search tests need isolation "nodes" (the explorer must run in the grader, not next to the student's code)`);
  }
  const duplicates = exercise.tests.filter((other) => other.name === test.name);
  if (duplicates.length > 1) throw new Error(`${where}: duplicate test name`);
}

/** The message a stub throws; the runner recognises it and reports "not implemented yet" instead of a failure. */
export const notImplementedPattern = /Exercise \d+\.\d+ not implemented yet/;
