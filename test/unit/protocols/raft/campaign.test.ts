import assert from "node:assert/strict";
import { raftCampaignRun, raftCampaignScenario } from "../../../../src/checks/raft-campaign";
import { raft } from "../../../../src/protocols/raft";
import { withRaftSnapshots } from "../../../../src/checks";
import { simulate } from "../../../../src/sim";

// The small version of `npm run bench`'s campaign (bench/raft.bench.ts: 1000 seeds).
describe("Raft campaign (issue 14), 30 seeds: 5 nodes, crashes and recoveries, partitions, loss, duplication, reordering", () => {
  const runs = Array.from({ length: 30 }, (_, k) => raftCampaignRun(`raft-campaign-${k}`, raft()));

  it("no safety violation at any step of any run (election safety, log matching, leader completeness, state machine safety, FIFO-total order, no duplication)", () => {
    for (const r of runs) assert.deepEqual(r.violations, [], `seed=${r.seed}: ${r.violations[0]?.message}`);
  });

  it("the runs have faults in them: crashes (scheduled, of the leader, just after a vote), partitions, elections in several terms", () => {
    assert.ok(runs.reduce((s, r) => s + r.crashes, 0) >= 60);
    assert.ok(runs.reduce((s, r) => s + r.partitions, 0) >= 30);
    assert.ok(runs.reduce((s, r) => s + r.leaderCrashes, 0) >= 50);
    assert.ok(runs.reduce((s, r) => s + r.voterCrashes, 0) >= 10);
    assert.ok(runs.every((r) => r.maxTerm >= 2));
  });

  it("after the faults stop, every run has a leader all nodes follow, and every broadcast delivered everywhere, within 5 s", () => {
    for (const r of runs) {
      assert.notEqual(r.leaderAfterMs, undefined, `seed=${r.seed}: no leader followed by all`);
      assert.notEqual(r.committedAfterMs, undefined, `seed=${r.seed}: a broadcast is missing somewhere`);
      assert.ok(r.broadcasts > 0, `seed=${r.seed}`);
    }
  });

  it("the scenario is plain data, the same for the same seed; a run of it gives a byte-identical trace", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(raftCampaignScenario("s"))), raftCampaignScenario("s"));
    const hash = () => simulate(raftCampaignScenario("s"), withRaftSnapshots(raft())).trace.hash();
    assert.equal(hash(), hash());
  });
});
