import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../../src/sim";
import {
  checkEventuallyPerfect,
  crashedNodes,
  heartbeatFailureDetector,
  measureHeartbeatDetector,
  suspicionsFromTrace,
} from "../../../../src/protocols/failure-detectors";
import { eventuallyPerfectFailureDetector } from "../../../../src/protocols/failure-detectors/eventually-perfect";

const SEEDS = Array.from({ length: 30 }, (_, i) => `fd-${i}`);
const nodes = ["A", "B", "C"];

describe("failure-detectors: checkEventuallyPerfect (table)", () => {
  const base = { nodes: ["A", "B"], endMs: 1000 };
  it("a crashed node suspected from some time on, forever: no violation", () => {
    const v = checkEventuallyPerfect({ ...base, crashed: new Map([["B", 100]]), fromMs: 300, suspicions: [{ t: 250, monitor: "A", node: "B", suspected: true }] });
    assert.deepEqual(v, []);
  });
  it("strong completeness: a crashed node no longer suspected is named with monitor and time", () => {
    const v = checkEventuallyPerfect({
      ...base, crashed: new Map([["B", 100]]), fromMs: 300,
      suspicions: [{ t: 250, monitor: "A", node: "B", suspected: true }, { t: 600, monitor: "A", node: "B", suspected: false }],
    });
    assert.deepEqual(v.map((x) => [x.property, x.monitor, x.node, x.atMs]), [["strong completeness", "A", "B", 600]]);
  });
  it("strong completeness: never suspecting a crashed node is a violation from fromMs", () => {
    const v = checkEventuallyPerfect({ ...base, crashed: new Map([["B", 100]]), fromMs: 300, suspicions: [] });
    assert.deepEqual(v.map((x) => [x.property, x.atMs]), [["strong completeness", 300]]);
  });
  it("eventual strong accuracy: suspicions of a correct node before fromMs are allowed, after are named", () => {
    const v = checkEventuallyPerfect({
      ...base, crashed: new Map(), fromMs: 500,
      suspicions: [
        { t: 100, monitor: "A", node: "B", suspected: true }, { t: 150, monitor: "A", node: "B", suspected: false },
        { t: 700, monitor: "B", node: "A", suspected: true }, { t: 720, monitor: "B", node: "A", suspected: false },
      ],
    });
    assert.deepEqual(v.map((x) => [x.property, x.monitor, x.node, x.atMs]), [["eventual strong accuracy", "B", "A", 700]]);
    assert.match(v[0].description, /B suspects correct node A at 700 ms/);
  });
  it("a crashed monitor's own opinions are not checked, but the others must suspect it", () => {
    const v = checkEventuallyPerfect({ ...base, crashed: new Map([["A", 10]]), fromMs: 0, suspicions: [{ t: 5, monitor: "A", node: "B", suspected: true }] });
    assert.deepEqual(v.map((x) => [x.property, x.monitor, x.node]), [["strong completeness", "B", "A"]]);
  });
});

