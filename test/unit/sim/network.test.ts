import assert from "node:assert/strict";
import { Simulation, latency } from "../../../src/sim";
import { sink } from "./helpers";

function blast(sim: Simulation, count: number, from = "A", to = "B"): void {
  for (let n = 0; n < count; n++) sim.request(from, { to, n }, n);
}

describe("sim/network: links (lecture 2, 'System model: network behaviour')", () => {
  it("reliable links: every message is received exactly once, some out of order", () => {
    const sim = new Simulation({ seed: "rel", nodes: ["A", "B"], protocol: sink, network: { latency: latency.uniform(1, 30) } });
    blast(sim, 500);
    const trace = sim.run().trace;
    const got = trace.deliveries("B").map((d) => d.value as number);
    assert.deepEqual(got.slice().sort((a, b) => a - b), Array.from({ length: 500 }, (_v, k) => k));
    assert.ok(got.some((v, k) => k > 0 && v < got[k - 1]), "random latency reorders messages");
    assert.equal(trace.ofKind("drop").length, 0);
  });

  it("fair-loss links lose and duplicate messages at the given rates", () => {
    const sim = new Simulation({ seed: "fl", nodes: ["A", "B"], protocol: sink, network: { model: "fair-loss", loss: 0.2, duplicate: 0.1 } });
    blast(sim, 5000);
    const trace = sim.run().trace;
    const lost = trace.ofKind("drop").filter((d) => d.reason === "loss").length;
    const dups = trace.ofKind("duplicate").length;
    assert.ok(Math.abs(lost / 5000 - 0.2) < 0.03, `loss rate ${lost / 5000}`);
    assert.ok(Math.abs(dups / (5000 - lost) - 0.1) < 0.03, `duplication rate ${dups / (5000 - lost)}`);
    assert.equal(trace.ofKind("receive").length, 5000 - lost + dups);
    const copies = trace.ofKind("receive").filter((r) => r.copy === 1).length;
    assert.equal(copies, dups);
  });

  it("per-link overrides: a lossy link beside reliable ones", () => {
    const sim = new Simulation({
      seed: "links",
      nodes: ["A", "B", "C"],
      protocol: sink,
      network: { model: "fair-loss", links: [{ from: "A", to: "C", loss: 1 }] },
    });
    blast(sim, 50, "A", "B");
    blast(sim, 50, "A", "C");
    const trace = sim.run().trace;
    assert.equal(trace.deliveries("B").length, 50);
    assert.equal(trace.deliveries("C").length, 0);
  });

  it("latency models stay in range; presets have the lecture's magnitudes", () => {
    const check = (lat: ReturnType<typeof latency.uniform>, lo: number, hi: number, median?: [number, number]) => {
      const sim = new Simulation({ seed: "lat", nodes: ["A", "B"], protocol: sink, network: { latency: lat } });
      blast(sim, 400);
      const trace = sim.run().trace;
      const ds = trace.ofKind("receive").map((r) => r.t - trace.send(r.msgId)!.t).sort((a, b) => a - b);
      assert.ok(ds[0] >= lo && ds[ds.length - 1] <= hi, `${lat.description}: ${ds[0]}..${ds[ds.length - 1]}`);
      if (median) assert.ok(ds[200] >= median[0] && ds[200] <= median[1], `${lat.description}: median ${ds[200]}`);
    };
    check(latency.constant(7), 7, 7);
    check(latency.uniform(5, 15), 5, 15);
    check(latency.exponential(10, 2), 2, 200, [6, 12]);
    check(latency.logNormal(20, 0.5), 0, 1000, [16, 24]);
    check(latency.sameDatacentre, 0, 1, [0.07, 0.14]);
    check(latency.intercontinental, 80, 1000, [95, 110]);
    check(latency.fn((r, from, to) => (from === "A" && to === "B" ? 42 : 1)), 42, 42);
  });

  it("partitions drop messages across groups until they heal", () => {
    const sim = new Simulation({ seed: "part", nodes: ["A", "B", "C"], protocol: sink, network: { latency: latency.constant(1) } });
    sim.partition({ groups: [["A"], ["B", "C"]], atMs: 10, healAtMs: 20 });
    for (let n = 0; n < 30; n++) sim.request("A", { to: "B", n }, n);
    for (let n = 0; n < 30; n++) sim.request("C", { to: "B", n: 100 + n }, n);
    const trace = sim.run().trace;
    const fromA = trace.deliveries("B").filter((d) => d.from === "A").map((d) => d.value as number);
    // Sent at 9 arrives at 10 (inside the partition): dropped on arrival. Sent 10..19: dropped on sending.
    assert.deepEqual(fromA, [...Array.from({ length: 9 }, (_v, k) => k), ...Array.from({ length: 10 }, (_v, k) => 20 + k)]);
    assert.equal(trace.deliveries("B").filter((d) => d.from === "C").length, 30, "inside a group, links work");
    assert.equal(trace.ofKind("partition").length, 1);
    assert.equal(trace.ofKind("heal").length, 1);
    assert.ok(trace.ofKind("drop").every((d) => d.reason === "partition"));
  });

  it("asymmetric partitions cut one direction only", () => {
    const sim = new Simulation({ seed: "asym", nodes: ["A", "B"], protocol: sink });
    sim.partition({ cut: [["A", "B"]], atMs: 0 });
    blast(sim, 10, "A", "B");
    blast(sim, 10, "B", "A");
    const trace = sim.run().trace;
    assert.equal(trace.deliveries("B").length, 0);
    assert.equal(trace.deliveries("A").length, 10);
  });

  it("arbitrary links: an adversary can drop, delay, modify, duplicate, spoof and replay", () => {
    const sim = new Simulation({
      seed: "adv",
      nodes: ["A", "B", "M"],
      protocol: sink,
      network: {
        model: "arbitrary",
        latency: latency.constant(5),
        adversary: (m, tools) => {
          const n = (m.msg as unknown as { n: number }).n;
          if (n === 0) return []; // drop
          if (n === 1) return [{ delayMs: 100 }]; // delay
          if (n === 2) return [{ msg: { type: "Note", n: 99 } }]; // modify
          if (n === 3) return [{}, {}]; // duplicate
          if (n === 4) return [{ from: "M" }]; // spoof
          if (n === 5) tools.inject(m.to, m.from, m.msg, 500); // replay later
          return undefined;
        },
      },
    });
    blast(sim, 6);
    const trace = sim.run().trace;
    const got = trace.deliveries("B").map((d) => `${d.value}@${d.from}@${d.t}`);
    assert.deepEqual(got, ["99@A@7", "3@A@8", "3@A@8", "4@M@9", "5@A@10", "1@A@101", "5@A@505"]);
    assert.equal(trace.ofKind("drop").filter((d) => d.reason === "adversary").length, 1);
    // Modified, spoofed and replayed copies are marked as tampered.
    assert.equal(trace.ofKind("receive").filter((r) => r.tampered).length, 3);
  });
});

