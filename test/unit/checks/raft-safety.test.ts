import assert from "node:assert/strict";
import { checkRaftTrace, RaftSafetyMonitor, watchRaft, withRaftSnapshots, type RaftView } from "../../../src/checks";
import { raft } from "../../../src/protocols/raft";
import { simulate, type Trace } from "../../../src/sim";
import { figure8Scenario, raftCommittingByCount } from "../protocols/raft/textbook";

const view = (term: number, role: string, log: [number, string][], commitLength = 0): RaftView => ({ term, role, log, commitLength });

describe("Raft safety checkers (Raft paper, Figure 3)", () => {
  it("election safety: two leaders in one term, named with the term and events", () => {
    const m = new RaftSafetyMonitor();
    assert.deepEqual(m.observe("A", view(2, "leader", []), 10), []);
    assert.deepEqual(m.observe("B", view(3, "leader", []), 11), []); // another term: fine
    const [v] = m.observe("C", view(2, "leader", []), 12);
    assert.equal(v!.property, "election safety");
    assert.equal(v!.message, "Nodes A and C were both leader in term 2.");
    assert.deepEqual(v!.events, [10, 12]);
  });

  it("log matching: same index and term, different earlier records", () => {
    const m = new RaftSafetyMonitor();
    m.observe("A", view(3, "follower", [[1, '"a"'], [3, '"c"']]), 1);
    assert.deepEqual(m.observe("B", view(3, "follower", [[1, '"a"'], [2, '"b"']]), 2), []); // differ at the last index only: fine
    const [v] = m.observe("C", view(3, "follower", [[1, '"z"'], [3, '"c"']]), 3);
    assert.equal(v!.property, "log matching");
    assert.match(v!.message, /Nodes C and A both hold a record of term 3 at index 1, but differ at index 0/);
  });

  it("state machine safety: two nodes commit different records at one index; a committed record changes", () => {
    const m = new RaftSafetyMonitor();
    m.observe("A", view(2, "leader", [[1, '"a"'], [2, '"b"']], 2), 1);
    const [v] = m.observe("B", view(2, "follower", [[1, '"a"'], [2, '"x"']], 2), 2);
    assert.equal(v!.property, "state machine safety");
    assert.equal(v!.message, 'Node A committed ("b", term 2) at index 1, but node B committed ("x", term 2) there.');
    const [w] = m.observe("A", view(2, "leader", [[1, '"a"'], [3, '"y"']], 2), 3);
    assert.equal(w!.property, "state machine safety (a committed record changed)");
  });

  it("leader completeness: a leader of a later term lacks a committed record", () => {
    const m = new RaftSafetyMonitor();
    m.observe("A", view(2, "leader", [[2, '"a"']], 1), 1);
    assert.deepEqual(m.observe("B", view(2, "follower", []), 2), []);
    const found = m.observe("B", view(3, "leader", []), 3);
    const v = found.find((x) => x.property === "leader completeness")!;
    assert.equal(v.message, 'Node B, leader in term 3, lacks ("a", term 2) at index 0, committed in term 2 by node A (its log is shorter).');
    assert.deepEqual(v.events, [1, 3]);
  });

  it("a crashed leader no longer counts as a leader", () => {
    const m = new RaftSafetyMonitor();
    m.observe("A", view(3, "leader", [[1, '"a"']]), 1);
    m.crashed("A");
    assert.deepEqual(m.observe("B", view(2, "leader", [[2, '"b"']], 1), 2), []);
  });

  it("checkRaftTrace needs the snapshots: an unwrapped run is an error saying so", () => {
    const { trace } = simulate({ seed: "plain", nodes: ["A", "B", "C"], untilMs: 400 }, raft());
    assert.throws(() => checkRaftTrace(trace), /withRaftSnapshots/);
  });

  describe("Raft paper §5.4.2, Figure 8: committing an earlier term's record by counting replicas", () => {
    let buggy: Trace;
    before(() => {
      buggy = simulate(figure8Scenario(), withRaftSnapshots(raftCommittingByCount())).trace;
    });

    it("the checker over the finished trace names state machine safety at index 1, S1's x2@2 against x2'@3", () => {
      const result = checkRaftTrace(buggy);
      assert.equal(result.ok, false);
      const sms = result.violations.filter((v) => v.property.startsWith("state machine safety"));
      assert.ok(sms.length > 0, result.violations.map((v) => v.message).join("\n"));
      assert.ok(sms.some((v) => /index 1/.test(v.message) && v.message.includes('"x2@2"') && v.message.includes(`"x2'@3"`)), sms.map((v) => v.message).join("\n"));
      assert.ok(result.violations.some((v) => v.property.startsWith("FIFO-total order")), "the deliveries disagree too");
    });

    it("the step-by-step monitor stops the run at the first step that breaks a property: S5 leads without S1's committed x2@2", () => {
      assert.throws(
        () => simulate(figure8Scenario(), raftCommittingByCount(), { prepare: (sim) => void watchRaft(sim, { stopOnViolation: true }) }),
        /^Error: Raft leader completeness violated at \d+(\.\d+)? ms \(seed=figure-8\): Node S5, leader in term \d+, lacks \("x2@2", term 2\) at index 1, committed in term 2 by node S1/,
      );
    });

    it("the slides' Raft passes both on the same scenario", () => {
      assert.ok(checkRaftTrace(simulate(figure8Scenario(), withRaftSnapshots(raft())).trace).ok);
      let monitor: RaftSafetyMonitor | undefined;
      simulate(figure8Scenario(), raft(), { prepare: (sim) => void (monitor = watchRaft(sim)) });
      assert.deepEqual(monitor!.violations, []);
    });
  });
});
