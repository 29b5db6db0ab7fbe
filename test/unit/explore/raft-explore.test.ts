import assert from "node:assert/strict";
import { explore, raftSafety } from "../../../src/explore";
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
});
