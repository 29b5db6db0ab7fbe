import assert from "node:assert/strict";
import { Simulation, latency, SimulationInputError, type SimulationOptions } from "../../../src/sim";
import type { Protocol } from "../../../src/sim/protocol";
import { PhysicalClock } from "../../../src/sim/clock";
import { sink } from "./helpers";

const base = (): SimulationOptions => ({ seed: "bad", nodes: ["A", "B"], protocol: sink });
const sim = () => new Simulation(base());

/** Each case: what it does, the code, and what the error must name. */
const cases: [string, () => unknown, RegExp][] = [
  ["options not an object", () => new Simulation(undefined as never), /options: expected an options object/],
  ["unknown option", () => new Simulation({ ...base(), speed: 3 } as never), /options\.speed: unknown option/],
  ["seed missing", () => new Simulation({ ...base(), seed: undefined as never }), /seed: expected a non-empty string, got undefined/],
  ["seed NaN", () => new Simulation({ ...base(), seed: Number.NaN }), /seed: expected a finite number or a string, got NaN/],
  ["no nodes", () => new Simulation({ ...base(), nodes: [] }), /nodes: expected at least one node/],
  ["duplicate node ids", () => new Simulation({ ...base(), nodes: ["A", "B", "A"] }), /nodes\[2\]: duplicate node id, got "A"/],
  ["empty node id", () => new Simulation({ ...base(), nodes: ["A", ""] }), /nodes\[1\]: expected a non-empty string node id/],
  ["node list without protocol", () => new Simulation({ seed: "s", nodes: ["A"] }), /protocol: expected a protocol/],
  ["protocol without init", () => new Simulation({ seed: "s", nodes: ["A"], protocol: { name: "p", receive: {} } as never }), /protocol of node A \(p\)\.init: expected a function/],
  ["protocol handler not a function", () => new Simulation({ seed: "s", nodes: ["A"], protocol: { name: "p", init: () => null, receive: { X: 3 } } as never }), /receive\.X: expected a handler function, got 3/],
  ["network model unknown", () => new Simulation({ ...base(), network: { model: "lossy" as never } }), /network\.model: expected one of "reliable", "fair-loss", "arbitrary", got "lossy"/],
  ["loss above 1", () => new Simulation({ ...base(), network: { model: "fair-loss", loss: 1.5 } }), /network\.loss: expected a probability in \[0, 1\], got 1\.5/],
  ["negative duplicate probability", () => new Simulation({ ...base(), network: { model: "fair-loss", duplicate: -0.1 } }), /network\.duplicate: expected a probability in \[0, 1\], got -0\.1/],
  ["loss NaN", () => new Simulation({ ...base(), network: { model: "fair-loss", loss: Number.NaN } }), /network\.loss: expected a finite number, got NaN/],
  ["loss on a reliable link", () => new Simulation({ ...base(), network: { loss: 0.1 } }), /network\.loss: reliable links neither lose nor duplicate/],
  ["arbitrary without adversary", () => new Simulation({ ...base(), network: { model: "arbitrary" } }), /network\.adversary: expected a function, got undefined/],
  ["adversary on a fair-loss link", () => new Simulation({ ...base(), network: { model: "fair-loss", adversary: () => undefined } }), /network\.adversary: an adversary needs network\.model "arbitrary"/],
  ["latency not a model", () => new Simulation({ ...base(), network: { latency: 5 as never } }), /network\.latency: expected a latency model/],
  ["negative constant latency", () => latency.constant(-1), /latency\.constant\(ms\): expected a number >= 0, got -1/],
  ["NaN uniform latency", () => latency.uniform(Number.NaN, 3), /latency\.uniform\(minMs\): expected a finite number, got NaN/],
  ["uniform max below min", () => latency.uniform(5, 2), /latency\.uniform\(maxMs\): expected >= minMs \(5\), got 2/],
  ["exponential mean zero", () => latency.exponential(0), /latency\.exponential\(meanMs\): expected a number > 0, got 0/],
  ["log-normal negative sigma", () => latency.logNormal(10, -1), /latency\.logNormal\(sigma\): expected a number >= 0, got -1/],
  ["user latency returns negative", () => { const s = new Simulation({ ...base(), network: { latency: latency.fn(() => -3, "broken") } }); s.request("A", { to: "B", n: 1 }); s.run(); }, /latency broken for A->B: expected a finite delay >= 0 ms, got -3/],
  ["per-link override for unknown node", () => new Simulation({ ...base(), network: { links: [{ from: "A", to: "Z", latency: latency.constant(1) }] } }), /network\.links\[0\]\.to: expected a known node id, got "Z"/],
  ["timing model unknown", () => new Simulation({ ...base(), timing: { model: "eventually" } as never }), /timing\.model: expected one of/],
  ["partial synchrony without GST", () => new Simulation({ ...base(), timing: { model: "partially-synchronous" } as never }), /timing\.gstMs: expected a finite number, got undefined/],
  ["synchronous bound zero", () => new Simulation({ ...base(), timing: { model: "synchronous", latencyMsMax: 0 } }), /timing\.latencyMsMax: expected a number > 0, got 0/],
  ["clock for unknown node", () => new Simulation({ ...base(), clocks: { Q: { driftPpm: 3 } } }), /clocks\.Q: expected a known node id/],
  ["clock drift NaN", () => new Simulation({ ...base(), clocks: { A: { driftPpm: Number.NaN } } }), /clocks\.A\.driftPpm: expected a finite number, got NaN/],
  ["clock offset infinite", () => new PhysicalClock("A", { offsetMs: Infinity }), /clocks\.A\.offsetMs: expected a finite number, got Infinity/],
  ["drift function returns a string", () => new PhysicalClock("A", { driftPpm: (() => "fast") as never }), /clocks\.A\.driftPpm\(0\): expected a finite number, got "fast"/],
  ["limits.maxEvents fractional", () => new Simulation({ ...base(), limits: { maxEvents: 1.5 } }), /limits\.maxEvents: expected an integer > 0, got 1\.5/],
  ["trace not boolean", () => new Simulation({ ...base(), trace: "yes" as never }), /trace: expected true or false, got "yes"/],
  ["request to unknown node", () => sim().request("Z", {}), /request\(node\): expected a known node id \(nodes: A, B\), got "Z"/],
  ["request in the past", () => { const s = sim(); s.run({ untilMs: 10 }); s.request("A", { to: "B", n: 1 }, 5); }, /request\(atMs\): expected a time >= now \(10 ms\), got 5/],
  ["request at negative time", () => sim().request("A", {}, -1), /request\(atMs\): expected a number >= 0, got -1/],
  ["request not cloneable", () => sim().request("A", { f: () => 1 }), /request\.f: expected cloneable plain data/],
  ["crash of unknown node", () => sim().crash("Z", 1), /crash\(node\): expected a known node id/],
  ["recovery before crash", () => sim().crash("A", 10, { recoverAtMs: 5 }), /crash\(options\.recoverAtMs\): expected a time after the crash at 10 ms, got 5/],
  ["partition with unknown node", () => sim().partition({ groups: [["A"], ["Z"]], atMs: 0 }), /partition\.groups\[1\]\[0\]: expected a known node id/],
  ["partition node in two groups", () => sim().partition({ groups: [["A", "B"], ["B"]], atMs: 0 }), /partition\.groups\[1\]\[0\]: node is in two groups, got "B"/],
  ["partition with one group", () => sim().partition({ groups: [["A", "B"]], atMs: 0 }), /partition\.groups: expected at least two groups/],
  ["partition with groups and cut", () => sim().partition({ groups: [["A"], ["B"]], cut: [["A", "B"]], atMs: 0 }), /partition: expected exactly one of groups or cut/],
  ["cut link not a pair", () => sim().partition({ cut: [["A"]] as never, atMs: 0 }), /partition\.cut\[0\]: expected a \[from, to\] pair/],
  ["heal before partition", () => sim().partition({ groups: [["A"], ["B"]], atMs: 10, healAtMs: 10 }), /partition\.healAtMs: expected a time after atMs \(10\), got 10/],
  ["pause with negative duration", () => sim().pause("A", 0, -5), /pause\(durationMs\): expected a number >= 0, got -5/],
  ["run untilMs NaN", () => sim().run({ untilMs: Number.NaN }), /run\(untilMs\): expected a finite number, got NaN/],
  ["send to unknown node", () => {
    const p: Protocol<null, never, null> = { name: "p", init: () => null, receive: {}, request: (_s, _r, ctx) => ctx.send("Z", { type: "X" } as never) };
    const s = new Simulation({ seed: "s", nodes: ["A"], protocol: p }); s.request("A", null); s.run();
  }, /send\(to\) at node A: expected a known node id \(nodes: A\), got "Z"/],
  ["send a message without a type", () => {
    const p: Protocol<null, never, null> = { name: "p", init: () => null, receive: {}, request: (_s, _r, ctx) => ctx.send("A", { kind: "X" } as never) };
    const s = new Simulation({ seed: "s", nodes: ["A"], protocol: p }); s.request("A", null); s.run();
  }, /send\(msg\) at node A: expected a message object with a string field type/],
  ["timer with infinite delay", () => {
    const p: Protocol<null, never> = { name: "p", init: (ctx) => { ctx.startTimer("t", Infinity); return null; }, receive: {}, timers: { t: () => {} } };
    new Simulation({ seed: "s", nodes: ["A"], protocol: p }).run();
  }, /startTimer\("t"\)\.delayMs at node A: expected a finite number >= 0, got Infinity/],
  ["timer with NaN delay", () => {
    const p: Protocol<null, never> = { name: "p", init: (ctx) => { ctx.startTimer("t", Number.NaN); return null; }, receive: {}, timers: { t: () => {} } };
    new Simulation({ seed: "s", nodes: ["A"], protocol: p }).run();
  }, /startTimer\("t"\)\.delayMs at node A: expected a finite number >= 0, got NaN/],
  ["periodic task with zero period", () => {
    const p: Protocol<null, never> = { name: "p", init: () => null, receive: {}, periodically: { beat: { everyMs: 0, run: () => {} } } };
    new Simulation({ seed: "s", nodes: ["A"], protocol: p }).run();
  }, /periodically\.beat\.everyMs: expected a finite number > 0, got 0/],
  ["stored value not cloneable", () => {
    const p: Protocol<null, never> = { name: "p", init: (ctx) => { ctx.storage.set("k", new (class Box {})()); return null; }, receive: {} };
    new Simulation({ seed: "s", nodes: ["A"], protocol: p }).run();
  }, /storage\.set\("k"\): expected cloneable plain data \(got an instance of Box\)/],
  ["slew beyond NTP's limit", () => {
    const p: Protocol<null, never> = { name: "p", init: (ctx) => { ctx.clock.slew(10, 1000); return null; }, receive: {} };
    new Simulation({ seed: "s", nodes: ["A"], protocol: p }).run();
  }, /clock\.slew\(ratePpm\): expected at most 500 ppm/],
];

