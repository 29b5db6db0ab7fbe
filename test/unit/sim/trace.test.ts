import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { Simulation, Trace, latency } from "../../../src/sim";
import { pingPong } from "../../../src/protocols/ping-pong";
import { scenarioHash } from "./determinism-scenario";

function lossyRun(seed: string): Simulation {
  const sim = new Simulation({ seed, nodes: ["client", "server"], protocol: pingPong(), network: { model: "fair-loss", loss: 0.3, duplicate: 0.2, latency: latency.uniform(2, 9) } });
  for (let k = 0; k < 20; k++) sim.request("client", { type: "ping", to: "server" }, k * 4);
  sim.crash("server", 30, { recoverAtMs: 50 });
  sim.run();
  return sim;
}

describe("sim/trace: recording, queries, JSON, hashes", () => {
  it("records sends, receives, deliveries, drops, duplicates, timers, requests, crash and recovery", () => {
    const trace = lossyRun("kinds").trace;
    for (const kind of ["init", "request", "send", "receive", "deliver", "drop", "duplicate", "timer", "crash", "recover"] as const) {
      assert.ok(trace.ofKind(kind).length > 0, `no ${kind} events`);
    }
    trace.events.forEach((e, k) => {
      assert.equal(e.i, k);
      if (k > 0) assert.ok(e.t >= trace.events[k - 1].t, "events are in time order");
    });
  });

  it("queries: deliveries, messages between nodes, sends and receives of a message", () => {
    const trace = lossyRun("queries").trace;
    const values = trace.deliveries("client").map((d) => d.value as number).sort((a, b) => a - b);
    assert.deepEqual(values, Array.from({ length: 20 }, (_v, k) => k + 1), "every ping answered once despite loss and duplication");
    assert.ok(trace.deliveries().every((d) => d.node === "client"));
    const pings = trace.messagesBetween("client", "server");
    assert.ok(pings.length >= 20 && pings.every((s) => s.msg.type === "Ping"));
    const first = pings[0];
    assert.equal(trace.send(first.msgId), first);
    for (const r of trace.receives(first.msgId)) assert.equal(r.msgId, first.msgId);
    assert.ok(trace.at("server").every((e) => "node" in e && e.node === "server"));
  });

  it("JSON round-trip gives an equal trace and the same hash; Map and Set survive", () => {
    const trace = lossyRun("json").trace;
    const back = Trace.fromJSON(trace.toJSON());
    assert.equal(back.toJSON(), trace.toJSON());
    assert.equal(back.hash(), trace.hash());
    assert.deepEqual(back.events, trace.events);
    const withMap = new Trace({ seed: "s", nodes: ["A"] }, [{ i: 0, kind: "deliver", t: 0, node: "A", local: 0, value: { m: new Map([["x", new Set([1, 2])]]) }, layer: "l", app: true }]);
    assert.deepEqual(Trace.fromJSON(withMap.toJSON()).events[0], withMap.events[0]);
  });

  it("fromJSON rejects what is not a trace, saying why", () => {
    assert.throws(() => Trace.fromJSON("{"), /not valid JSON/);
    assert.throws(() => Trace.fromJSON('{"format":"x"}'), /expected format "ds-kit-trace\/1"/);
    assert.throws(() => Trace.fromJSON('{"format":"ds-kit-trace/1","seed":"s","nodes":["A"],"events":[{"i":3,"kind":"send","t":0}]}'), /events\[0\] must have i=0/);
  });

  it("the same seed gives a byte-identical trace; another seed a different one", () => {
    assert.equal(lossyRun("same").trace.toJSON(), lossyRun("same").trace.toJSON());
    assert.notEqual(lossyRun("same").trace.hash(), lossyRun("other").trace.hash());
  });

  it("determinism: 100 seeds give identical hashes in this process and in a fresh one", function () {
    this.timeout(60_000);
    const here = Array.from({ length: 100 }, (_v, seed) => scenarioHash(seed));
    assert.equal(new Set(here).size, 100, "different seeds give different traces");
    const script = path.join(__dirname, "determinism-scenario.ts");
    const tsx = require.resolve("tsx/cli");
    const there = execFileSync(process.execPath, [tsx, script, "100"], { encoding: "utf8" }).trim().split("\n");
    assert.deepEqual(there, here);
  });

  it("tracing off changes nothing that the protocol sees", () => {
    const run = (trace: boolean) => {
      const sim = new Simulation({ seed: "off", trace, nodes: ["client", "server"], protocol: pingPong(), network: { model: "fair-loss", loss: 0.3 } });
      for (let k = 0; k < 20; k++) sim.request("client", { type: "ping", to: "server" }, k * 4);
      sim.run();
      return { state: sim.state("client"), events: sim.trace.length };
    };
    const on = run(true);
    const off = run(false);
    assert.deepEqual(off.state, on.state);
    assert.equal(off.events, 0);
    assert.ok(on.events > 0);
  });
});

describe("sim/trace: atLayer, the run as one layer of a stack sees it", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { simulate } = require("../../../src/sim") as typeof import("../../../src/sim");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fifoBroadcastStack } = require("../../../src/protocols/broadcast/stacks") as typeof import("../../../src/protocols/broadcast/stacks");

  it("FIFO broadcast over a lossy network: one arrow per broadcast message, none of the link's", () => {
    const { trace } = simulate({
      seed: "layers",
      nodes: ["A", "B", "C"],
      network: { model: "fair-loss", loss: 0.3, duplicate: 0.2, latencyMs: [1, 30] },
      requests: [0, 1, 2].map((k) => ({ node: "A", atMs: k, request: { type: "broadcast", m: `A${k}` } })),
      untilMs: 2000,
    }, fifoBroadcastStack());
    const raw = trace.ofKind("send").map((s) => s.msg.type);
    assert.ok(raw.includes("RlAck") && raw.filter((t) => t === "RlData").length > 6, "the full trace has the link's traffic");
    const view = trace.atLayer("fifo-broadcast");
    assert.deepEqual([...new Set(view.ofKind("send").map((s) => s.msg.type))], ["FifoMsg"], "only what reliable broadcast hands to the FIFO layer");
    // Each of A0..A2 is handed to the FIFO layer once at B and once at C (from A, or relayed by the other).
    const receives = view.ofKind("receive");
    for (const node of ["B", "C"]) {
      const got = receives.filter((r) => r.node === node).map((r) => (r.msg as unknown as { m: string }).m).sort();
      assert.deepEqual(got, ["A0", "A1", "A2"]);
    }
    for (const r of receives) {
      const send = view.send(r.msgId);
      assert.ok(send !== undefined && send.t <= r.t && send.node === r.from, "every arrow starts at a send before it");
    }
    assert.deepEqual(view.deliveries("B").map((d) => d.value), trace.deliveries("B").map((d) => d.value), "deliveries to the application are kept");
    view.events.forEach((e, i) => assert.equal(e.i, i));
    assert.throws(() => trace.atLayer("paxos"), /no node runs that layer.*fifo-broadcast, eager-reliable-broadcast, reliable-link/);
  });
});
