import assert from "node:assert/strict";
import { Simulation, latency, ProtocolError } from "../../../src/sim";
import type { Protocol } from "../../../src/sim/protocol";
import { stack } from "../../../src/protocols/stack";
import { pingPong } from "../../../src/protocols/ping-pong";
import { echo, scribbler, type Scribbled } from "./helpers";

describe("sim/protocol model: handlers, context, layering", () => {
  it("a message type without a handler is a run-time error naming the type and node", () => {
    const mute: Protocol<null, { type: "Hello"; n: number }> = { name: "mute", init: () => null, receive: { Hello: () => {} } };
    const sim = new Simulation({ seed: "nh", nodes: { A: echo, B: mute }, network: { latency: latency.constant(1) } });
    sim.request("A", { to: "B", n: 1 });
    sim.run();
    const sim2 = new Simulation({ seed: "nh", nodes: { A: mute, B: echo }, network: { latency: latency.constant(1) } });
    sim2.at(0, (s) => s.request("B", { to: "A", n: 1 }));
    const back: Protocol<null, { type: "Hello"; n: number }, { to: string }> = {
      name: "bounce", init: () => null, receive: { Hello: (_s, m, f, ctx) => ctx.send(f, { type: "Surprise" } as never) },
    };
    const sim3 = new Simulation({ seed: "nh", nodes: { A: echo, B: back }, network: { latency: latency.constant(1) } });
    sim3.request("A", { to: "B", n: 1 });
    assert.throws(() => sim3.run(), (e: Error) => e instanceof ProtocolError && /no handler for message type "Surprise"/.test(e.message) && /node A/.test(e.message) && /seed=nh/.test(e.message));
  });

  it("an exception in a handler names the handler, node, time and seed", () => {
    const bad: Protocol<null, { type: "Hello"; n: number }> = {
      name: "bad", init: () => null, receive: { Hello: () => { throw new Error("boom"); } },
    };
    const sim = new Simulation({ seed: "boom", nodes: { A: echo, B: bad }, network: { latency: latency.constant(2) } });
    sim.request("A", { to: "B", n: 1 });
    assert.throws(() => sim.run(), /receive\.Hello of protocol bad at node B threw at 2 ms \(seed=boom\): boom/);
  });

  it("messages are copied on send: a sender changing its object later does not change what is received", () => {
    const shared = { type: "Hello", n: 1 } as { type: "Hello"; n: number };
    const sender: Protocol<null, never, null> = {
      name: "sender", init: () => null, receive: {},
      request: (_s, _r, ctx) => { ctx.send("B", shared as never); shared.n = 2; },
    };
    const receiver: Protocol<null, { type: "Hello"; n: number }> = {
      name: "receiver", init: () => null, receive: { Hello: (_s, m, _f, ctx) => ctx.deliver(m.n) },
    };
    const sim = new Simulation({ seed: "copy", nodes: { A: sender, B: receiver } });
    sim.request("A", null);
    const trace = sim.run().trace;
    assert.deepEqual(trace.deliveries("B").map((d) => d.value), [1]);
    assert.equal((trace.ofKind("send")[0].msg as unknown as { n: number }).n, 1);
    // Nested values too (a flat message takes a shorter path than one with objects inside).
    type Nested = { type: "Nested"; inner: { k: number }; seen: Map<string, number[]> };
    const nested: Nested = { type: "Nested", inner: { k: 1 }, seen: new Map([["a", [1]]]) };
    const nestedSender: Protocol<null, never, null> = {
      name: "sender", init: () => null, receive: {},
      request: (_s, _r, ctx) => { ctx.send("B", nested as never); nested.inner.k = 2; nested.seen.get("a")!.push(2); },
    };
    const nestedReceiver: Protocol<null, Nested> = {
      name: "receiver", init: () => null, receive: { Nested: (_s, m, _f, ctx) => ctx.deliver([m.inner.k, m.seen.get("a")]) },
    };
    const sim2 = new Simulation({ seed: "copy", nodes: { A: nestedSender, B: nestedReceiver } });
    sim2.request("A", null);
    assert.deepEqual(sim2.run().trace.deliveries("B").map((d) => d.value), [[1, [1]]]);
  });

  it("a receiver owns the message it is handed: changing it changes neither the trace nor a duplicate", () => {
    for (const trace of [true, false]) {
      const sim = new Simulation({ seed: "own", nodes: ["A", "B"], protocol: scribbler, trace, network: { model: "fair-loss", duplicate: 0.99 } });
      sim.request("A", null);
      sim.run();
      assert.deepEqual(sim.state<{ seen: number[] }>("B").seen, [1, 1], `tracing ${trace}: both copies arrive as sent`);
      if (trace) {
        const recorded = sim.trace.events.filter((e) => e.kind === "send" || e.kind === "receive").map((e) => (e as unknown as { msg: Scribbled }).msg.n);
        assert.deepEqual(recorded, [1, 1, 1], "the trace shows the message as it was sent and received");
      }
    }
    // An adversary that delivers one message twice, and a request the handler changes.
    const twice = new Simulation({
      seed: "own", nodes: ["A", "B"], protocol: scribbler,
      network: { model: "arbitrary", adversary: () => [{ delayMs: 1 }, { delayMs: 2 }] },
    });
    twice.request("A", null);
    twice.run();
    assert.deepEqual(twice.state<{ seen: number[] }>("B").seen, [1, 1]);
    const keeper: Protocol<null, never, { n: number }> = { name: "keeper", init: () => null, receive: {}, request: (_s, r) => { r.n = 99; } };
    const asked = new Simulation({ seed: "own", nodes: ["A"], protocol: keeper });
    asked.request("A", { n: 1 });
    assert.deepEqual(asked.run().trace.ofKind("request").map((e) => e.request), [{ n: 1 }]);
  });

  it("a message that is not plain data is rejected, naming the path", () => {
    const p: Protocol<null, never, null> = {
      name: "fn-sender", init: () => null, receive: {},
      request: (_s, _r, ctx) => ctx.send("A", { type: "X", payload: { f: () => 1 } } as never),
    };
    const sim = new Simulation({ seed: "fn", nodes: ["A"], protocol: p });
    sim.request("A", null);
    assert.throws(() => sim.run(), /send\(msg\) at node A\.payload\.f: expected cloneable plain data/);
  });

  it("ctx.label annotates the event being handled; ctx.log adds a note", () => {
    const p: Protocol<null, { type: "Hello"; n: number }, null> = {
      name: "labeller", init: () => null,
      receive: { Hello: (_s, m, _f, ctx) => { ctx.label(`L=${m.n}`); ctx.log("got it"); } },
      request: (_s, _r, ctx) => { ctx.label("start"); ctx.send("B", { type: "Hello", n: 7 }); },
    };
    const sim = new Simulation({ seed: "lbl", nodes: ["A", "B"], protocol: p });
    sim.request("A", null);
    const trace = sim.run().trace;
    assert.equal(trace.ofKind("request")[0].label, "start");
    assert.equal(trace.ofKind("receive")[0].label, "L=7");
    assert.equal(trace.ofKind("log")[0].text, "got it");
  });

  it("periodic tasks run every everyMs of local time and restart after recovery", () => {
    const p: Protocol<{ n: number }, never> = {
      name: "beat", init: () => ({ n: 0 }), receive: {},
      periodically: { beat: { everyMs: 100, run: (s, ctx) => { s.n++; ctx.log(`beat ${s.n}`); } } },
    };
    const sim = new Simulation({ seed: "p", nodes: ["A"], protocol: p });
    sim.crash("A", 250, { recoverAtMs: 400 });
    sim.run({ untilMs: 1000 });
    const beats = sim.trace.ofKind("timer").map((t) => t.t);
    assert.deepEqual(beats, [100, 200, 500, 600, 700, 800, 900, 1000]);
  });

  it("cancelTimer stops a timer; starting a timer without a handler is an error", () => {
    const p: Protocol<null, never> = {
      name: "cancel", init: (ctx) => {
        const id = ctx.startTimer("t", 10);
        assert.equal(ctx.cancelTimer(id), true);
        assert.equal(ctx.cancelTimer(id), false);
        return null;
      },
      receive: {}, timers: { t: () => assert.fail("cancelled timer fired") },
    };
    new Simulation({ seed: "c", nodes: ["A"], protocol: p }).run();
    const q: Protocol<null, never> = { name: "nohandler", init: (ctx) => { ctx.startTimer("missing", 1); return null; }, receive: {} };
    assert.throws(() => new Simulation({ seed: "c", nodes: ["A"], protocol: q }).run(), /startTimer\("missing"\).*no timer handler/);
  });

  it("bounds: a run that never ends hits maxEvents with a clear error, not a hang", () => {
    const forever: Protocol<null, { type: "Loop" }> = {
      name: "forever", init: (ctx) => { ctx.send(ctx.nodeId === "A" ? "B" : "A", { type: "Loop" }); return null; },
      receive: { Loop: (_s, _m, from, ctx) => ctx.send(from, { type: "Loop" }) },
    };
    const sim = new Simulation({ seed: "loop", nodes: ["A", "B"], protocol: forever, limits: { maxEvents: 1000 } });
    assert.throws(() => sim.run(), /limits\.maxEvents=1000 reached.*seed=loop/);
    const sim2 = new Simulation({ seed: "loop", nodes: ["A", "B"], protocol: forever, limits: { maxTimeMs: 500 }, network: { latency: latency.constant(10) } });
    assert.throws(() => sim2.run(), /limits\.maxTimeMs=500 reached/);
    const sim3 = new Simulation({ seed: "loop", nodes: ["A", "B"], protocol: forever });
    const r = sim3.run({ untilMs: 100 });
    assert.equal(r.stoppedBecause, "until");
    assert.equal(r.endMs, 100);
    assert.throws(() => new Simulation({ seed: "loop", nodes: ["A", "B"], protocol: forever }).run({ maxEvents: 10 }), /run\(maxEvents\)=10 reached/);
  });

  it("a simulation can be run in steps (untilMs) and continued", () => {
    const whole = new Simulation({ seed: "steps", nodes: ["client", "server"], protocol: pingPong(), network: { model: "fair-loss", loss: 0.3 } });
    const parts = new Simulation({ seed: "steps", nodes: ["client", "server"], protocol: pingPong(), network: { model: "fair-loss", loss: 0.3 } });
    for (const s of [whole, parts]) for (let k = 0; k < 10; k++) s.request("client", { type: "ping", to: "server" }, k * 7);
    whole.run();
    parts.run({ untilMs: 20 });
    parts.run({ untilMs: 45 });
    parts.run();
    assert.equal(parts.trace.hash(), whole.trace.hash());
  });
});

