import assert from "node:assert/strict";
import * as path from "node:path";
import { exportedSignatures, signatureDifferences } from "../../../../src/grading/signatures";
import * as stub from "../../../../exercises/raft";
import { Simulation } from "../../../../src/sim";

// Exercise 7.1 is not registered in src/grading/specs yet; its stub already matches the solution.
describe("Exercise 7.1 (Raft): the stub", () => {
  it("exports what solutions/raft.ts exports, with the same declared types", function () {
    this.timeout(60_000);
    const root = path.resolve(__dirname, "../../../..");
    const files = [path.join(root, "exercises/raft.ts"), path.join(root, "solutions/raft.ts")];
    const signatures = exportedSignatures(files);
    assert.ok(signatures.get(files[1]!)!.size >= 4);
    assert.deepEqual(signatureDifferences(signatures.get(files[1]!)!, signatures.get(files[0]!)!), []);
  });

  it("says which handler is not implemented yet", () => {
    const sim = new Simulation({ seed: "stub", nodes: ["A"], protocol: stub.raft() });
    assert.throws(() => sim.run({ untilMs: 1 }), /Exercise 7\.1 not implemented yet: init/);
  });
});
