import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { explore } from "../../../../src/explore/index";
import { bestEffortBroadcast } from "../../../../src/protocols/broadcast/best-effort";
import { eagerReliableBroadcast } from "../../../../src/protocols/broadcast/eager-reliable";
import { mapView, type MapEntry, type MapState } from "../../../../src/protocols/crdt/map-crdt";
import { opBasedMap } from "../../../../src/protocols/crdt/op-map-crdt";
import { mergeMaps, stateBasedMap } from "../../../../src/protocols/crdt/state-map-crdt";
import { fairLossLink } from "../../../../src/protocols/links/fair-loss-link";
import { stack } from "../../../../src/protocols/stack";
import { Simulation, latency, type AnyProtocol } from "../../../../src/sim/index";

/** Map states with globally unique timestamps (a timestamp names one write, so one value). */
const entries = fc.uniqueArray(fc.record({ L: fc.integer({ min: 1, max: 6 }), N: fc.constantFrom("A", "B", "C"), k: fc.constantFrom("x", "y", "z") }), { selector: (e) => `${e.L}${e.N}` })
  .map((list) => list.map((e): MapEntry => ({ t: { L: e.L, N: e.N }, k: e.k, v: `${e.k}=${e.L}${e.N}` })));
const state = entries.map((list) => mergeMaps([], list));
const same = (a: readonly MapEntry[], b: readonly MapEntry[]) => assert.deepEqual(mapView(a), mapView(b));

describe("protocols: map CRDTs (lecture 8)", () => {
  it("the state-based merge is commutative, associative and idempotent (slide \"State-based CRDTs\")", () => {
    fc.assert(fc.property(state, state, state, (s1, s2, s3) => {
      same(mergeMaps(s1, s2), mergeMaps(s2, s1));
      same(mergeMaps(mergeMaps(s1, s2), s3), mergeMaps(s1, mergeMaps(s2, s3)));
      same(mergeMaps(s1, s1), s1);
      assert.deepEqual(mergeMaps(s1, s2), mergeMaps(s2, s1), "not only the view: the triples kept are the same");
    }), { numRuns: 500, seed: 3 });
  });

  it("a merge keeps, per key, the triple with the greatest timestamp", () => {
    const merged = mergeMaps([{ t: { L: 2, N: "A" }, k: "title", v: "Lecture 1" }], [{ t: { L: 2, N: "B" }, k: "title", v: "Lecture 2" }, { t: { L: 1, N: "A" }, k: "time", v: "10:00" }]);
    assert.deepEqual(mapView(merged), { time: "10:00", title: "Lecture 2" });
  });

  const sets = [
    { node: "A", request: { type: "set", k: "title", v: "Lecture 1" } },
    { node: "B", request: { type: "set", k: "title", v: "Lecture 8" } },
    { node: "B", request: { type: "set", k: "time", v: "10:00" } },
  ];
  const converged = (result: { nodes: Record<string, { state: unknown }> }) => {
    const views = Object.values(result.nodes).map((n) => JSON.stringify(mapView((n.state as { upper: MapState }).upper.values)));
    return new Set(views).size === 1 ? true : `replicas differ: ${views.join(" / ")}`;
  };

  it("operation-based map: every delivery order of the slide's writes converges (explorer)", () => {
    // On the explorer's reliable network with no crashes, best-effort broadcast is reliable broadcast,
    // with far fewer messages than the eager relaying one (which keeps the search small).
    let terminals = 0;
    const titles = new Set<string>();
    const result = explore({
      protocol: stack(opBasedMap(), stack(bestEffortBroadcast(), fairLossLink())),
      nodes: ["A", "B", "C"], requests: sets, network: { model: "reliable" }, timers: { fire: "never" },
      bounds: { maxDepth: 30, maxStates: 50_000 },
      onTerminal: (s) => {
        terminals++;
        assert.equal(converged(s as never), true);
        // Which title wins depends on whether A wrote before or after hearing of B's writes; all agree on it.
        const values = (s.nodes.A!.state as { upper: MapState }).upper.values;
        assert.equal(mapView(values).time, "10:00");
        titles.add(String(mapView(values).title));
      },
    });
    assert.equal(result.verdict, "exhausted", result.summary);
    assert.ok(terminals > 1, `${terminals} ways to end`);
    assert.deepEqual([...titles].sort(), ["Lecture 1", "Lecture 8"], "either write can be the later one");
  });

  it("operation-based map over best-effort broadcast with a lost message does not converge; the state-based map resending its state does", () => {
    const run = (protocol: AnyProtocol) => {
      const sim = new Simulation({ seed: "map-loss", nodes: ["A", "B", "C"], protocol: stack(protocol, stack(bestEffortBroadcast(), fairLossLink())) as never,
        network: { model: "fair-loss", loss: 0.4, duplicate: 0.2, latency: latency.uniform(1, 20) } });
      sim.request("A", { type: "set", k: "title", v: "Lecture 1" }, 0).request("B", { type: "set", k: "title", v: "Lecture 8" }, 5).request("C", { type: "set", k: "time", v: "10:00" }, 6);
      sim.run({ untilMs: 2000 });
      return ["A", "B", "C"].map((n) => JSON.stringify(mapView(sim.state<{ upper: MapState }>(n).upper.values)));
    };
    assert.notEqual(new Set(run(opBasedMap() as AnyProtocol)).size, 1, "with 40% loss some replica misses a write");
    const views = run(stateBasedMap({ resendEveryMs: 50 }) as AnyProtocol);
    assert.equal(new Set(views).size, 1, views.join(" / "));
    assert.deepEqual(JSON.parse(views[0]!), { time: "10:00", title: "Lecture 8" });
  });

  it("refuses bad requests with a clear error", () => {
    assert.throws(() => stateBasedMap({ resendEveryMs: 0 }), /resendEveryMs must be > 0/);
    const sim = new Simulation({ seed: "bad", nodes: ["A"], protocol: stack(opBasedMap(), stack(eagerReliableBroadcast(), fairLossLink())) as never, network: { model: "reliable", latency: latency.constant(1) } });
    sim.request("A", { type: "set", k: 7, v: 1 }, 0);
    assert.throws(() => sim.run(), /a map key must be a string, got 7/);
  });
});
