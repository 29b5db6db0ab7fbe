import assert from "node:assert/strict";
import { registerHistory } from "../../../src/checks";
import { checkLinearizable, register } from "../../../src/checks/linearizability";
import { commitTimeline, TraceBuilder } from "../../../src/checks";
import { commitFigure } from "../../../src/viz/commit";
import { historyFigure, linearizationPoints } from "../../../src/viz/history";

// The slide "Operations overlapping in time": client 2's get overlaps client 1's set.
const overlapping = registerHistory([
  ["client 1", "set", [1], 0, 10],
  ["client 2", "get", [], 5, 15, 1],
  ["client 3", "get", [], 20, 25, 1],
]);
// The slide "Not linearizable, despite quorum reads/writes".
const notLinearizable = registerHistory([
  ["client 1", "set", ["v1"], 0, 30],
  ["client 2", "get", [], 5, 10, "v1"],
  ["client 3", "get", [], 15, 20, "v0"],
]);

describe("viz/history (lecture 6, 'Linearizability')", () => {
  it("registerHistory: rows to operations, with errors naming the row", () => {
    assert.deepEqual(overlapping[0], { client: "client 1", input: { op: "write", value: 1 }, output: null, call: 0, ret: 10 });
    assert.throws(() => registerHistory([["c", "cas", [1], 0, 1, true]]), /row 0: cas takes 2 arguments, got 1/);
    assert.throws(() => registerHistory([["c", "inc", [], 0, 1]]), /row 0: unknown operation "inc"/);
    assert.throws(() => registerHistory([["c", "read", [], 0, 1]]), /row 0: a read needs its result/);
  });

  it("linearization points: inside each interval, in the order given", () => {
    const points = linearizationPoints(overlapping, [0, 1, 2], 0.1);
    assert.deepEqual([...points.values()], [0, 5, 20]);
    const reversed = linearizationPoints(registerHistory([["a", "set", [1], 0, 10], ["b", "get", [], 0, 10, null]]), [1, 0], 1);
    assert.deepEqual([...reversed.entries()], [[1, 0], [0, 1]]);
  });

  it("a linearizable history: one interval per operation, its label, and a point per operation", () => {
    const result = checkLinearizable(overlapping, register(0));
    assert.ok(result.ok);
    const figure = historyFigure(overlapping, register(0), { result });
    const points = figure.data.find((d) => d.name === "linearization point")!;
    assert.equal((points.x as number[]).length, 3);
    const labels = (figure.layout!.annotations as { text: string }[]).map((a) => a.text);
    assert.deepEqual(labels, ["write(1)", "read -> 1", "read -> 1"]);
    assert.deepEqual((figure.layout!.yaxis as { ticktext: string[] }).ticktext, ["client 1", "client 2", "client 3"]);
  });

  it("a history that is not linearizable: the culprit in red, the prefix in green", () => {
    const result = checkLinearizable(notLinearizable, register("v0"));
    assert.equal(result.ok, false);
    const figure = historyFigure(notLinearizable, register("v0"), { result });
    const culprit = figure.data.find((d) => d.name === "cannot be linearized")!;
    assert.deepEqual(culprit.x, [15, 20]);
    assert.ok(figure.data.some((d) => d.name === "longest linearizable prefix"));
  });

  it("an operation with no response runs dashed to the right edge", () => {
    const h = registerHistory([["a", "set", [1], 0, null], ["b", "get", [], 2, 4, 1]]);
    const figure = historyFigure(h, register(0));
    assert.equal((figure.data[0].line as { dash: string }).dash, "dash");
  });

  it("rejects an empty history", () => {
    assert.throws(() => historyFigure([], register()), /empty/);
  });
});

describe("viz/commit (lecture 6, 'The coordinator in two-phase commit')", () => {
  it("draws a yes vote with no decision as blocked, up to the end of the run", () => {
    const t = new TraceBuilder(["C0", "A", "B"]);
    t.request("C0", { type: "commit", T: "T1", R: ["A", "B"] });
    t.deliver("A", { type: "voted", T: "T1", ok: true });
    t.deliver("B", { type: "voted", T: "T1", ok: true });
    t.local("A");
    const figure = commitFigure(commitTimeline(t)[0], { marks: [{ atMs: 2, label: "C0 crashes" }] });
    const blocked = figure.data.filter((d) => d.name === "voted yes, blocked (no decision)");
    assert.equal(blocked.length, 2);
    assert.deepEqual(blocked[0].x, [1, 3]);
    assert.equal((figure.layout!.annotations as { text: string }[])[0].text, "C0 crashes");
  });
});
