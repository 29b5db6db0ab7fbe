import assert from "node:assert/strict";
import { Simulation, byzantine, latency } from "../../../src/sim";
import type { Protocol } from "../../../src/sim/protocol";
import { sink, echo } from "./helpers";

interface Counter { count: number; boots: number }
type Tick = { type: "Tick" };
/** Counts ticks in memory; persists the count to stable storage; counts boots. */
const durableCounter: Protocol<Counter, Tick, { to: string }> = {
  name: "durable-counter",
  init: (ctx) => {
    ctx.storage.set("boots", 1);
    return { count: 0, boots: 1 };
  },
  receive: {
    Tick: (s, _m, _f, ctx) => {
      s.count++;
      ctx.storage.set("count", s.count);
    },
  },
  request: (_s, r, ctx) => ctx.send(r.to, { type: "Tick" }),
  recover: (ctx) => {
    const boots = (ctx.storage.get<number>("boots") ?? 0) + 1;
    ctx.storage.set("boots", boots);
    return { count: ctx.storage.get<number>("count") ?? 0, boots };
  },
};

describe("sim/nodes: node behaviour (lecture 2, 'System model: node behaviour')", () => {
  it("crash-stop: a crashed node receives nothing and its timers never fire", () => {
    const p: Protocol<{ fired: number }, { type: "Note"; n: number }, { to: string; n: number }> = {
      name: "timer-sink",
      init: (ctx) => {
        ctx.startTimer("t", 50);
        return { fired: 0 };
      },
      receive: { Note: (_s, m, from, ctx) => ctx.deliver(m.n, from) },
      request: (_s, r, ctx) => ctx.send(r.to, { type: "Note", n: r.n }),
      timers: { t: (s) => { s.fired++; } },
    };
    const sim = new Simulation({ seed: "cs", nodes: ["A", "B"], protocol: p, network: { latency: latency.constant(1) } });
    for (let n = 0; n < 20; n++) sim.request("A", { to: "B", n }, n * 5);
    sim.crash("B", 30);
    const trace = sim.run().trace;
    assert.deepEqual(trace.deliveries("B").map((d) => d.value), [0, 1, 2, 3, 4, 5]);
    assert.ok(trace.ofKind("drop").every((d) => d.reason === "crashed"));
    assert.equal(trace.ofKind("timer").filter((t) => t.node === "B").length, 0);
    assert.equal(trace.ofKind("timer").filter((t) => t.node === "A").length, 1);
    assert.equal(sim.isUp("B"), false);
  });

  it("crash-recovery: memory is lost, stable storage is kept, the recovery handler runs", () => {
    const sim = new Simulation({ seed: "cr", nodes: ["A", "B"], protocol: durableCounter, network: { latency: latency.constant(1) } });
    for (let n = 0; n < 10; n++) sim.request("A", { to: "B" }, n * 10);
    sim.crash("B", 35, { recoverAtMs: 55 });
    sim.run();
    // Ticks arriving at 1, 11, 21, 31 counted; 41, 51 lost while down; 61..91 counted after recovery.
    assert.deepEqual(sim.state<Counter>("B"), { count: 8, boots: 2 });
    assert.deepEqual(sim.storage("B"), { boots: 2, count: 8 });
    assert.equal(sim.trace.ofKind("recover").length, 1);
  });

  it("a protocol without a recovery handler restarts from init", () => {
    const sim = new Simulation({ seed: "cr2", nodes: ["A", "B"], protocol: echo, network: { latency: latency.constant(1) } });
    sim.request("A", { to: "B", n: 1 }, 0).crash("A", 5, { recoverAtMs: 6 });
    sim.run();
    assert.deepEqual(sim.state("A"), { got: [] });
  });

  it("a paused node does nothing until the pause ends; its messages wait", () => {
    const sim = new Simulation({ seed: "pause", nodes: ["A", "B"], protocol: sink, network: { latency: latency.constant(1) } });
    sim.pause("B", 5, 100);
    for (let n = 0; n < 10; n++) sim.request("A", { to: "B", n }, n * 2);
    const trace = sim.run().trace;
    const times = trace.deliveries("B").map((d) => [d.value, d.t]);
    assert.deepEqual(times.slice(0, 3), [[0, 1], [1, 3], [2, 105]]);
    assert.deepEqual(trace.deliveries("B").map((d) => d.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "order kept");
  });

  it("Byzantine: a node's behaviour is replaced by an arbitrary function", () => {
    const liar = byzantine("liar", (state, event, ctx) => {
      if (event.kind === "receive" && event.msg.type === "Hello") {
        ctx.send(event.from, { type: "Echo", n: -1 } as never);
        ctx.send(event.from, { type: "Echo", n: 666 } as never);
      }
    });
    const sim = new Simulation({ seed: "byz", nodes: { A: echo, B: liar }, network: { latency: latency.constant(1) } });
    sim.request("A", { to: "B", n: 5 }, 0);
    const trace = sim.run().trace;
    assert.deepEqual(trace.deliveries("A").map((d) => d.value), [-1, 666]);
  });
});

describe("sim/nodes: pauses and timers", () => {
  it("a timer due during a pause fires when the pause ends, and periodic tasks carry on", () => {
    const p: Protocol<null, never> = {
      name: "ticker", init: () => null, receive: {},
      periodically: { tick: { everyMs: 10, run: (_s, ctx) => ctx.deliver("tick") } },
    };
    const sim = new Simulation({ seed: "pt", nodes: ["A"], protocol: p });
    sim.pause("A", 25, 20);
    sim.run({ untilMs: 80 });
    assert.deepEqual(sim.trace.deliveries("A").map((d) => d.t), [10, 20, 45, 55, 65, 75]);
  });
});
