import assert from "node:assert/strict";
import { explore, raftSafety, type ExploreState, type NodeState } from "../../../src/explore";
import { raft } from "../../../src/protocols/raft";

// Exhaustive within bounds: 3 nodes, one election timeout, one crash, every order of every message.
// The heartbeat period is set beyond the election timeouts so that, in each node's timer order, an
// election comes first; one timer firing in all bounds the search (each firing starts a new term).
describe("Raft under the explorer (3 nodes, bounded crashes): every reachable state is safe", () => {
  it("from the start: any node's election timeout, a broadcast request, one crash (crash-stop)", () => {
    const result = explore({
      protocol: raft({ heartbeatMs: 100_000 }), nodes: ["A", "B", "C"], seed: "raft-explore",
      requests: [{ node: "A", request: { type: "broadcast", m: "a" } }], issueRequests: "start",
      timers: { fire: "when-idle", maxFirings: 1 },
      failures: { model: "crash-stop", maxCrashes: 1 },
      invariants: [raftSafety()],
      bounds: { maxDepth: 60, maxStates: 100_000 },
    });
    assert.equal(result.verdict, "exhausted", result.summary);
    assert.ok(result.states > 10_000, result.summary);
  });

  it("crash-recovery (one crash, one recovery from stable storage): every state to depth 9 is safe", function () {
    this.timeout(120_000);
    const result = explore({
      protocol: raft({ heartbeatMs: 100_000 }), nodes: ["A", "B", "C"], seed: "raft-explore",
      requests: [{ node: "A", request: { type: "broadcast", m: "a" } }], issueRequests: "start",
      timers: { fire: "when-idle", maxFirings: 1 },
      failures: { model: "crash-recovery", maxCrashes: 1, maxRecoveries: 1 },
      invariants: [raftSafety()],
      bounds: { maxDepth: 9, maxStates: 200_000 },
    });
    assert.equal(result.verdict, "bounded", result.summary);
    assert.equal(result.bound, "maxDepth", result.summary);
    assert.ok(result.states > 50_000, result.summary);
  });

  describe("the invariant on hand-made states", () => {
    const node = (state: unknown, deliveries: unknown[] = [], storage: [string, unknown][] = []): NodeState => ({
      up: state !== undefined, state, storage: new Map(storage), timers: [], nextTimerId: 1, deliveries: deliveries.map((value) => ({ value, from: "A" })),
    });
    const world = (nodes: Record<string, NodeState>): ExploreState => ({
      nodes, inFlight: [], issued: {}, used: { losses: 0, duplicates: 0, crashes: 0, recoveries: 0, firings: 0 },
    });
    const raftState = (currentTerm: number, currentRole: string, log: [string, number][], commitLength = 0) =>
      ({ currentTerm, currentRole, votedFor: null, log: log.map(([msg, term]) => ({ msg, term })), commitLength });

    it("two leaders of one term break election safety", () => {
      const verdict = raftSafety().holds(world({ A: node(raftState(2, "leader", [])), B: node(raftState(2, "leader", [])), C: node(raftState(2, "follower", [])) }));
      assert.equal(verdict, "election safety: Nodes A and B were both leader in term 2.");
    });

    it("a crashed node counts with its stored log: a leader lacking what it committed breaks leader completeness", () => {
      const crashed = node(undefined, ["x"], [["currentTerm", 2], ["log", [{ msg: "x", term: 2 }]], ["commitLength", 1]]);
      const verdict = raftSafety().holds(world({ A: crashed, B: node(raftState(3, "leader", [["y", 3]])), C: node(raftState(3, "follower", [])) }));
      assert.match(String(verdict), /^leader completeness: Node B, leader in term 3, lacks \("x", term 2\) at index 0/);
    });

    it("deliveries that disagree break the total order", () => {
      const verdict = raftSafety().holds(world({ A: node(raftState(1, "follower", []), ["m1", "m2"]), B: node(raftState(1, "follower", []), ["m2"]) }));
      assert.equal(verdict, 'total order: node B delivered "m2" as its message 1, another node delivered "m1"');
    });
  });
});
