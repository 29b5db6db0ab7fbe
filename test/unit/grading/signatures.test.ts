import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { exportedSignatures, signatureDifferences } from "../../../src/grading/signatures";

describe("grading: exercise stubs and solutions export the same signatures", function () {
  this.timeout(60_000);
  const exercises = loadExercises({ hidden: false });

  it("every exercise has a stub and a solution with identical exports", () => {
    const files = exercises.flatMap((e) => [path.join(kitRoot, "exercises", `${e.module}.ts`), path.join(kitRoot, "solutions", `${e.module}.ts`)]);
    const signatures = exportedSignatures(files);
    for (const exercise of exercises) {
      const stub = signatures.get(path.join(kitRoot, "exercises", `${exercise.module}.ts`));
      const solution = signatures.get(path.join(kitRoot, "solutions", `${exercise.module}.ts`));
      assert.ok(stub !== undefined && solution !== undefined);
      assert.ok(solution.size > 0, `${exercise.module}: the solution exports nothing`);
      assert.deepEqual(signatureDifferences(solution, stub), [], `exercise ${exercise.id}`);
    }
  });

  it("a changed parameter type, a missing export and an extra interface member are reported", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sig-"));
    try {
      const solution = path.join(kitRoot, "solutions", "lamport-clock.ts");
      const changed = path.join(dir, "lamport-clock.ts");
      fs.writeFileSync(
        changed,
        fs
          .readFileSync(solution, "utf8")
          .replace("receive(clock: LamportClock, tPrime: number)", "receive(clock: LamportClock, tPrime: string)")
          .replace("export function tick", "function tick")
          .replace("  t: number;", "  t: number;\n  node: string;"),
      );
      const signatures = exportedSignatures([solution, changed]);
      const differences = signatureDifferences(signatures.get(solution)!, signatures.get(changed)!);
      assert.equal(differences.length, 3, differences.join("\n"));
      assert.match(differences.join("\n"), /receive differs/);
      assert.match(differences.join("\n"), /tick is exported by the solution but not by the stub/);
      assert.match(differences.join("\n"), /LamportClock differs/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