describe("protocols/stack: layering ('send m via ...')", () => {
  type Env = { type: "Env"; seq: number; body: unknown };
  interface NumberingState { seq: number; seen: number[] }
  /** Lower layer: numbers each payload and delivers it upwards as it arrives. */
  const numbering: Protocol<NumberingState, Env, { to: string; body: { type: string } }> = {
    name: "numbering",
    init: () => ({ seq: 0, seen: [] }),
    receive: { Env: (s, m, from, ctx) => { s.seen.push(m.seq); ctx.deliver(m.body, from); } },
    request: (s, r, ctx) => { ctx.storage.set("seq", ++s.seq); ctx.send(r.to, { type: "Env", seq: s.seq, body: r.body }); },
    timers: { tick: (s, _d, ctx) => ctx.log(`lower tick ${s.seq}`) },
    recover: (ctx) => ({ seq: ctx.storage.get<number>("seq") ?? 0, seen: [] }),
  };
  type Chat = { type: "Chat"; text: string };
  /** Upper layer: chat messages sent via the numbering layer. */
  const chat: Protocol<{ heard: string[] }, Chat, { to: string; text: string }, { to: string; body: Chat }> = {
    name: "chat",
    init: (ctx) => { ctx.startTimer("tick", 5); return { heard: [] }; },
    receive: { Chat: (s, m, from, ctx) => { s.heard.push(`${from}:${m.text}`); ctx.deliver(m.text, from); } },
    request: (_s, r, ctx) => ctx.lower({ to: r.to, body: { type: "Chat", text: r.text } }),
    timers: { tick: (_s, _d, ctx) => ctx.log("upper tick") },
  };

  it("requests go down, deliveries come up, and the trace tells the layers apart", () => {
    const p = stack(chat, numbering);
    assert.equal(p.name, "chat/numbering");
    const sim = new Simulation({ seed: "stack", nodes: ["A", "B"], protocol: p, network: { latency: latency.constant(1) } });
    sim.request("A", { to: "B", text: "hi" }).request("A", { to: "B", text: "there" }, 1);
    const trace = sim.run().trace;
    assert.deepEqual(trace.deliveries("B").map((d) => [d.value, d.from, d.layer]), [["hi", "A", "chat"], ["there", "A", "chat"]]);
    assert.deepEqual(trace.deliveries("B", { layer: "numbering" }).map((d) => d.value), [{ type: "Chat", text: "hi" }, { type: "Chat", text: "there" }]);
    assert.ok(trace.ofKind("send").every((s) => s.layer === "numbering"));
    assert.deepEqual(sim.state<{ upper: { heard: string[] }; lower: NumberingState }>("B").lower.seen, [1, 2]);
    assert.deepEqual(trace.ofKind("timer").map((t) => t.name), ["chat.tick", "chat.tick"]);
    assert.deepEqual(sim.storage("A"), { "numbering.seq": 2 });
  });

  it("each layer recovers from its own storage; stacks nest", () => {
    const relay: Protocol<null, { type: "Wire"; inner: { type: string } }, { to: string; body: { type: string } }> = {
      name: "wire", init: () => null,
      receive: { Wire: (_s, m, from, ctx) => ctx.deliver(m.inner, from) },
      request: (_s, r, ctx) => ctx.send(r.to, { type: "Wire", inner: r.body }),
    };
    const numberingOverWire: Protocol<NumberingState, Env, { to: string; body: { type: string } }, { to: string; body: Env }> = {
      ...numbering,
      request: (s, r, ctx) => { ctx.storage.set("seq", ++s.seq); ctx.lower({ to: r.to, body: { type: "Env", seq: s.seq, body: r.body } }); },
    };
    const p = stack(chat, stack(numberingOverWire, relay));
    assert.equal(p.name, "chat/numbering/wire");
    const sim = new Simulation({ seed: "nest", nodes: ["A", "B"], protocol: p, network: { latency: latency.constant(1) } });
    sim.request("A", { to: "B", text: "one" }, 0).crash("A", 2, { recoverAtMs: 3 }).request("A", { to: "B", text: "two" }, 4);
    const trace = sim.run().trace;
    assert.deepEqual(trace.deliveries("B").map((d) => d.value), ["one", "two"]);
    assert.deepEqual(trace.deliveries("B", { layer: "numbering" }).length, 2);
    assert.deepEqual(trace.deliveries("B", { layer: "wire" }).length, 2);
    const envs = trace.ofKind("send").map((s) => (s.msg as unknown as { inner: Env }).inner.seq);
    assert.deepEqual(envs, [1, 2], "sequence number survived the crash in stable storage");
  });

  it("layers whose message types clash are rejected", () => {
    assert.throws(() => stack(numbering as never, numbering as never), /both layers handle message type "Env"/);
  });
});

