import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../src/sim";
import { quorumReplica } from "../../../src/protocols/replication/quorum-replica";
import { quorumClient } from "../../../src/protocols/replication/quorum-client";
import { quorumHistory, quorumOperations } from "../../../src/checks/quorum-operations";
import { checkStaleReads } from "../../../src/checks/stale-reads";

function twoOfThree() {
  const sim = new Simulation({ seed: "two-of-three", nodes: { client: quorumClient({ replicas: ["A", "B", "C"], r: 2, w: 2, timeoutMs: 1000 }), A: quorumReplica(), B: quorumReplica(), C: quorumReplica() },
    network: { model: "reliable", latency: latency.constant(10) } });
  sim.request("client", { type: "write", key: "x", value: "v0" }, 0);
  sim.partition({ groups: [["client", "B", "C"], ["A"]], atMs: 40, healAtMs: 100 });
  sim.request("client", { type: "write", key: "x", value: "v1" }, 50);
  sim.partition({ groups: [["client", "A", "B"], ["C"]], atMs: 110, healAtMs: 400 });
  sim.request("client", { type: "read", key: "x" }, 120);
  return sim.run({ untilMs: 300 }).trace;
}

describe("checks: quorum operations from a trace", () => {
  it("Quorum (2 out of 3): write reached B and C, read reached A and B, which answered (t0, v0) and (t1, v1)", () => {
    const ops = quorumOperations(twoOfThree(), "client");
    assert.deepEqual(ops.map((op) => [op.opId, op.kind, op.startMs, op.endMs]), [["client.0", "write", 0, 20], ["client.1", "write", 50, 70], ["client.2", "read", 120, 140]]);
    assert.deepEqual(ops[1].reached.slice().sort(), ["B", "C"]);
    assert.deepEqual(ops[2].reached.slice().sort(), ["A", "B"]);
    assert.deepEqual(ops[2].replies.A, { t: [1, "client"], v: "v0" });
    assert.deepEqual(ops[2].replies.B, { t: [2, "client"], v: "v1" });
    assert.deepEqual(ops[2].t, [2, "client"]);
    assert.equal(ops[2].value, "v1");
    assert.equal(checkStaleReads(quorumHistory(ops)).ok, true);
  });

  it("with r = w = 1 of 3 a seed sweep finds stale reads, and checkStaleReads names them", () => {
    let stale = 0;
    for (let s = 0; s < 30; s++) {
      const sim = new Simulation({ seed: `stale-${s}`, nodes: { client: quorumClient({ replicas: ["A", "B", "C"], r: 1, w: 1 }), A: quorumReplica(), B: quorumReplica(), C: quorumReplica() },
        network: { model: "reliable", latency: latency.uniform(1, 100) } });
      sim.request("client", { type: "write", key: "x", value: "v1" }, 0);
      sim.on((e) => e.kind === "deliver" && e.node === "client", (s2) => s2.request("client", { type: "read", key: "x" }), { once: true });
      const result = checkStaleReads(quorumHistory(quorumOperations(sim.run({ untilMs: 1000 }).trace, "client")));
      if (!result.ok) stale += 1;
    }
    assert.ok(stale > 0 && stale < 30, `stale reads in ${stale} of 30 runs`);
  });
});
