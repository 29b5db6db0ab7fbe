/**
 * The graded specs under mocha, on your exercises/ (students: `npm test` in the handout).
 * GRADE_TARGET=solutions runs them on the reference solutions (kit only).
 */
import * as path from "node:path";
import { describeExercises } from "../../src/grading/mocha";
import { kitRoot, loadExercises } from "../../src/grading/registry";
import type { TestResult } from "../../src/grading/run";

const target = process.env.GRADE_TARGET || "exercises";
const results: TestResult[] = [];
describeExercises(loadExercises({ hidden: false }), {
  modulesDir: path.join(kitRoot, target),
  notImplemented: target === "solutions" ? "fail" : "pending",
  onResult: (result) => results.push(result),
});
after(() => {
  const points = results.reduce((total, r) => total + r.points, 0);
  const maxPoints = results.reduce((total, r) => total + r.maxPoints, 0);
  const todo = results.filter((r) => r.status === "not-implemented").length;
  process.stdout.write(`\n  Visible graded tests on ${target}/: ${points} / ${maxPoints} points${todo > 0 ? ` (${todo} not done yet)` : ""}\n`);
});