describe("sim/timing models (lecture 2, 'System model: timing assumptions')", () => {
  const delays = (sim: Simulation) => {
    const trace = sim.run().trace;
    return trace.ofKind("receive").map((r) => ({ sent: trace.send(r.msgId)!.t, d: r.t - trace.send(r.msgId)!.t }));
  };

  it("synchronous: no message takes longer than the known bound", () => {
    const sim = new Simulation({ seed: "sync", nodes: ["A", "B"], protocol: sink, network: { latency: latency.exponential(30) }, timing: { model: "synchronous", latencyMsMax: 50 } });
    blast(sim, 1000);
    const ds = delays(sim);
    assert.ok(ds.every((x) => x.d <= 50));
    assert.ok(ds.some((x) => x.d === 50), "some latencies were clamped to the bound");
  });

  it("partially synchronous: unbounded delays and pauses before GST, bounded after; all arrive by GST + bound", () => {
    const sim = new Simulation({
      seed: "psync",
      nodes: ["A", "B"],
      protocol: sink,
      network: { latency: latency.uniform(1, 10) },
      timing: { model: "partially-synchronous", gstMs: 2000, latencyMsMax: 20, delayProbability: 0.3, delayMeanMs: 500 },
    });
    for (let n = 0; n < 400; n++) sim.request("A", { to: "B", n }, n * 10);
    const trace = sim.run().trace;
    const ds = trace.ofKind("receive").map((r) => ({ sent: trace.send(r.msgId)!.t, at: r.t }));
    assert.ok(ds.some((x) => x.sent < 2000 && x.at - x.sent > 100), "some early messages were delayed far beyond the bound");
    assert.ok(ds.filter((x) => x.sent >= 2000).every((x) => x.at - x.sent <= 20), "after GST the bound holds");
    assert.ok(trace.ofKind("pause").length > 0, "nodes paused before GST");
    assert.ok(trace.ofKind("pause").every((p) => p.t < 2000 && p.untilMs <= 2000));
  });

  it("asynchronous: some messages are delayed arbitrarily and nodes pause", () => {
    const sim = new Simulation({ seed: "async", nodes: ["A", "B"], protocol: sink, network: { latency: latency.constant(5) }, timing: { model: "asynchronous", delayProbability: 0.2, delayMeanMs: 1000, pausesPerSecond: 2 } });
    for (let n = 0; n < 300; n++) sim.request("A", { to: "B", n }, n * 10);
    const trace = sim.run().trace;
    const ds = trace.ofKind("receive").map((r) => r.t - trace.send(r.msgId)!.t);
    assert.ok(ds.filter((d) => d > 500).length > 10);
    assert.ok(trace.ofKind("pause").length > 0);
  });
});