describe("failure-detectors: Failure detectors (heartbeats and timeouts)", () => {
  it("Perfect failure detector: synchronous, crash-stop, reliable links, timeout > heartbeat interval + max latency, 30 seeds", () => {
    for (const seed of SEEDS) {
      const sim = new Simulation({
        seed, nodes, protocol: heartbeatFailureDetector({ heartbeatMs: 50, timeoutMs: 100, checkMs: 5 }),
        network: { model: "reliable", latency: latency.uniform(1, 40) }, timing: { model: "synchronous", latencyMsMax: 40 },
      });
      sim.crash("C", 1000);
      const result = sim.run({ untilMs: 3000 });
      const suspicions = suspicionsFromTrace(result.trace.events);
      // Accuracy from the start: nothing suspected before the crash, and only C ever.
      assert.deepEqual(suspicions.filter((s) => s.node !== "C" || s.t < 1000), [], seed);
      // Completeness within heartbeat interval + timeout + check period after the crash.
      const v = checkEventuallyPerfect({ nodes, suspicions, crashed: crashedNodes(result.trace.events), fromMs: 1000 + 50 + 100 + 5, endMs: result.endMs });
      assert.deepEqual(v, [], seed);
    }
  });

  it("Failure detection and partial synchrony: a fixed timeout keeps suspecting correct nodes after GST (the check names them)", () => {
    const found = SEEDS.slice(0, 10).flatMap((seed) => {
      const sim = new Simulation({
        seed, nodes, protocol: heartbeatFailureDetector({ heartbeatMs: 50, timeoutMs: 60 }),
        network: { model: "reliable", latency: latency.uniform(5, 100) },
        timing: { model: "partially-synchronous", gstMs: 2000, latencyMsMax: 100 },
      });
      sim.crash("C", 1000);
      const result = sim.run({ untilMs: 10000 });
      return checkEventuallyPerfect({ nodes, suspicions: suspicionsFromTrace(result.trace.events), crashed: crashedNodes(result.trace.events), fromMs: 6000, endMs: result.endMs });
    });
    assert.ok(found.some((v) => v.property === "eventual strong accuracy" && v.atMs >= 6000));
    assert.ok(found.every((v) => v.property !== "strong completeness"));
  });

  it("Eventually perfect failure detector: growing the timeout after each false suspicion satisfies both properties, 30 seeds", () => {
    let falseBeforeGst = 0;
    for (const seed of SEEDS) {
      const sim = new Simulation({
        seed, nodes, protocol: eventuallyPerfectFailureDetector(), // heartbeats every 50 ms, first timeout 150 ms
        network: { model: "reliable", latency: latency.uniform(5, 100) },
        timing: { model: "partially-synchronous", gstMs: 2000, latencyMsMax: 100 },
      });
      sim.crash("C", 1000);
      const result = sim.run({ untilMs: 40000 });
      const suspicions = suspicionsFromTrace(result.trace.events);
      const wrong = suspicions.filter((s) => s.suspected && s.node !== "C");
      falseBeforeGst += wrong.filter((s) => s.t < 2000).length;
      // After GST heartbeats arrive at most 50 + 95 ms apart; each false suspicion doubles the timeout,
      // which starts at 150 > 145 (and a pause may still cost one mistake), so at most twice after GST.
      for (const monitor of ["A", "B"]) {
        for (const node of ["A", "B"]) {
          const after = wrong.filter((s) => s.monitor === monitor && s.node === node && s.t >= 2000).length;
          assert.ok(after <= 2, `${seed}: ${monitor} falsely suspected ${node} ${after} times after GST`);
        }
      }
      const v = checkEventuallyPerfect({ nodes, suspicions, crashed: crashedNodes(result.trace.events), fromMs: 25000, endMs: result.endMs });
      assert.deepEqual(v, [], seed);
    }
    assert.ok(falseBeforeGst > 0, "it did make mistakes early on (that is what 'eventually' allows)");
  });

  it("the library's detector keeps its timeout fixed: asking it to adapt is an error naming Exercise 2.3", () => {
    assert.throws(() => heartbeatFailureDetector({ adaptive: true } as never), /Exercise 2\.3/);
  });

  it("measuring: a longer timeout gives fewer false suspicions and slower detection", () => {
    const seeds = SEEDS.slice(0, 10);
    const lat = latency.logNormal(30, 0.8);
    const short = measureHeartbeatDetector({ timeoutMs: 60, latency: lat, seeds, crashAtMs: 3000 });
    const long = measureHeartbeatDetector({ timeoutMs: 300, latency: lat, seeds, crashAtMs: 3000 });
    assert.ok(short.falseSuspicions > long.falseSuspicions, `${short.falseSuspicions} vs ${long.falseSuspicions}`);
    assert.ok(long.meanDetectionMs > short.meanDetectionMs, `${short.meanDetectionMs} vs ${long.meanDetectionMs}`);
    assert.ok(long.detectionTimesMs.every((d) => d !== undefined && d >= 300 - 50 && d <= 300 + 50 + 20));
  });
});
