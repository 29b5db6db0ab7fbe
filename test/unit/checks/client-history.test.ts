import assert from "node:assert/strict";
import { historyFromTrace, keyedCasRegister, plainHistory, registerOperation, TraceBuilder } from "../../../src/checks";
import { checkLinearizable, UNKNOWN } from "../../../src/checks/linearizability";

describe("checks/client-history (lecture 6, 'From the client's point of view')", () => {
  it("pairs each request with its reply by opId, at the requesting node", () => {
    const t = new TraceBuilder(["A", "B"]);
    t.request("A", { type: "set", opId: "a1", key: "x", value: 1 }); // t = 0
    t.request("B", { type: "get", opId: "b1", key: "x" }); // 1
    t.deliver("B", { type: "ok", opId: "b1", output: 1 }); // 2
    t.deliver("A", { type: "ok", opId: "a1", output: null }); // 3
    const history = historyFromTrace(t);
    assert.deepEqual(plainHistory(history), [
      { client: "A", input: { op: "write", key: "x", value: 1 }, output: null, call: 0, ret: 3 },
      { client: "B", input: { op: "read", key: "x" }, output: 1, call: 1, ret: 2 },
    ]);
    assert.deepEqual(history[1].events, [1, 2]);
    assert.ok(checkLinearizable(history, keyedCasRegister()).ok);
  });

  it("an operation whose node crashes has an unknown output and no response", () => {
    const t = new TraceBuilder(["A"]);
    t.request("A", { type: "CAS", opId: "a1", x: "x", old: null, new: 2 });
    t.crash("A");
    const [op] = historyFromTrace(t);
    assert.equal(op.output, UNKNOWN);
    assert.equal(op.ret, null);
    assert.deepEqual(op.input, { op: "cas", key: "x", from: null, to: 2 });
  });

  it("the slide 'Not linearizable, despite quorum reads/writes' as a trace: the checker names the second get", () => {
    const t = new TraceBuilder(["C1", "C2", "C3"]);
    t.request("C1", { type: "set", opId: "s", key: "x", value: "v1" }); // 0
    t.request("C2", { type: "get", opId: "g1", key: "x" }); // 1
    t.deliver("C2", { type: "ok", opId: "g1", output: "v1" }); // 2
    t.request("C3", { type: "get", opId: "g2", key: "x" }); // 3
    t.deliver("C3", { type: "ok", opId: "g2", output: "v0" }); // 4
    t.deliver("C1", { type: "ok", opId: "s", output: null }); // 5
    const history = historyFromTrace(t);
    const result = checkLinearizable(history, keyedCasRegister("v0"));
    assert.equal(result.ok, false);
    assert.equal(history[result.counterexample!.culprit].client, "C3");
  });

  it("registerOperation: maps get/set/CAS and skips the rest; rejects values the register model cannot hold", () => {
    assert.equal(registerOperation({ type: "commit", T: "T1" }), undefined);
    assert.deepEqual(registerOperation({ type: "get", x: "y" }), { op: "read", key: "y" });
    assert.throws(() => registerOperation({ type: "set", key: "x", value: { a: 1 } }), /a set's value must be a number, a string or null, got \{"a":1\}/);
  });

  it("a request twice under one opId at one node is an error naming it", () => {
    const t = new TraceBuilder(["A"]);
    t.request("A", { type: "get", opId: "a1", key: "x" });
    t.request("A", { type: "get", opId: "a1", key: "x" });
    assert.throws(() => historyFromTrace(t), /operation a1 requested twice at A/);
  });
});
