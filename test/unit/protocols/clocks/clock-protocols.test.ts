import assert from "node:assert/strict";
import { HappensBefore } from "../../../../src/checks/happens-before";
import { lamportClock } from "../../../../src/protocols/clocks/lamport-protocol";
import { ntp } from "../../../../src/protocols/clocks/ntp-protocol";
import { formatVector } from "../../../../src/protocols/clocks/vector";
import { compare as compareVectorClocks, createVectorClock, receive as vectorReceive } from "../../../../src/protocols/clocks/vector-clock";
import { vectorClock, type VectorClockMsg, type VectorClockRequest, type VectorClockState } from "../../../../src/protocols/clocks/vector-protocol";
import { Simulation, Trace, latency, type Protocol } from "../../../../src/sim";
import { bestEffortBroadcast } from "../../../../src/protocols/broadcast/best-effort";
import { stack } from "../../../../src/protocols/stack";

const NODES = ["A", "B", "C"];
const SEEDS = Array.from({ length: 50 }, (_, k) => `clocks-${k}`);

/** Random sends and local events among three nodes, over a fair-loss network with duplicates. */
function randomRun(seed: string, protocol: Protocol<any, any, any>): Trace {
  const sim = new Simulation({
    seed,
    nodes: NODES,
    protocol,
    network: { model: "fair-loss", latency: latency.uniform(1, 20), loss: 0.1, duplicate: 0.1 },
  });
  let x = [...seed].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 2147483647, 7);
  const next = () => (x = (x * 48271) % 2147483647);
  for (let k = 0; k < 30; k++) {
    const node = NODES[next() % 3]!;
    const atMs = (next() % 2000) / 10;
    if (next() % 3 === 0) sim.request(node, { type: "event" }, atMs);
    else sim.request(node, { type: "send", to: NODES[next() % 3]!, m: `m${k}` }, atMs);
  }
  return sim.run({ untilMs: 1000 }).trace;
}

/** The labelled events (requests and receives) with their parsed label. */
function labelled(trace: Trace): { i: number; label: string }[] {
  return trace.events.filter((e) => "label" in e && typeof e.label === "string").map((e) => ({ i: e.i, label: (e as { label: string }).label }));
}

function parseVector(label: string): number[] {
  return label.replace(/[<>]/g, "").split(",").map((s) => Number(s.trim()));
}

/** Slide "Vector clocks ordering": V(a) < V(b) iff a -> b, V(a) = V(b) iff a = b, || iff ||. */
function vectorPropertyHolds(trace: Trace): boolean {
  const hb = new HappensBefore(trace);
  const events = labelled(trace);
  for (const a of events) {
    for (const b of events) {
      const order = compareVectorClocks(parseVector(a.label), parseVector(b.label));
      const expected = a.i === b.i ? "equal" : hb.happensBefore(a.i, b.i) ? "before" : hb.happensBefore(b.i, a.i) ? "after" : "concurrent";
      if (order !== expected) return false;
    }
  }
  return true;
}

/** A deliberately broken vector clock: merges on receipt but forgets T[i] := T[i] + 1. */
function vectorClockWithoutIncrement(): Protocol<VectorClockState, VectorClockMsg, VectorClockRequest> {
  const good = vectorClock();
  return {
    ...good,
    name: "vector-clock-broken",
    receive: {
      VectorMsg: (state, msg, from, ctx) => {
        state.T = state.T.map((t, j) => Math.max(t, msg.T[j]!)); // BUG: no tick
        ctx.label(formatVector(state.T));
        ctx.deliver(msg.m, from);
      },
    },
  };
}

