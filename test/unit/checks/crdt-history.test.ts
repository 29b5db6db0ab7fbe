import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../src/sim/index";
import { stack } from "../../../src/protocols/stack";
import { reliableBroadcastStack } from "../../../src/protocols/broadcast/stacks";
import { opBasedMap } from "../../../src/protocols/crdt/op-map-crdt";
import { mapView, type MapState } from "../../../src/protocols/crdt/map-crdt";
import { checkReplicasAgree, mapClientHistory } from "../../../src/checks/crdt-history";
import { keyedCasRegister } from "../../../src/checks/client-history";
import { checkLinearizable } from "../../../src/checks/linearizability/check";
import { TraceBuilder } from "../../../src/checks/trace-builder";

/** Notebook 8's CAP run: C cut off from 30 to 300 ms, B's write at 50 ms, C reads at 120 and 380 ms. */
function capRun(partition: boolean) {
  const sim = new Simulation({ seed: "cap", nodes: ["A", "B", "C"], protocol: stack(opBasedMap(), reliableBroadcastStack()), network: { model: "reliable", latency: latency.uniform(5, 15) } });
  sim.request("A", { type: "set", k: "title", v: "Lecture 7" }, 0)
    .request("B", { type: "set", k: "title", v: "Lecture 8" }, 50)
    .request("C", { type: "read", k: "title" }, 120)
    .request("C", { type: "read", k: "title" }, 380);
  if (partition) sim.partition({ groups: [["A", "B"], ["C"]], atMs: 30, healAtMs: 300 });
  const trace = sim.run({ untilMs: 600 }).trace;
  return { sim, trace };
}

describe("checks: map CRDT runs as client histories, and replica agreement", () => {
  it("sets return at once, reads return what the replica delivered in the same step", () => {
    const history = mapClientHistory(capRun(true).trace);
    assert.deepEqual(history.map((op) => [op.client, op.input.op, op.output, op.call, op.ret]), [
      ["A", "write", null, 0, 0],
      ["B", "write", null, 50, 50],
      ["C", "read", "Lecture 7", 120, 120],
      ["C", "read", "Lecture 8", 380, 380],
    ]);
  });

  it("the read during the partition is stale: the run is not linearizable; without the partition it is", () => {
    const partitioned = checkLinearizable(mapClientHistory(capRun(true).trace), keyedCasRegister());
    assert.equal(partitioned.ok, false);
    assert.equal(checkLinearizable(mapClientHistory(capRun(false).trace), keyedCasRegister()).ok, true);
  });

  it("a read not answered at once, or a value a register cannot hold, is an error naming it", () => {
    const unanswered = new TraceBuilder(["A"]);
    unanswered.request("A", { type: "read", k: "x" });
    assert.throws(() => mapClientHistory(unanswered), /the read of x at A \(event 0, \d+ ms\) was not answered at once/);
    const objectValue = new TraceBuilder(["A"]);
    objectValue.request("A", { type: "set", k: "x", v: { a: 1 } });
    assert.throws(() => mapClientHistory(objectValue), /the value set at A \(event 0\) must be a string, a number or null/);
  });

  it("replicas agree when their states are equal as data (key order aside), and each one that differs is named", () => {
    const { sim } = capRun(true);
    const states = Object.fromEntries(["A", "B", "C"].map((n) => [n, mapView(sim.state<{ upper: MapState }>(n).upper.values)]));
    assert.equal(checkReplicasAgree(states).ok, true);
    assert.equal(checkReplicasAgree({ A: { x: 1, y: 2 }, B: { y: 2, x: 1 } }).ok, true);
    const split = checkReplicasAgree({ A: { x: 1 }, B: { x: 1 }, C: { x: 2 } });
    assert.equal(split.violations.length, 1);
    assert.match(split.violations[0].message, /replicas A and C ended in different states: A has \{"x":1\}, C has \{"x":2\}/);
    assert.throws(() => checkReplicasAgree({}), /no replicas given/);
  });
});