describe("sim: bad input gets an error naming the field and the value", () => {
  it(`covers at least 30 cases (has ${cases.length})`, () => assert.ok(cases.length >= 30));
  for (const [what, fn, message] of cases) {
    it(what, () => {
      assert.throws(fn, (error: Error) => {
        assert.match(error.message, message);
        return true;
      });
    });
  }
  it("input errors are SimulationInputError with field and value", () => {
    try {
      new Simulation({ ...base(), network: { model: "fair-loss", loss: 2 } });
      assert.fail("no error");
    } catch (error) {
      assert.ok(error instanceof SimulationInputError);
      assert.equal(error.field, "network.loss");
      assert.equal(error.value, 2);
    }
  });
});

describe("sim: a message type that names an Object.prototype member is not a handler", () => {
  it("a message of type \"constructor\" or \"toString\" is an error naming the type, not a call of Object's method", () => {
    for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const p = {
        name: "proto-types", init: () => null, receive: { Hello: () => {} },
        request: (_s: unknown, _r: unknown, ctx: { send(to: string, m: unknown): void }) => ctx.send("B", { type }),
      };
      const sim = new Simulation({ seed: "proto", nodes: ["A", "B"], protocol: p as never });
      sim.request("A", null);
      assert.throws(() => sim.run(), (e: Error) => e.message.includes(`has no handler for message type ${JSON.stringify(type)}`) && /seed=proto/.test(e.message), type);
    }
  });
});