describe("clock protocols in the simulator (lectures 3 and 4)", () => {
  it("Lamport clocks in words: if a -> b then L(a) < L(b), over 50 seeds with loss and duplication", () => {
    let pairs = 0;
    for (const seed of SEEDS) {
      const trace = randomRun(seed, lamportClock());
      const hb = new HappensBefore(trace);
      const events = labelled(trace).map((e) => ({ i: e.i, L: Number(/^\((\d+), /.exec(e.label)![1]) }));
      assert.ok(events.length >= 30, "every request and receive is labelled");
      for (const a of events) {
        for (const b of events) {
          if (!hb.happensBefore(a.i, b.i)) continue;
          pairs += 1;
          assert.ok(a.L < b.L, `seed ${seed}: event ${a.i} -> ${b.i} but L = ${a.L}, ${b.L}`);
        }
      }
    }
    assert.ok(pairs > 1000, `checked ${pairs} related pairs`);
  });

  it("Lamport clocks in words: L(a) < L(b) does not imply a -> b (some seed shows it)", () => {
    const found = SEEDS.some((seed) => {
      const trace = randomRun(seed, lamportClock());
      const hb = new HappensBefore(trace);
      const events = labelled(trace).map((e) => ({ i: e.i, L: Number(/^\((\d+), /.exec(e.label)![1]) }));
      return events.some((a) => events.some((b) => a.L < b.L && hb.concurrent(a.i, b.i)));
    });
    assert.ok(found);
  });

  it("Vector clocks ordering: V(a) < V(b) iff a -> b, and = iff a = b, over 50 seeds", () => {
    for (const seed of SEEDS) assert.ok(vectorPropertyHolds(randomRun(seed, vectorClock())), `seed ${seed}`);
  });

  it("Vector clocks algorithm: a merge without incrementing T[i] is caught (two events get equal vectors)", () => {
    const broken = SEEDS.filter((seed) => !vectorPropertyHolds(randomRun(seed, vectorClockWithoutIncrement())));
    assert.ok(broken.length > 0, "some seed exposes the missing increment");
  });

  it("Vector clocks example: a local event, a send and a receive are labelled <1,0,0>, <2,0,0>, <2,1,0>", () => {
    const sim = new Simulation({ seed: "vc", nodes: NODES, protocol: vectorClock(), network: { model: "reliable", latency: latency.constant(5) } });
    sim.request("A", { type: "event" }, 0);
    sim.request("A", { type: "send", to: "B", m: "m1" }, 1);
    const trace = sim.run({ untilMs: 100 }).trace;
    assert.deepEqual(labelled(trace).map((e) => e.label), ["<1, 0, 0>", "<2, 0, 0>", "<2, 1, 0>"]);
    // The same timestamps as data, surviving a JSON round trip (no label parsing needed).
    assert.deepEqual(trace.annotated<number[]>("vector").map((a) => a.value), [[1, 0, 0], [2, 0, 0], [2, 1, 0]]);
    const reloaded = Trace.fromJSON(trace.toJSON());
    const receipt = reloaded.ofKind("receive")[0]!;
    assert.deepEqual(reloaded.annotation(receipt.i, "vector"), [2, 1, 0]);
    assert.equal(trace.deliveries("B")[0]!.value, "m1");
    // and the pure functions agree
    assert.deepEqual(vectorReceive(createVectorClock(NODES, "B"), [2, 0, 0]), [2, 1, 0]);
  });
});

describe("clock layers under other protocols", () => {
  it("Lamport clocks algorithm under best-effort broadcast: every message carries t and every receipt is labelled", () => {
    const sim = new Simulation({ seed: "lamport-beb", nodes: NODES, protocol: stack(bestEffortBroadcast(), lamportClock()), network: { model: "reliable", latency: latency.uniform(1, 10) } });
    sim.request("A", { type: "broadcast", m: "m1" }, 0);
    sim.request("B", { type: "broadcast", m: "m2" }, 30);
    const trace = sim.run({ untilMs: 100 }).trace;
    const sent = trace.ofKind("send").map((e) => e.msg as { type: string; t: number });
    assert.deepEqual(sent.map((m) => [m.type, m.t]), [["LamportMsg", 1], ["LamportMsg", 2], ["LamportMsg", 3], ["LamportMsg", 4]]);
    assert.deepEqual(trace.deliveries("C").map((d) => d.value), ["m1", "m2"]);
    assert.deepEqual(trace.ofKind("receive").filter((e) => e.node === "C").map((e) => e.label), ["(3, C)", "(5, C)"]); // A sent t=1 to B, t=2 to C; B (t=2) sent t=3 to A, t=4 to C
  });
});

describe("NTP client and server in the simulator (lecture 3)", () => {
  function runNtp(offsetMs: number, untilMs: number) {
    const sim = new Simulation({
      seed: `ntp-${offsetMs}`,
      nodes: ["S", "C"],
      protocol: ntp({ server: "S", pollMs: 1000 }),
      network: { model: "reliable", latency: latency.uniform(5, 15) },
      clocks: { C: { offsetMs } },
    });
    return sim.run({ untilMs }).trace;
  }
  /** Client clock minus server clock at the end (no drift configured, so local - t is the offset). */
  function finalSkew(trace: Trace): number {
    const last = (node: string) => trace.at(node).filter((e) => "local" in e).pop() as { t: number; local: number };
    const c = last("C");
    const s = last("S");
    return c.local - c.t - (s.local - s.t);
  }

  it("Correcting clock skew: a 50 ms skew is slewed, never stepped, and shrinks", () => {
    const trace = runNtp(50, 200_000); // 50 ms at 500 ppm takes 100 s
    assert.equal(trace.ofKind("clock-step").length, 0);
    const slews = trace.ofKind("clock-slew");
    assert.ok(slews.length > 0);
    assert.ok(Math.abs(slews[0]!.deltaMs + 50) <= 10, `first slew ${slews[0]!.deltaMs} ≈ -50 within delta/2`);
    assert.ok(Math.abs(finalSkew(trace)) < 10, `final skew ${finalSkew(trace)}`);
  });

  it("Correcting clock skew: a 500 ms skew is stepped once, then kept in sync by slewing", () => {
    const trace = runNtp(500, 60_000);
    const steps = trace.ofKind("clock-step");
    assert.equal(steps.length, 1);
    assert.ok(Math.abs(steps[0]!.deltaMs + 500) <= 10, `step ${steps[0]!.deltaMs} ≈ -500`);
    assert.ok(trace.ofKind("clock-slew").length > 10);
    assert.ok(Math.abs(finalSkew(trace)) < 10, `final skew ${finalSkew(trace)}`);
  });

  it("Correcting clock skew: a skew of 2000 s makes NTP panic and leave the clock alone", () => {
    const trace = runNtp(2_000_000, 5_000);
    assert.equal(trace.ofKind("clock-step").length + trace.ofKind("clock-slew").length, 0);
    assert.ok(trace.ofKind("log").some((e) => /NTP panic/.test(e.text)));
    assert.ok(Math.abs(finalSkew(trace) - 2_000_000) < 1);
  });

  it("validates its options, naming them", () => {
    assert.throws(() => ntp({ server: "S", pollMs: 0 }), /pollMs must be a positive number/);
    assert.throws(() => ntp({ server: "S", samplesPerUpdate: 1.5 }), /samplesPerUpdate/);
    assert.throws(() => new Simulation({ seed: 1, nodes: ["A"], protocol: ntp({ server: "Z" }) }).run({ untilMs: 10 }), /server Z is not one of the nodes/);
  });
});
