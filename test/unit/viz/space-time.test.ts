import assert from "node:assert/strict";
import { Simulation, latency } from "../../../src/sim";
import { pingPong } from "../../../src/protocols/ping-pong";
import { spaceTimeDiagram } from "../../../src/viz/space-time";
import { lineChart, barChart, heatmap } from "../../../src/viz/figure";

type Trace0 = { name: string; x: (number | null)[]; y: (number | null)[]; marker?: { symbol: string[] | string } };

function run() {
  const sim = new Simulation({ seed: "viz", nodes: ["client", "server"], protocol: pingPong({ retryMs: 30 }), network: { model: "fair-loss", loss: 0.3, duplicate: 0.2, latency: latency.uniform(2, 9) } });
  for (let k = 0; k < 20; k++) sim.request("client", { type: "ping", to: "server" }, k * 4);
  sim.crash("server", 30, { recoverAtMs: 50 });
  sim.partition({ groups: [["client"], ["server"]], atMs: 60, healAtMs: 70 });
  return sim.run().trace;
}

const arrows = (fig: ReturnType<typeof spaceTimeDiagram>, name: string) => {
  const t = fig.data.find((d) => d.name === name) as unknown as Trace0;
  return t.x.filter((x) => x === null).length;
};

describe("viz/space-time: diagrams from traces", () => {
  it("draws one arrow per received copy and one per lost message", () => {
    const trace = run();
    const fig = spaceTimeDiagram(trace);
    const receives = trace.ofKind("receive");
    assert.equal(arrows(fig, "message"), receives.filter((r) => r.copy === 0).length);
    assert.equal(arrows(fig, "duplicate copy"), receives.filter((r) => r.copy > 0).length);
    assert.equal(arrows(fig, "lost"), trace.ofKind("drop").length);
    assert.ok(arrows(fig, "lost") > 0 && arrows(fig, "duplicate copy") > 0);
  });

  it("one line per node, crashes and partitions shaded, nodes named on the axis", () => {
    const fig = spaceTimeDiagram(run(), { title: "t" });
    const layout = fig.layout as { shapes: { type: string; yref?: string; fillcolor?: string }[]; yaxis: { ticktext: string[] } };
    assert.deepEqual(layout.yaxis.ticktext, ["client", "server"]);
    assert.equal(layout.shapes.filter((s) => s.type === "line").length, 2);
    assert.equal(layout.shapes.filter((s) => s.type === "rect" && s.yref === "paper").length, 1, "partition band");
    assert.equal(layout.shapes.filter((s) => s.type === "rect" && s.yref !== "paper").length, 1, "server down");
    assert.ok(fig.data.some((d) => d.name === "crash"));
    assert.ok((fig.layout as { annotations: { text: string }[] }).annotations.some((a) => a.text === "seed=viz"), "the seed is shown");
  });

  it("highlights the given events and shows labels", () => {
    const trace = run();
    const receive = trace.ofKind("receive")[0];
    const fig = spaceTimeDiagram(trace, { highlight: [receive.i], label: (e) => (e.kind === "deliver" ? `#${e.value}` : undefined) });
    assert.equal(arrows(fig, "highlighted"), 1);
    // Labels are annotations at their events (merged when at one node and instant).
    const labels = (fig.layout as { annotations: { yref: string; text: string }[] }).annotations.filter((a) => a.yref === "y");
    const deliveries = trace.deliveries();
    const instants = new Set(deliveries.map((d) => `${d.node}|${d.t}`));
    assert.equal(labels.length, instants.size);
    assert.equal(labels.map((l) => l.text.split(", ").length).reduce((a, b) => a + b, 0), deliveries.length);
    assert.ok(fig.data.some((d) => d.name === "highlighted event"));
  });

  it("stays one trace per kind for hundreds of messages (readable, fast to draw)", () => {
    const sim = new Simulation({ seed: "big", nodes: ["A", "B", "C", "D"], protocol: pingPong() });
    for (let k = 0; k < 150; k++) sim.request(["A", "B", "C", "D"][k % 4], { type: "ping", to: ["B", "C", "D", "A"][k % 4] }, k);
    const fig = spaceTimeDiagram(sim.run().trace);
    assert.equal(arrows(fig, "message"), 300);
    assert.ok(fig.data.length < 12);
    assert.ok(JSON.stringify(fig).length < 400_000);
  });

  it("the same trace gives the same figure", () => {
    assert.equal(JSON.stringify(spaceTimeDiagram(run())), JSON.stringify(spaceTimeDiagram(run())));
  });

  it("chart builders check their inputs", () => {
    assert.throws(() => lineChart([{ name: "s", x: [1, 2], y: [1] }]), /series "s" has 2 x values but 1 y values/);
    assert.throws(() => barChart(["a"], [{ name: "b", values: [1, 2] }]), /series "b" has 2 values for 1 categories/);
    assert.throws(() => heatmap([1, 2], [1], [[1]]), /z must have 1 rows of 2 values/);
    assert.equal(lineChart([{ name: "s", x: [1], y: [2], step: true }]).data[0].type, "scatter");
    // Category axes are left to plotly; log axes place labels in log10 units.
    const bars = barChart(["a", "b"], [{ name: "n", values: [1, 2] }]).layout as { xaxis: { type?: string } };
    assert.equal(bars.xaxis.type, undefined);
    const log = lineChart([{ name: "s", x: [1, 10], y: [1, 100] }], { yLog: true, hlines: [{ y: 100, label: "SLO" }] }).layout as { annotations: { y: number }[] };
    assert.equal(log.annotations[0].y, 2);
  });
});
