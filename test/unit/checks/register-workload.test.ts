import assert from "node:assert/strict";
import { runRegisterWorkload } from "../../../src/checks";
import { abd } from "../../../src/protocols/consistency";

describe("checks/register-workload (lecture 6)", () => {
  it("is deterministic: the same seed gives the same trace", () => {
    const a = runRegisterWorkload({ seed: "same", protocol: abd(), crashes: 1 });
    const b = runRegisterWorkload({ seed: "same", protocol: abd(), crashes: 1 });
    assert.equal(a.trace.hash(), b.trace.hash());
    assert.deepEqual(a.crashed, b.crashed);
  });

  it("each client runs its operations one at a time, all of them when nothing crashes", () => {
    const run = runRegisterWorkload({ seed: "count", protocol: abd(), operationsPerClient: 4 });
    assert.equal(run.history.length, 20);
    assert.ok(run.history.every((op) => op.ret !== null));
    for (const client of ["A", "B", "C", "D", "E"]) {
      const ops = run.history.filter((op) => op.client === client).sort((x, y) => x.call - y.call);
      for (let i = 1; i < ops.length; i++) assert.ok(ops[i].call > ops[i - 1].ret!);
    }
  });

  it("a crashed client's operation in progress has no response", () => {
    const run = runRegisterWorkload({ seed: "crash", protocol: abd(), crashes: 2 });
    assert.equal(run.crashed.length, 2);
    assert.ok(run.history.filter((op) => op.ret === null).every((op) => run.crashed.includes(String(op.client))));
  });

  it("rejects bad options, naming them", () => {
    assert.throws(() => runRegisterWorkload({ seed: "x", protocol: abd(), clients: ["Z"] }), /client Z is not one of the nodes/);
    assert.throws(() => runRegisterWorkload({ seed: "x", protocol: abd(), operationsPerClient: 0 }), /operationsPerClient must be an integer/);
  });

});
