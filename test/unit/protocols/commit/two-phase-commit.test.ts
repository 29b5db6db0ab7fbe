import assert from "node:assert/strict";
import { checkAtomicCommit, commitTimeline } from "../../../../src/checks";
import { faultTolerantTwoPhaseCommit, twoPhaseCommit } from "../../../../src/protocols/commit";
import { singleLeaderTotalOrderStack } from "../../../../src/protocols/broadcast";
import { stack } from "../../../../src/protocols/stack";
import { latency, Simulation } from "../../../../src/sim";

const PARTICIPANTS = ["A", "B", "C"];

function run2pc(seed: string, options: { cannotCommit?: Record<string, string[]>; crashCoordinatorAtMs?: number; recoverAtMs?: number } = {}) {
  const sim = new Simulation({
    seed,
    nodes: ["C0", ...PARTICIPANTS],
    protocol: twoPhaseCommit({ coordinator: "C0", cannotCommit: options.cannotCommit }),
    network: { model: "reliable", latency: latency.uniform(5, 15) },
  });
  sim.request("C0", { type: "commit", T: "T1", R: PARTICIPANTS }, 0);
  if (options.crashCoordinatorAtMs !== undefined) sim.crash("C0", options.crashCoordinatorAtMs, options.recoverAtMs === undefined ? {} : { recoverAtMs: options.recoverAtMs });
  return sim.run({ untilMs: 1000 }).trace;
}

describe("two-phase commit (lecture 6)", () => {
  it("2PC: all participants vote yes, so everyone commits", () => {
    for (const seed of ["a", "b", "c", "d"]) {
      const trace = run2pc(seed);
      assert.ok(checkAtomicCommit(trace).ok);
      const [txn] = commitTimeline(trace);
      assert.deepEqual(txn.participants, PARTICIPANTS);
      assert.deepEqual(txn.nodes.map((n) => [n.node, n.outcome]), [["A", "commit"], ["B", "commit"], ["C", "commit"], ["C0", "commit"]]);
    }
  });

  it("2PC: one no vote aborts the transaction everywhere", () => {
    const trace = run2pc("no-vote", { cannotCommit: { B: ["T1"] } });
    assert.ok(checkAtomicCommit(trace).ok);
    const [txn] = commitTimeline(trace);
    assert.ok(txn.nodes.every((n) => n.outcome === "abort"), JSON.stringify(txn.nodes));
    assert.equal(txn.nodes.find((n) => n.node === "B")!.vote, false);
  });

  it("The coordinator in 2PC: a crash after prepare blocks the participants that voted yes", () => {
    // Prepares leave at 0 ms and arrive by 15 ms; votes come back by 30 ms: crash in between.
    const trace = run2pc("blocked", { crashCoordinatorAtMs: 8 });
    assert.ok(checkAtomicCommit(trace).ok);
    const [txn] = commitTimeline(trace);
    const yes = txn.nodes.filter((n) => n.vote === true);
    assert.ok(yes.length > 0, "some participant voted before the crash");
    for (const n of yes) assert.equal(n.blocked, true, `${n.node} voted yes and must wait`);
  });

  it("The coordinator in 2PC: on recovery with no decision on disk it aborts, unblocking everyone", () => {
    const trace = run2pc("recover", { crashCoordinatorAtMs: 8, recoverAtMs: 200 });
    assert.ok(checkAtomicCommit(trace).ok);
    const [txn] = commitTimeline(trace);
    for (const n of txn.nodes) {
      assert.equal(n.outcome, "abort", `${n.node}`);
      assert.equal(n.blocked, false);
      assert.ok(n.decidedAtMs! >= 200);
    }
  });

  it("rejects bad input with an error naming it", () => {
    assert.throws(() => twoPhaseCommit({ coordinator: "" }), /coordinator must be a node id/);
    const sim = new Simulation({ seed: "x", nodes: ["C0", "A"], protocol: twoPhaseCommit({ coordinator: "C0" }) });
    sim.request("A", { type: "commit", T: "T1", R: ["A"] }, 0);
    assert.throws(() => sim.run({ untilMs: 10 }), /must go to the coordinator C0, not A/);
  });
});

/**
 * Latency 5-15 ms: Prepare takes one hop, a vote through the single-leader total order broadcast
 * at least three, so every participant has replicas[T] before it delivers a vote, as the slide assumes.
 */
function runFt(seed: string, options: { cannotCommit?: Record<string, string[]>; crash?: { node: string; atMs: number }; links?: { from: string; to: string; latency: unknown }[] } = {}) {
  const nodes = ["L", ...PARTICIPANTS];
  const sim = new Simulation({
    seed,
    nodes,
    protocol: stack(faultTolerantTwoPhaseCommit({ cannotCommit: options.cannotCommit, heartbeatMs: 20, timeoutMs: 100 }), singleLeaderTotalOrderStack("L")),
    network: { model: "reliable", latency: latency.uniform(5, 15), ...(options.links ? { links: options.links as never } : {}) },
  });
  sim.request("L", { type: "commit", T: "T1", R: PARTICIPANTS }, 0);
  if (options.crash) sim.crash(options.crash.node, options.crash.atMs);
  return sim.run({ untilMs: 1000 }).trace;
}

describe("fault-tolerant two-phase commit (lecture 6)", () => {
  it("Fault-tolerant 2PC (2/2): all yes votes delivered, every participant commits", () => {
    for (const seed of ["a", "b", "c"]) {
      const trace = runFt(seed);
      assert.ok(checkAtomicCommit(trace).ok, JSON.stringify(checkAtomicCommit(trace).violations));
      const [txn] = commitTimeline(trace);
      for (const p of PARTICIPANTS) assert.equal(txn.nodes.find((n) => n.node === p)!.outcome, "commit", `seed ${seed}, ${p}`);
    }
  });

  it("Fault-tolerant 2PC (1/2): a participant crashing before it votes is suspected, and the others abort", () => {
    const trace = runFt("crash", { crash: { node: "C", atMs: 1 } });
    assert.ok(checkAtomicCommit(trace).ok);
    const [txn] = commitTimeline(trace);
    for (const p of ["A", "B"]) assert.equal(txn.nodes.find((n) => n.node === p)!.outcome, "abort", p);
    assert.equal(txn.nodes.find((n) => n.node === "C")!.vote, null);
  });

  it("Fault-tolerant 2PC: a no vote aborts everywhere", () => {
    const trace = runFt("no", { cannotCommit: { A: ["T1"] } });
    assert.ok(checkAtomicCommit(trace).ok);
    for (const n of commitTimeline(trace)[0].nodes.filter((n) => PARTICIPANTS.includes(n.node))) assert.equal(n.outcome, "abort");
  });

  it("Fault-tolerant 2PC (2/2), as written: votes delivered before a node's Prepare are ignored there, so it never decides", () => {
    const trace = runFt("slow-prepare", { links: [{ from: "L", to: "C", latency: latency.constant(200) }] });
    assert.ok(checkAtomicCommit(trace).ok);
    const nodes = commitTimeline(trace)[0].nodes;
    for (const p of ["A", "B"]) assert.equal(nodes.find((n) => n.node === p)!.outcome, "commit", p);
    const c = nodes.find((n) => n.node === "C")!;
    assert.equal(c.vote, true);
    assert.equal(c.outcome, null, "C delivered A's and B's votes before its Prepare and ignored them");
  });
});