describe("sim: scripted scenarios that react to events", () => {
  type Chat = { type: "Chat"; text: string };
  const chat: Protocol<{ heard: string[] }, Chat, { to: string; text: string }> = {
    name: "chat",
    init: () => ({ heard: [] }),
    receive: { Chat: (s, m, from, ctx) => { s.heard.push(m.text); ctx.deliver(m.text, from); } },
    request: (_s, r, ctx) => ctx.send(r.to, { type: "Chat", text: r.text }),
  };

  it("C answers A after it delivers m5, without working out send times by hand", () => {
    const sim = new Simulation({ seed: "react", nodes: ["A", "B", "C"], protocol: chat, network: { latency: latency.uniform(1, 30) } });
    sim.request("B", { to: "C", text: "m5" }, 3);
    let reactions = 0;
    sim.on((e) => e.kind === "deliver" && e.node === "C" && e.value === "m5", (s, e) => {
      reactions++;
      assert.equal(s.now, e.t, "the reaction runs at the instant of the event");
      s.request("C", { to: "A", text: "m7" });
    }, { once: true });
    const trace = sim.run().trace;
    assert.equal(reactions, 1);
    const delivered = trace.deliveries("C").find((d) => d.value === "m5")!;
    const request = trace.ofKind("request").find((r) => (r.request as { text: string }).text === "m7")!;
    assert.equal(request.t, delivered.t);
    assert.ok(request.i > delivered.i, "the request comes after the delivery it reacts to");
    assert.deepEqual(trace.deliveries("A").map((d) => d.value), ["m7"]);
  });

  it("a reaction without { once } fires at every match; stopping it ends that; tracing off is an error naming the option", () => {
    const sim = new Simulation({ seed: "react2", nodes: ["A", "B"], protocol: chat });
    let seen = 0;
    const stop = sim.on((e) => e.kind === "deliver", () => {
      seen++;
      if (seen === 2) stop();
    });
    for (let k = 0; k < 4; k++) sim.request("A", { to: "B", text: `x${k}` }, k);
    sim.run();
    assert.equal(seen, 2);
    const quiet = new Simulation({ seed: "react3", nodes: ["A"], protocol: chat, trace: false });
    assert.throws(() => quiet.on(() => true, () => {}), /on\(when\).*tracing on/);
  });
});

