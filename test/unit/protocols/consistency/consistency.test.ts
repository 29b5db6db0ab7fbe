import assert from "node:assert/strict";
import { historyFromTrace, keyedCasRegister, runRegisterWorkload, slideQuorumRun } from "../../../../src/checks";
import { checkLinearizable } from "../../../../src/checks/linearizability";
import { singleLeaderTotalOrderStack } from "../../../../src/protocols/broadcast";
import { abd, linearizableCas, quorumRegister, quorumSize, sequencerTotalOrder } from "../../../../src/protocols/consistency";
import { stack } from "../../../../src/protocols/stack";
import { latency, Simulation, type AnyProtocol } from "../../../../src/sim";

const SEEDS = Array.from({ length: 30 }, (_, i) => `lin-${i}`);

describe("quorum registers and ABD (lecture 6)", () => {
  it("quorumSize: floor(n/2) + 1", () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(quorumSize), [1, 2, 2, 3, 3]);
  });

  it("Not linearizable, despite quorum reads/writes: the second get misses the value the first one saw", () => {
    const history = historyFromTrace(slideQuorumRun(quorumRegister()));
    const outputs = Object.fromEntries(history.map((op) => [op.opId, op.output]));
    assert.deepEqual(outputs, { set: null, get1: "v1", get2: null });
    const get1 = history.find((op) => op.opId === "get1")!;
    const get2 = history.find((op) => op.opId === "get2")!;
    assert.ok(get1.ret! < get2.call, "get2 starts after get1 returned");
    const result = checkLinearizable(history, keyedCasRegister());
    assert.equal(result.ok, false);
    assert.equal(history[result.counterexample!.culprit].opId, "get2");
  });

  it("ABD: the same run is linearizable, because get1 writes back before it returns", () => {
    const history = historyFromTrace(slideQuorumRun(abd()));
    const outputs = Object.fromEntries(history.map((op) => [op.opId, op.output]));
    assert.equal(outputs.get1, "v1");
    assert.equal(outputs.get2, "v1");
    assert.ok(checkLinearizable(history, keyedCasRegister()).ok);
  });

  it(`ABD: linearizable on ${SEEDS.length} random concurrent workloads with two crashes of five nodes`, () => {
    let operations = 0;
    for (const seed of SEEDS) {
      const run = runRegisterWorkload({ seed, protocol: abd(), keys: ["x", "y"], crashes: 2 });
      assert.ok(run.result.ok, `seed=${seed}: ${run.result.message}`);
      operations += run.history.length;
    }
    assert.ok(operations > SEEDS.length * 20, `only ${operations} operations`);
  });

  it("quorum reads without write-back: some random workload is not linearizable", () => {
    const failing = SEEDS.filter((seed) => !runRegisterWorkload({ seed, protocol: quorumRegister(), latencyMs: [1, 60], operationsPerClient: 10 }).result.ok);
    assert.ok(failing.length > 0, "no seed found a violation");
  });

  it("ABD rejects a second operation at a node while one is running", () => {
    const sim = new Simulation({ seed: "s", nodes: ["A", "B", "C"], protocol: abd() });
    sim.request("A", { type: "get", opId: "1", key: "x" }, 0);
    sim.request("A", { type: "get", opId: "2", key: "x" }, 0);
    assert.throws(() => sim.run({ untilMs: 100 }), /2 requested while 1 is still running/);
  });
});

describe("linearizable CAS via total order broadcast (lecture 6)", () => {
  const casStack = () => stack(linearizableCas(), singleLeaderTotalOrderStack("A"));

  it("Linearizable compare-and-swap (CAS): two concurrent CAS(x, null, ...) - exactly one succeeds", () => {
    const sim = new Simulation({ seed: "cas", nodes: ["A", "B", "C"], protocol: casStack(), network: { model: "reliable", latency: latency.uniform(1, 10) } });
    sim.request("B", { type: "CAS", opId: "b", x: "x", old: null, new: "B" }, 0);
    sim.request("C", { type: "CAS", opId: "c", x: "x", old: null, new: "C" }, 0);
    const history = historyFromTrace(sim.run({ untilMs: 500 }).trace);
    assert.deepEqual(history.map((op) => op.output).sort(), [false, true]);
    assert.ok(checkLinearizable(history, keyedCasRegister()).ok);
  });

  it(`CAS: linearizable on ${SEEDS.length} random workloads of gets and CASes (one crash, not the leader)`, () => {
    for (const seed of SEEDS) {
      const run = runRegisterWorkload({ seed, protocol: casStack(), nodes: ["A", "B", "C", "D"], kinds: ["get", "CAS"], crashes: 1, neverCrash: ["A"] });
      assert.ok(run.result.ok, `seed=${seed}: ${run.result.message}`);
      assert.ok(run.history.some((op) => op.input.op === "cas" && op.output === true), `seed=${seed}: no CAS succeeded`);
    }
  });

  it("CAS rejects a malformed request, naming it", () => {
    const sim = new Simulation({ seed: "s", nodes: ["A", "B"], protocol: casStack() });
    sim.request("B", { type: "cas", opId: "1", x: "x" }, 0);
    assert.throws(() => sim.run({ untilMs: 100 }), /cas at B: expected/);
  });
});

describe("sequencer total order broadcast (lecture 4's single-leader approach, for lecture 6's layers)", () => {
  it("every node delivers every broadcast, in the same order, despite reordering links", () => {
    const sim = new Simulation({ seed: "seq", nodes: ["S", "A", "B", "C"], protocol: sequencerTotalOrder("S"), network: { model: "reliable", latency: latency.uniform(1, 50) } });
    for (let k = 0; k < 12; k++) sim.request(["A", "B", "C"][k % 3], { type: "broadcast", m: `m${k}` }, k);
    const trace = sim.run({ untilMs: 1000 }).trace;
    const orders = ["S", "A", "B", "C"].map((node) => trace.deliveries(node).map((d) => d.value));
    assert.equal(orders[0].length, 12);
    for (const order of orders) assert.deepEqual(order, orders[0]);
  });

  it("rejects a sequencer that is not a node", () => {
    const sim = new Simulation({ seed: "seq", nodes: ["A", "B"], protocol: sequencerTotalOrder("Z") });
    assert.throws(() => sim.run({ untilMs: 10 }), /sequencer Z is not one of the nodes A, B/);
  });
});
