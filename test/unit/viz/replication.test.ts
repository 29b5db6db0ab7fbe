import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../src/sim";
import { stack } from "../../../src/protocols/stack";
import { reliableBroadcastStack } from "../../../src/protocols/broadcast/stacks";
import { counter, stateMachineReplica } from "../../../src/protocols/replication";
import { quorumGrid, quorumPicture, replicaTimeline, sampleStates, stateChangesFromTrace } from "../../../src/viz/replication";

function counterRun() {
  const sim = new Simulation({ seed: "timeline", nodes: ["A", "B", "C"], protocol: stack(stateMachineReplica(counter()), reliableBroadcastStack()),
    network: { model: "reliable", latency: latency.uniform(5, 40) } });
  sim.request("A", { type: "update", u: { add: 1 } }, 0).request("B", { type: "update", u: { add: 2 } }, 10);
  return sim;
}

describe("viz: replication figures", () => {
  it("replicaTimeline: one row per replica, one trace per state, segments that tile each row up to the end", () => {
    const trace = counterRun().run().trace;
    const changes = stateChangesFromTrace(trace);
    assert.equal(changes.length, 6); // two updates applied at three replicas
    const figure = replicaTimeline(changes, { title: "counter", untilMs: 100 });
    const names = figure.data.map((d) => d.name);
    assert.deepEqual(names.slice().sort(), ["1", "2", "3"]); // the final state 3 is shared by all replicas
    const final = figure.data.find((d) => d.name === "3")!;
    assert.deepEqual((final.y as string[]).slice().sort(), ["A", "B", "C"]);
    // Each final segment ends at untilMs.
    (final.base as number[]).forEach((b, k) => assert.equal(b + (final.x as number[])[k], 100));
    const yaxis = (figure.layout as { yaxis: { categoryarray: string[] } }).yaxis;
    assert.deepEqual(yaxis.categoryarray, ["A", "B", "C"]);
  });

  it("replicaTimeline: repeated reports of the same state make one segment", () => {
    const figure = replicaTimeline([{ node: "A", t: 0, view: 1 }, { node: "A", t: 5, view: 1 }, { node: "A", t: 9, view: 2 }], { untilMs: 10 });
    assert.deepEqual(figure.data.map((d) => [d.name, d.base, d.x]), [["1", [0], [9]], ["2", [9], [1]]]);
  });

  it("sampleStates keeps only changes, and agrees with the annotated states", () => {
    const sim = counterRun();
    const samples = sampleStates(["A", "B", "C"], { everyMs: 5, untilMs: 200 }, (t) => sim.run({ untilMs: t }),
      (node) => sim.state<{ upper: { value: { count: number } } }>(node).upper.value.count);
    const finals = ["A", "B", "C"].map((node) => samples.filter((s) => s.node === node).pop()!.view);
    assert.deepEqual(finals, [3, 3, 3]);
    assert.ok(samples.every((s) => s.t % 5 === 0));
    assert.deepEqual(samples.filter((s) => s.node === "C").map((s) => s.view)[0], 0); // C has applied nothing at 0 ms
  });

  it("quorumPicture: reached cells, and the overlap of the quorums darker (the slide's 2 out of 3)", () => {
    const figure = quorumPicture(["A", "B", "C"], [
      { name: "write (t₁, v₁)", reached: ["B", "C"] },
      { name: "read", reached: ["A", "B"], detail: { A: "(t₀, v₀)", B: "(t₁, v₁)" } },
    ]);
    assert.deepEqual(figure.data[0].z, [[0, 2, 1], [1, 2, 0]]);
    assert.deepEqual(figure.data[0].text, [["–", "✓", "✓"], ["(t₀, v₀)", "(t₁, v₁)", "–"]]);
    assert.throws(() => quorumPicture(["A"], [{ name: "w", reached: ["Z"] }]), /operation "w" reached Z, not among the replicas A/);
  });

  it("quorumGrid: n × n cells, r on rows and w on columns, the r + w > n cells outlined", () => {
    const figure = quorumGrid(5, (r, w) => (r + w) / 10);
    assert.deepEqual(figure.data[0].z, [1, 2, 3, 4, 5].map((r) => [1, 2, 3, 4, 5].map((w) => (r + w) / 10)));
    assert.equal(((figure.layout as { shapes: unknown[] }).shapes).length, 15);
    assert.equal((figure.data[0].text as string[][])[0][0], "20%");
    assert.throws(() => quorumGrid(0, () => 0), /n must be an integer in \[1, 20\], got 0/);
    assert.throws(() => quorumGrid(2, () => NaN), /the value for r = 1, w = 1 is NaN/);
  });

  it("bad input names what was wrong", () => {
    assert.throws(() => replicaTimeline([]), /no state changes/);
    assert.throws(() => replicaTimeline(Array.from({ length: 20 }, (_, k) => ({ node: "A", t: k, view: k }))), /20 distinct states, more than 16/);
    assert.throws(() => sampleStates(["A"], { everyMs: 0, untilMs: 10 }, () => {}, () => 0), /everyMs must be > 0, got 0/);
  });
});
