/**
 * The reference is out of reach (issue 10, item 1): an exercise whose answer the library needs keeps
 * it in solutions/ only, and the library file is a re-export of it. A submission that re-exports the
 * library's copy gets nothing: solutions/ is not in the sandbox, so the import fails and every test
 * of the exercise fails with that reason. Fixtures: test/hostile-answers/.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { gradeSubmission } from "../../../src/grading/grade";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { defaultLimits } from "../../../src/grading/sandbox/executor";

const exercises = loadExercises({ hidden: true });
// Generous limits: this test is about scores, and a busy CI machine is slow (hostile.test.ts tests the limits).
const slow = { limits: { ...defaultLimits, callTimeMs: 20_000 }, testTimeLimitMs: 120_000, overallTimeMs: 600_000 };

/** The exercises whose library copy is a re-export of solutions/, and the library file re-exported. */
const reexported: { [id: string]: string } = {
  "1.1": "src/protocols/links/framing",
  "2.1": "src/protocols/links/fifo-link",
  "2.2": "src/protocols/links/fifo-link-recovery",
  "2.3": "src/protocols/failure-detectors/eventually-perfect",
  "1.2": "src/protocols/rpc/payment-dedup",
  "3.1": "src/protocols/clocks/ntp-discipline",
  "4.2": "src/protocols/clocks/lamport-clock",
  "4.3": "src/protocols/clocks/vector-clock",
};

describe("grading: a submission re-exporting the library's copy of an answer earns nothing", function () {
  this.timeout(300_000);

  it("1.1, 1.2, 2.1, 2.2, 2.3, 3.1, 4.2 and 4.3 as `export * from \"../src/...\"`: 0 points, each test failing on the missing solution", async () => {
    const submission = path.join(kitRoot, "test", "hostile-answers", "reexports-library");
    const result = await gradeSubmission(submission, { exercises, only: Object.keys(reexported), ...slow });
    assert.deepEqual(result.exercises.map((e) => e.exercise.id).sort(), Object.keys(reexported).sort());
    for (const e of result.exercises) {
      const points = e.results.reduce((sum, r) => sum + r.points, 0);
      assert.equal(points, 0, `${e.exercise.id} (re-exports ${reexported[e.exercise.id]}): ${JSON.stringify(e.results.map((r) => [r.test, r.status, r.message.slice(0, 200)]))}`);
      assert.ok(e.results.length > 0);
      for (const r of e.results) assert.match(r.message, /solutions\/|Cannot find module|not found|ERR_/i, `${e.exercise.id}/${r.test}: ${r.message}`);
    }
    // The same files with the reference in place of the re-export score everything: the 0 is the import's.
    const reference = await gradeSubmission(path.join(kitRoot, "solutions"), { exercises, only: Object.keys(reexported), ...slow });
    assert.equal(reference.points, reference.maxPoints);
  });

  it("3.2 through the checkers' happens-before (shipped: the checkers need it): 0 points, the library reads one global order and the exercise gives per-node logs", async () => {
    const submission = path.join(kitRoot, "test", "hostile-answers", "reexports-library");
    const result = await gradeSubmission(submission, { exercises, only: ["3.2"], ...slow });
    const results = result.exercises[0]!.results;
    assert.ok(results.length > 0);
    assert.equal(result.points, 0, JSON.stringify(results.map((r) => [r.test, r.status, r.message.slice(0, 200)])));
    for (const r of results) assert.match(r.message, /comes before \(or without\) its send/, `${r.test}: ${r.message}`);
  });

  it("1.1-2.3 answered with what the library does hold (go-back-N, the fixed-timeout detector, the spec's byte builder): 0 points", async () => {
    // test/hostile-answers/library-variants: the kit's own reliable FIFO link as 2.1 and 2.2, its
    // fixed-timeout heartbeat detector (timeout tuned to 2 s) as 2.3, and 1.1's encoder borrowed from
    // the graded spec. None is the answer the contract asks for, and none earns a point.
    const ids = ["1.1", "2.1", "2.2", "2.3"];
    const result = await gradeSubmission(path.join(kitRoot, "test", "hostile-answers", "library-variants"), { exercises, only: ids, ...slow });
    assert.deepEqual(result.exercises.map((e) => e.exercise.id).sort(), ids);
    for (const e of result.exercises) {
      const points = e.results.reduce((sum, r) => sum + r.points, 0);
      assert.equal(points, 0, `${e.exercise.id}: ${JSON.stringify(e.results.map((r) => [r.test, r.status, r.points, r.message.slice(0, 200)]))}`);
    }
  });
});
