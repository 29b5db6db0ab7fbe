import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../src/sim/index";
import { pingPong } from "../../../src/protocols/ping-pong";
import { partitionWindows, shadePartitions } from "../../../src/viz/partitions";
import { lineChart } from "../../../src/viz/figure";

describe("viz: partitions shaded on time axes", () => {
  const run = () => {
    const sim = new Simulation({ seed: "bands", nodes: ["A", "B", "C"], protocol: pingPong(), network: { model: "reliable", latency: latency.constant(5) } });
    sim.partition({ groups: [["A", "B"], ["C"]], atMs: 30, healAtMs: 300 });
    sim.partition({ cut: [["A", "B"]], atMs: 400 });
    return sim.run({ untilMs: 500 }).trace;
  };

  it("reads each partition's window from the trace, an unhealed one open-ended", () => {
    const windows = partitionWindows(run());
    assert.equal(windows.length, 2);
    assert.deepEqual([windows[0].fromMs, windows[0].untilMs], [30, 300]);
    assert.ok(windows[0].cut.includes("A→C") && windows[0].cut.includes("C→B"));
    assert.deepEqual([windows[1].fromMs, windows[1].untilMs, windows[1].cut], [400, null, ["A→B"]]);
  });

  it("adds one band behind the data and one label per window, keeping the figure's own shapes", () => {
    const figure = lineChart([{ name: "x", x: [0, 500], y: [0, 1] }], { vlines: [{ x: 250 }] });
    const shaded = shadePartitions(figure, partitionWindows(run()), { rightEdgeMs: 500 });
    const shapes = shaded.layout!.shapes as { type: string; layer?: string; x0: number; x1: number }[];
    assert.equal(shapes.length, 3);
    assert.deepEqual(shapes.slice(1).map((s) => [s.type, s.layer, s.x0, s.x1]), [["rect", "below", 30, 300], ["rect", "below", 400, 500]]);
    assert.deepEqual((shaded.layout!.annotations as { text: string }[]).map((a) => a.text), ["partition", "partition"]);
    assert.equal((figure.layout!.shapes as unknown[]).length, 1, "the figure given is not changed");
  });

  it("an unhealed partition on a figure without an x range needs rightEdgeMs", () => {
    const figure = lineChart([{ name: "x", x: [0, 500], y: [0, 1] }]);
    assert.throws(() => shadePartitions(figure, partitionWindows(run())), /never healed, and the figure has no x range/);
  });
});
