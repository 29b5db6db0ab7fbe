/**
 * Where exercises and their modules live. Public tests come from src/grading/specs; hidden tests from
 * test/grading/hidden (present in the kit, absent from the student handout).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withTests, type ExerciseDef, type TestDef } from "./define";
import { exercises as publicExercises } from "./specs/index";

/** The kit's root folder (this file is src/grading/registry.ts). */
export const kitRoot = path.resolve(__dirname, "..", "..");

export const hiddenTestsPath = path.join(kitRoot, "test", "grading", "hidden");

export function hiddenTestsAvailable(): boolean {
  return fs.existsSync(path.join(hiddenTestsPath, "index.ts"));
}

/** The exercises, with their hidden tests when `hidden` is true and they exist. */
export function loadExercises(options: { readonly hidden: boolean }): ExerciseDef[] {
  if (!options.hidden || !hiddenTestsAvailable()) return [...publicExercises];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hiddenTests } = require(path.join(hiddenTestsPath, "index.ts")) as { hiddenTests: { [id: string]: readonly TestDef[] } };
  for (const id of Object.keys(hiddenTests)) {
    if (!publicExercises.some((exercise) => exercise.id === id)) throw new Error(`hidden tests for unknown exercise ${id}`);
  }
  return publicExercises.map((exercise) => withTests(exercise, hiddenTests[exercise.id] ?? []));
}

export function findExercise(exercises: readonly ExerciseDef[], id: string): ExerciseDef {
  const exercise = exercises.find((candidate) => candidate.id === id);
  if (exercise === undefined) throw new Error(`no exercise ${id}; there are ${exercises.map((e) => e.id).join(", ")}`);
  return exercise;
}
