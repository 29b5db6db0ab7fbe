import assert from "node:assert/strict";
import { checkAtomicCommit, commitTimeline, TraceBuilder } from "../../../src/checks";

function txn(votes: Record<string, boolean | null>, decisions: Record<string, "commit" | "abort" | null>): TraceBuilder {
  const nodes = Object.keys(votes);
  const t = new TraceBuilder(["C0", ...nodes]);
  t.request("C0", { type: "commit", T: "T1", R: nodes });
  for (const [node, ok] of Object.entries(votes)) if (ok !== null) t.deliver(node, { type: "voted", T: "T1", ok });
  for (const [node, outcome] of Object.entries(decisions)) if (outcome !== null) t.deliver(node, { type: "decide", T: "T1", outcome });
  return t;
}

describe("checks/atomic-commit (lecture 6, 'Distributed transactions')", () => {
  it("all yes, all commit: atomic", () => {
    assert.ok(checkAtomicCommit(txn({ A: true, B: true }, { A: "commit", B: "commit" })).ok);
  });

  it("agreement: names the nodes that committed and those that aborted", () => {
    const result = checkAtomicCommit(txn({ A: true, B: true, C: true }, { A: "commit", B: "abort", C: "commit" }));
    assert.equal(result.ok, false);
    assert.equal(result.violations[0].property, "agreement");
    assert.equal(result.violations[0].message, "T1: A, C committed but B aborted");
  });

  it("validity: a commit with a missing vote names the node that never voted", () => {
    const result = checkAtomicCommit(txn({ A: true, B: null }, { A: "commit", B: "commit" }));
    assert.equal(result.ok, false);
    assert.deepEqual(result.violations.map((v) => v.property), ["validity"]);
    assert.match(result.violations[0].message, /committed at A, B although B never voted/);
  });

  it("validity: a commit despite a no vote", () => {
    const result = checkAtomicCommit(txn({ A: false, B: true }, { A: "commit", B: "commit" }));
    assert.match(result.violations[0].message, /A voted no/);
  });

  it("integrity: a node deciding twice", () => {
    const t = txn({ A: true }, { A: "commit" });
    t.deliver("A", { type: "decide", T: "T1", outcome: "abort" });
    const result = checkAtomicCommit(t);
    assert.deepEqual(result.violations.map((v) => v.property), ["integrity"]);
  });

  it("commitTimeline: a yes vote with no decision is blocked; an undecided no vote is not", () => {
    const [timeline] = commitTimeline(txn({ A: true, B: false }, { A: null, B: "abort" }));
    assert.deepEqual(timeline.nodes.map((n) => [n.node, n.vote, n.outcome, n.blocked]), [["A", true, null, true], ["B", false, "abort", false]]);
    assert.equal(timeline.nodes[0].votedAtMs, 1);
  });

  it("participants given explicitly override the request's", () => {
    const result = checkAtomicCommit(txn({ A: true }, { A: "commit" }), { T1: ["A", "B"] });
    assert.match(result.violations[0].message, /B never voted/);
  });
});
