/**
 * The buggy variants' patches (test/buggy/<id>/<variant>.patch) and the helper that writes them out
 * as submissions (test/buggy/variants.ts). That each variant loses points is checked in
 * specs.test.ts (in-process) and sandbox.test.ts (the grader).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { applyPatch, buggyVariants, materialiseVariant, parsePatch, variantSource } from "../../buggy/variants";

const exercises = loadExercises({ hidden: false });
const solutionOf = (module: string) => fs.readFileSync(path.join(kitRoot, "solutions", `${module}.ts`), "utf8");
const patchOf = (label: string) => parsePatch(fs.readFileSync(path.join(kitRoot, "test", "buggy", `${label}.patch`), "utf8"), label);

describe("grading: buggy variants as patches against the solutions", () => {
  const variants = buggyVariants();

  it("every variant names its bug, belongs to an exercise, patches that exercise's solution and changes it", () => {
    assert.ok(variants.length >= 2 * exercises.length, `${variants.length} variants for ${exercises.length} exercises`);
    for (const variant of variants) {
      const exercise = exercises.find((e) => e.id === variant.exerciseId);
      assert.ok(exercise !== undefined, `${variant.label}: no exercise ${variant.exerciseId}`);
      assert.equal(variant.module, exercise.module, variant.label);
      assert.ok(variant.description.length > 10, variant.label);
      const patched = applyPatch(solutionOf(variant.module), patchOf(variant.label), variant.label);
      assert.notEqual(patched, solutionOf(variant.module), `${variant.label} changes nothing`);
    }
  });

  it("no whole-file copies are left: test/buggy holds patches and this helper only", () => {
    const stray: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (!entry.name.endsWith(".patch") && full !== path.join(kitRoot, "test", "buggy", "variants.ts")) stray.push(path.relative(kitRoot, full));
      }
    };
    walk(path.join(kitRoot, "test", "buggy"));
    assert.deepEqual(stray, []);
  });

  it("a patch applies by content: lines added or changed elsewhere in the solution do not break it", () => {
    for (const variant of variants) {
      const solution = solutionOf(variant.module);
      const patch = patchOf(variant.label);
      const expected = applyPatch(solution, patch, variant.label);
      // Comments added above, between and below (what other edits to a solution look like).
      const edited = `// an edit above\n// and another\n${solution.replace("\n\n", "\n\n// an edit in between\n\n")}\n// an edit below\n`;
      const patched = applyPatch(edited, patch, variant.label);
      assert.equal(patched, `// an edit above\n// and another\n${expected.replace("\n\n", "\n\n// an edit in between\n\n")}\n// an edit below\n`, variant.label);
    }
  });

  it("a context line changed next to a hunk is tolerated (fuzz), a changed line the patch removes is not", () => {
    const label = "4.2/receive-no-increment";
    const solution = solutionOf("lamport-clock");
    const patch = patchOf(label);
    const hunk = patch.hunks[0];
    const context = hunk.lines.find((line) => line.kind === " " && line.text.trim() !== "")!;
    const removed = hunk.lines.find((line) => line.kind === "-")!;
    const fuzzed = applyPatch(solution.replace(context.text, `${context.text} // reworded`), patch, label);
    assert.match(fuzzed, /Math\.max\(clock\.t, tPrime\); \/\/ BUG/);
    assert.throws(
      () => applyPatch(solution.replace(removed.text, `${removed.text} // changed`), patch, label),
      (error: Error) => {
        assert.match(error.message, /^buggy variant 4\.2\/receive-no-increment no longer applies to solutions\/lamport-clock\.ts: hunk 1 of 1/);
        assert.ok(error.message.includes(removed.text), "the error shows the lines it looked for");
        assert.match(error.message, /test\/buggy\/4\.2\/receive-no-increment\.patch/);
        return true;
      },
    );
  });

  it("a malformed patch is refused with the variant's name", () => {
    assert.throws(() => parsePatch("no header here\n", "9.9/x"), /buggy variant 9\.9\/x: no "--- solutions/);
    assert.throws(() => parsePatch("--- solutions/a.ts\n+++ exercises/a.ts\n@@ -1 +1 @@\n-a\n+b\n", "9.9/x"), /say what the bug is/);
    assert.throws(() => parsePatch("Bug: b\n--- solutions/a.ts\n+++ exercises/a.ts\n", "9.9/x"), /no hunks/);
    assert.throws(() => parsePatch(`Bug: b\n--- solutions/a.ts\n+++ exercises/a.ts\n@@ -1 +1 @@\n${"+x\n".repeat(300)}`, "9.9/x"), /more than 200/);
  });

  it("materialises a submission: exercises/<module>.ts under a comment naming the bug, loadable in-process", () => {
    const submission = materialiseVariant("4.2", "receive-no-increment");
    try {
      const file = path.join(submission.exercisesDir, "lamport-clock.ts");
      const text = fs.readFileSync(file, "utf8");
      assert.equal(text, variantSource("4.2", "receive-no-increment"));
      assert.match(text.split("\n")[0], /^\/\/ BUGGY variant 4\.2\/receive-no-increment \(test\/buggy\/4\.2\/receive-no-increment\.patch\): receive takes the max/);
      assert.deepEqual(fs.readdirSync(submission.exercisesDir), ["lamport-clock.ts"], "the sandbox reads exercises/ only: nothing else there");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const clock = require(file) as typeof import("../../../solutions/lamport-clock");
      const c = clock.createLamportClock();
      assert.equal(clock.receive(c, 5), 5, "the bug: max without + 1");
    } finally {
      submission.cleanup();
    }
    assert.ok(!fs.existsSync(submission.dir));
  });
});
