import assert from "node:assert/strict";
import { simulate, startingFrom, Simulation, type Protocol } from "../../../src/sim";

/** A counter that keeps its count in stable storage; recovery reads it back. */
const counter: Protocol<{ count: number; recovered: boolean }, { type: "Tick" }, { type: "tick" }> = {
  name: "counter",
  init: () => ({ count: 0, recovered: false }),
  recover: (ctx) => ({ count: ctx.storage.get<number>("count") ?? 0, recovered: true }),
  request: (state, _req, ctx) => {
    state.count += 1;
    ctx.storage.set("count", state.count);
    ctx.deliver(state.count);
  },
  receive: { Tick: () => {} },
};

describe("starting nodes from a given state (src/sim/initial-state.ts)", () => {
  it("startingFrom: the node's storage holds the given keys and it starts through its recovery handler", () => {
    const sim = new Simulation({ seed: "start", nodes: { A: startingFrom(counter, { count: 41 }), B: counter } });
    sim.request("A", { type: "tick" }, 1).request("B", { type: "tick" }, 1);
    const trace = sim.run({ untilMs: 2 }).trace;
    assert.deepEqual(sim.state("A"), { count: 42, recovered: true });
    assert.deepEqual(sim.state("B"), { count: 1, recovered: false });
    assert.deepEqual(trace.deliveries("A").map((d) => d.value), [42]);
    assert.equal(sim.storage("A").count, 42);
  });

  it("a protocol without a recovery handler starts with init, its storage filled in", () => {
    const { recover: _recover, ...plain } = counter;
    const sim = new Simulation({ seed: "start-plain", nodes: { A: startingFrom(plain as typeof counter, { note: "x" }) } });
    sim.run({ untilMs: 1 });
    assert.deepEqual(sim.state("A"), { count: 0, recovered: false });
    assert.deepEqual(sim.storage("A"), { note: "x" });
  });

  it("a scenario says it as data (initialStorage), and the same seed gives the same trace", () => {
    const scenario = { seed: "start-scenario", nodes: ["A", "B"], untilMs: 10, initialStorage: { B: { count: 7 } }, requests: [{ node: "B", atMs: 1, request: { type: "tick" } }] };
    const one = simulate(scenario, counter);
    assert.deepEqual(one.trace.deliveries("B").map((d) => d.value), [8]);
    assert.equal(one.trace.hash(), simulate(scenario, counter).trace.hash());
  });

  it("bad input names what was wrong", () => {
    assert.throws(() => startingFrom(counter, [] as unknown as Record<string, unknown>), /startingFrom\(storage\)/);
    assert.throws(() => simulate({ seed: "s", nodes: ["A"], untilMs: 1, initialStorage: { A: 3 as unknown as Record<string, unknown> } }, counter), /scenario\.initialStorage\.A/);
    assert.throws(() => simulate({ seed: "s", nodes: ["A"], untilMs: 1, initialStorage: { Q: {} } }, counter), /scenario\.initialStorage\.Q.*expected one of the scenario's nodes/);
  });
});
