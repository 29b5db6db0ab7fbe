/** The graded specs themselves, run in-process: solutions score everything, stubs nothing, bugs lose points. */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { defineExercise, fail, pass } from "../../../src/grading/define";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { inProcessExecutor, runExercise, runTest, testSeed } from "../../../src/grading/run";
import { buggyVariants, materialiseVariant } from "../../buggy/variants";

const exercises = loadExercises({ hidden: true });
const load = (dir: string, module: string): unknown => require(path.join(dir, module));

describe("grading: graded specs (in-process)", function () {
  this.timeout(60_000);

  for (const exercise of exercises) {
    describe(`Exercise ${exercise.id}`, () => {
      it("the reference solution scores every point, hidden tests included", async () => {
        const result = await runExercise(exercise, inProcessExecutor(exercise, load(path.join(kitRoot, "solutions"), exercise.module)));
        const failures = result.results.filter((r) => r.status !== "passed").map((r) => `${r.test}: ${r.message}`);
        assert.deepEqual(failures, []);
        assert.equal(result.points, result.maxPoints);
        assert.ok(result.maxPoints > 0);
      });

      it("the stub scores 0 and every test says it is not implemented yet", async () => {
        const result = await runExercise(exercise, inProcessExecutor(exercise, load(path.join(kitRoot, "exercises"), exercise.module)));
        assert.equal(result.points, 0);
        for (const r of result.results) {
          assert.equal(r.status, "not-implemented", r.test);
          assert.match(r.message, new RegExp(`Exercise ${exercise.id.replace(".", "\\.")} not implemented yet`));
        }
      });

      // Each variant is a patch against the solution (test/buggy/<id>/<variant>.patch), written out as a submission here.
      const variants = buggyVariants(exercise.id);
      it("has at least two buggy variants", () => assert.ok(variants.length >= 2, `${variants.length} in test/buggy/${exercise.id}/`));
      for (const variant of variants) {
        it(`buggy variant "${variant.name}" loses points, with a seed and a shrunk counterexample`, async () => {
          const submission = materialiseVariant(variant.exerciseId, variant.name);
          try {
            const result = await runExercise(exercise, inProcessExecutor(exercise, load(submission.exercisesDir, exercise.module)));
            assert.ok(result.points < result.maxPoints, `${variant.label} (${variant.description}) scored ${result.points}/${result.maxPoints}`);
            const failed = result.results.filter((r) => r.status === "failed");
            assert.ok(failed.length > 0);
            for (const r of failed) {
              assert.ok(r.message.length > 0 && r.counterexample !== undefined, r.test);
              if (exercise.tests.find((t) => t.name === r.test && "arbitrary" in t)) assert.ok(r.seed !== undefined, r.test);
            }
          } finally {
            submission.cleanup();
          }
        });
      }

      it(`its drivers are src/grading/specs/drivers/${exercise.module}.ts (what the sandbox loads)`, () => {
        const { drivers } = require(path.join(kitRoot, "src", "grading", "specs", "drivers", exercise.module));
        assert.equal(drivers, exercise.drivers);
      });
    });
  }

  it("a failing property is replayed exactly from the seed and path it printed", async () => {
    const exercise = exercises.find((e) => e.id === "4.2")!;
    const test = exercise.tests.find((t) => t.name === "clock condition: a -> b implies L(a) < L(b)")!;
    const submission = materialiseVariant("4.2", "receive-no-increment");
    try {
      const buggy = load(submission.exercisesDir, "lamport-clock");
      const first = await runTest(exercise, test, inProcessExecutor(exercise, buggy));
      assert.equal(first.status, "failed");
      const again = await runTest(exercise, test, inProcessExecutor(exercise, buggy), { replay: { seed: first.seed!, path: first.path } });
      assert.equal(again.status, "failed");
      assert.equal(again.counterexample, first.counterexample);
      assert.equal(again.runs, 1);
    } finally {
      submission.cleanup();
    }
  });

  it("seeds are stable per test and differ between tests", () => {
    assert.equal(testSeed(1, "4.2", "a"), testSeed(1, "4.2", "a"));
    assert.notEqual(testSeed(1, "4.2", "a"), testSeed(1, "4.2", "b"));
    assert.notEqual(testSeed(1, "4.2", "a"), testSeed(2, "4.2", "a"));
  });

  it("defineExercise rejects bad definitions", () => {
    const base = { id: "9.1", title: "t", slide: "s", module: "m", drivers: { d: () => 1 } };
    const test = { name: "x", points: 1, category: "basic", description: "d", driver: "d", inputs: [1], check: () => pass };
    assert.doesNotThrow(() => defineExercise({ ...base, tests: [test] }));
    assert.throws(() => defineExercise({ ...base, id: "nine", tests: [] }), /id must look like/);
    assert.throws(() => defineExercise({ ...base, tests: [{ ...test, driver: "nope" }] }), /unknown driver/);
    assert.throws(() => defineExercise({ ...base, tests: [test, test] }), /duplicate test name/);
    assert.throws(() => defineExercise({ ...base, tests: [{ ...test, inputs: [] }] }), /needs inputs/);
    assert.throws(() => defineExercise({ ...base, tests: [{ ...test, name: "a/b" }] }), /no "\/"/);
    assert.equal(fail("m").ok, false);
  });

  it("a check that throws on strange output fails the test instead of crashing", async () => {
    const exercise = defineExercise({
      id: "9.2", title: "t", slide: "s", module: "m", drivers: { d: () => ({ weird: true }) },
      tests: [{ name: "x", points: 1, category: "basic", description: "d", driver: "d", inputs: [1], check: (_i, o) => ((o as number[]).map((x) => x) ? pass : pass) }],
    });
    const result = await runTest(exercise, exercise.tests[0], inProcessExecutor(exercise, {}));
    assert.equal(result.status, "failed");
    assert.match(result.message, /could not be checked/);
  });
});
