/// <reference types="mocha" />
/**
 * The graded specs as mocha suites: one `describe` per exercise, one `it` per test, titled with its
 * category and points. Runs in-process on a module folder (exercises/ by default); a test whose
 * exercise is not implemented yet is reported pending ("not done yet"), or fails when
 * `notImplemented: "fail"` (CI on the reference solutions).
 */
import * as path from "node:path";
import type { ExerciseDef } from "./define";
import { kitRoot } from "./registry";
import { notebookReplay } from "./reports";
import { inProcessExecutor, runTest, type TestResult } from "./run";

export interface MochaOptions {
  /** Folder holding the modules (default: <kit>/exercises). */
  readonly modulesDir?: string;
  readonly notImplemented?: "pending" | "fail";
  /** Called with each result (e.g. to total the points). */
  readonly onResult?: (result: TestResult) => void;
}

export function describeExercises(exercises: readonly ExerciseDef[], options: MochaOptions = {}): void {
  const dir = options.modulesDir ?? path.join(kitRoot, "exercises");
  for (const exercise of exercises) {
    describe(`Exercise ${exercise.id}: ${exercise.title} (slide "${exercise.slide}")`, function () {
      this.timeout(60_000);
      let student: unknown;
      let loadError: unknown;
      before(function () {
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          student = require(path.join(dir, exercise.module));
        } catch (error) {
          loadError = error;
        }
      });
      for (const test of exercise.tests) {
        it(`[${test.category}, ${test.points} pt] ${test.name}`, async function () {
          if (loadError !== undefined) throw new Error(`could not load ${exercise.module}: ${String(loadError)}`);
          const result = await runTest(exercise, test, inProcessExecutor(exercise, student));
          options.onResult?.(result);
          if (result.status === "not-implemented" && options.notImplemented !== "fail") this.skip();
          if (result.status !== "passed") {
            const where = result.seed === undefined ? "" : `\nseed=${result.seed}${result.path === undefined ? "" : ` path=${result.path}`}`;
            throw new Error(`${result.message}\ninput: ${result.counterexample}${where}\nreplay in a notebook: ${notebookReplay(result)}`);
          }
        });
      }
    });
  }
}
