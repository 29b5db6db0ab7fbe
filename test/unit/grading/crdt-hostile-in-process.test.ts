/**
 * Lecture 8's hostile submissions that share memory between replicas (test/hostile-nodes/crdt-*) do
 * cheat: with every replica in one process, as the notebook's check cells run them, they score
 * points they do not deserve. isolated-nodes.test.ts checks that the grader, with each replica in a
 * process of its own, gives them only their honest part (3 of 14, 2 of 12, and 0).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { findExercise, kitRoot, loadExercises } from "../../../src/grading/registry";
import { inProcessExecutor, runExercise } from "../../../src/grading/run";

const exercises = loadExercises({ hidden: true });

describe("grading: lecture 8's memory-sharing submissions pass only when the replicas share a process", function () {
  this.timeout(120_000);
  for (const [name, id, module, inOneProcess] of [
    ["crdt-shared-memory-state-map", "8.2", "state-map-crdt", 8],
    ["crdt-shared-memory-or-set", "8.3", "or-set", 7],
    ["crdt-global-document-text", "8.4", "text-crdt", 12],
  ] as const) {
    it(`${name} (${id}): ${inOneProcess} points in one process`, async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const student: unknown = require(path.join(kitRoot, "test", "hostile-nodes", name, "exercises", module));
      const exercise = findExercise(exercises, id);
      const result = await runExercise(exercise, inProcessExecutor(exercise, student));
      assert.equal(result.points, inOneProcess, JSON.stringify(result.results.map((r) => [r.test, r.status, r.points])));
    });
  }
});
