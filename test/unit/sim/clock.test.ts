import assert from "node:assert/strict";
import { PhysicalClock } from "../../../src/sim/clock";
import { Simulation } from "../../../src/sim";
import type { Protocol } from "../../../src/sim/protocol";

const DAY_MS = 86_400_000;

describe("sim/clock: physical clocks (lecture 3, quartz drift, NTP step and slew)", () => {
  it("Quartz clock error: 50 ppm drift is 4.32 s a day", () => {
    const c = new PhysicalClock("A", { driftPpm: 50 });
    assert.ok(Math.abs(c.timeOfDay(DAY_MS) - DAY_MS - 4320) < 1e-6);
    assert.ok(Math.abs(c.monotonic(DAY_MS) - DAY_MS - 4320) < 1e-6);
  });

  it("offset and epoch set what the time-of-day clock reads", () => {
    const c = new PhysicalClock("A", { offsetMs: -30, epochMs: 1_700_000_000_000 });
    assert.equal(c.timeOfDay(1000), 1_700_000_000_970);
    assert.equal(c.monotonic(1000), 1000);
  });

  it("a step moves time-of-day but not the monotonic clock", () => {
    const c = new PhysicalClock("A");
    c.step(1000, -250);
    assert.equal(c.timeOfDay(2000), 1750);
    assert.equal(c.monotonic(2000), 2000);
  });

  it("a slew at 500 ppm absorbs 100 ms in 200 s and then stops", () => {
    const c = new PhysicalClock("A");
    c.slew(0, 100);
    assert.equal(c.ratePpm(), 500);
    assert.ok(Math.abs(c.timeOfDay(100_000) - 100_050) < 1e-6, "halfway");
    assert.ok(Math.abs(c.timeOfDay(200_000) - 200_100) < 1e-6, "done");
    assert.ok(Math.abs(c.timeOfDay(300_000) - 300_100) < 1e-6, "no further change");
    assert.equal(c.ratePpm(), 0);
  });

  it("a negative slew runs the clock slow, and rejects rates over 500 ppm", () => {
    const c = new PhysicalClock("A", { driftPpm: 20 });
    c.slew(0, -10, 100);
    assert.equal(c.ratePpm(), -80);
    assert.ok(Math.abs(c.timeOfDay(100_000) - (100_000 + 2 - 10)) < 1e-6);
    assert.throws(() => c.slew(200_000, 5, 600), /at most 500 ppm/);
  });

  it("drift can vary with time (e.g. temperature), sampled every driftIntervalMs", () => {
    const c = new PhysicalClock("A", { driftPpm: (t) => (t < 1000 ? 100 : -100), driftIntervalMs: 1000 });
    assert.ok(Math.abs(c.timeOfDay(1000) - 1000.1) < 1e-9);
    assert.ok(Math.abs(c.timeOfDay(2000) - 2000) < 1e-9);
  });

  it("reading a clock in the past is an error", () => {
    const c = new PhysicalClock("A");
    c.timeOfDay(500);
    assert.throws(() => c.timeOfDay(100), /before its last reading/);
  });

  it("timers fire on the node's own clock: a fast clock times out early", () => {
    const timeoutAt: Record<string, number> = {};
    const p: Protocol<null, never> = {
      name: "timeout",
      init: (ctx) => {
        ctx.startTimer("t", 1_000_000);
        return null;
      },
      receive: {},
      timers: { t: (_s, _d, ctx) => { ctx.log("fired"); } },
    };
    const sim = new Simulation({ seed: 1, nodes: ["fast", "slow"], protocol: p, clocks: { fast: { driftPpm: 1000 }, slow: { driftPpm: -1000 } } });
    const trace = sim.run().trace;
    for (const e of trace.ofKind("timer")) timeoutAt[e.node] = e.t;
    assert.ok(Math.abs(timeoutAt.fast - 1_000_000 / 1.001) < 1e-6);
    assert.ok(Math.abs(timeoutAt.slow - 1_000_000 / 0.999) < 1e-6);
  });

  it("a slew started while a timer is pending re-plans it to its monotonic deadline", () => {
    const p: Protocol<null, never> = {
      name: "slew-timer",
      init: (ctx) => {
        ctx.startTimer("t", 10_000);
        ctx.clock.slew(5); // runs 500 ppm fast for 10 s: the timer's 10 s pass 5 ms sooner
        return null;
      },
      receive: {},
      timers: { t: (_s, _d, ctx) => ctx.log(`monotonic ${ctx.clock.monotonic()}`) },
    };
    const trace = new Simulation({ seed: 1, nodes: ["A"], protocol: p }).run().trace;
    const fired = trace.ofKind("timer")[0];
    assert.ok(Math.abs(fired.t - 10_000 / 1.0005) < 1e-6, `fired at ${fired.t}`);
    assert.equal(trace.ofKind("clock-slew").length, 1);
  });
});
