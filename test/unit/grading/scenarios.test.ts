import assert from "node:assert/strict";
import * as fc from "fast-check";
import { checkScenario, simulate, type Scenario } from "../../../src/sim";
import { readTrace, scenarios } from "../../../src/grading/scenarios";
import { reliableBroadcastStack } from "../../../src/protocols/broadcast/stacks";
import { Trace } from "../../../src/sim/trace";

const shape = {
  nodesMin: 2, nodesMax: 5, requestsMax: 8, spreadMs: 200, untilMs: 2000,
  request: (node: string, k: number) => ({ type: "broadcast", m: `${node}${k}` }),
  loss: [0, 0.2], duplicate: [0, 0.1], crashesMax: 1, recoveriesMax: 2, partitionsMax: 1,
};

describe("grading/scenarios: random scenarios and the one trace reader", () => {
  it("draws valid, JSON-plain scenarios with every kind of fault the shape allows", () => {
    const seen = new Set<string>();
    fc.assert(fc.property(scenarios(shape), (s) => {
      checkScenario(s);
      assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
      for (const f of s.faults ?? []) seen.add(f.kind === "crash" && f.recoverAtMs !== undefined ? "recovery" : f.kind);
      const names = (s.requests ?? []).map((r) => (r.request as { m: string }).m);
      assert.equal(new Set(names).size, names.length, "request payloads are distinct");
    }), { seed: 7, numRuns: 200 });
    assert.deepEqual([...seen].sort(), ["crash", "partition", "recovery"]);
  });

  it("shrinks a failing scenario to a small one", () => {
    const result = fc.check(fc.property(scenarios(shape), (s) => (s.requests ?? []).length < 3), { seed: 3 });
    assert.equal(result.failed, true);
    const smallest = result.counterexample![0] as Scenario;
    assert.equal(smallest.requests!.length, 3);
    assert.equal(smallest.nodes.length, 2);
    assert.deepEqual(smallest.faults, []);
  });

  it("names the nodes, keeps faults to the last `crashable` ones, and may draw no requests", () => {
    const named = { nodesMin: 3, nodesMax: 3, names: ["shop", "shop2", "payments"], requestsMax: 0, spreadMs: 100, untilMs: 1000, crashable: 1, recoveriesMax: 3, outageMsMax: 250 };
    fc.assert(fc.property(scenarios(named), (s) => {
      checkScenario(s);
      assert.deepEqual(s.nodes, ["shop", "shop2", "payments"]);
      assert.deepEqual(s.requests, []);
      for (const f of s.faults ?? []) {
        assert.ok(f.kind === "crash" && f.node === "payments" && f.recoverAtMs !== undefined);
        assert.ok(f.recoverAtMs - f.atMs <= 250);
      }
    }), { seed: 5, numRuns: 100 });
    assert.throws(() => scenarios({ ...named, requestsMax: 2 }), /need a shape\.request/);
    assert.throws(() => scenarios({ ...named, nodesMax: 4 }), /3 names for up to 4 nodes/);
  });

  it("readTrace accepts the run that was asked for and names what is wrong with anything else", () => {
    const s = fc.sample(scenarios({ ...shape, crashesMax: 0, recoveriesMax: 0, partitionsMax: 0 }), { seed: 1, numRuns: 1 })[0]!;
    const json = simulate(s, reliableBroadcastStack()).trace.toJSON();
    assert.ok(readTrace(s, json) instanceof Trace);
    assert.match((readTrace(s, 42) as { message: string }).message, /expected the run's trace as JSON text, got 42/);
    assert.match((readTrace(s, "{") as { message: string }).message, /could not be read/);
    assert.match((readTrace({ ...s, seed: "other" }, json) as { message: string }).message, /another run/);
    const empty = new Trace({ seed: s.seed, nodes: s.nodes }).toJSON();
    assert.match((readTrace(s, empty) as { message: string }).message, /has no request .* at [A-E]: it is not the run that was asked for/);
  });
});