describe("sim: effects are data (applied after the handler returns)", () => {
  type Up = { type: "Up"; n: number };
  type Loop = { type: "Loop"; body: Up };
  /** Lower layer: hands every request straight back up, at the same node (like a broadcast's own copy). */
  const echoBack: Protocol<null, Loop, { body: Up }> = {
    name: "echo-back", init: () => null,
    receive: { Loop: () => {} },
    request: (_s, r, ctx) => ctx.deliver(r.body, ctx.nodeId),
  };
  interface UpState { sendSeq: number; seenAt: number[]; depth: number }

  it("a layer written in the slide's order sees its own state updated when its own message comes back", () => {
    const upper: Protocol<UpState, Up, null, { body: Up }> = {
      name: "upper",
      init: () => ({ sendSeq: 0, seenAt: [], depth: 0 }),
      request: (s, _r, ctx) => {
        s.depth++;
        ctx.lower({ body: { type: "Up", n: s.sendSeq } }); // "send (i, sendSeq, m) via ...", then
        s.sendSeq += 1; //                                      "sendSeq := sendSeq + 1"
        s.depth--;
      },
      receive: {
        Up: (s, m) => {
          assert.equal(s.depth, 0, "no handler runs inside another");
          s.seenAt.push(s.sendSeq - m.n);
        },
      },
    };
    const sim = new Simulation({ seed: "order", nodes: ["A"], protocol: stack(upper, echoBack) });
    sim.request("A", null).request("A", null);
    sim.run();
    assert.deepEqual(sim.state<{ upper: UpState }>("A").upper.seenAt, [1, 1]);
  });

  it("effects are applied in the order the handler asked for them; a crash loses memory, not storage", () => {
    const p: Protocol<{ n: number }, { type: "M"; k: number }, null> = {
      name: "ordered", init: (ctx) => ({ n: ctx.storage.get<number>("n") ?? 0 }),
      receive: { M: (_s, m, _f, ctx) => ctx.deliver(m.k) },
      request: (s, _r, ctx) => {
        ctx.log("first");
        ctx.send("B", { type: "M", k: 1 });
        ctx.deliver("local");
        ctx.send("B", { type: "M", k: 2 });
        s.n++;
        ctx.storage.set("n", s.n);
      },
    };
    const sim = new Simulation({ seed: "fx", nodes: ["A", "B"], protocol: p, network: { latency: latency.constant(5) } });
    sim.request("A", null, 0).crash("A", 1, { recoverAtMs: 2 });
    sim.at(1.5, (s) => assert.equal(s.state("A"), undefined, "a crashed node has no memory"));
    const trace = sim.run().trace;
    const atA = trace.at("A").filter((e) => e.t === 0).map((e) => e.kind);
    assert.deepEqual(atA, ["init", "request", "log", "send", "deliver", "send"]);
    assert.deepEqual(trace.deliveries("B").map((d) => d.value), [1, 2]);
    assert.deepEqual(sim.state("A"), { n: 1 }, "recovered from stable storage");
  });
});
