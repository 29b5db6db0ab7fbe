import assert from "node:assert/strict";
import { simulate, type Scenario } from "../../../src/sim";
import { pingPong } from "../../../src/protocols/ping-pong";
import { reliableBroadcastStack } from "../../../src/protocols/broadcast/stacks";

const base: Scenario = {
  seed: "scenario",
  nodes: ["A", "B", "C"],
  network: { model: "fair-loss", loss: 0.1, duplicate: 0.1, latencyMs: [1, 40], links: [{ from: "A", to: "C", latencyMs: 90 }] },
  requests: [
    { node: "A", atMs: 0, request: { type: "broadcast", m: "A0" } },
    { node: "B", atMs: 5, request: { type: "broadcast", m: "B0" } },
    { node: "C", atMs: 300, request: { type: "broadcast", m: "C0" } },
  ],
  faults: [
    { kind: "partition", groups: [["A"], ["B", "C"]], atMs: 1, healAtMs: 200 },
    { kind: "crash", node: "C", atMs: 250, recoverAtMs: 280 },
    { kind: "pause", node: "B", atMs: 100, durationMs: 30 },
    { kind: "cut", links: [["B", "A"]], atMs: 400, healAtMs: 450 },
    { kind: "clock-step", node: "A", atMs: 10, deltaMs: -5 },
  ],
  untilMs: 2000,
};

describe("sim/scenario: one format for every run", () => {
  it("runs every kind of fault on the schedule, and the same scenario gives the same trace", () => {
    const one = simulate(base, reliableBroadcastStack()).trace;
    const kinds = new Set(one.events.map((e) => e.kind));
    for (const kind of ["partition", "heal", "crash", "recover", "pause", "clock-step", "request", "deliver"]) assert.ok(kinds.has(kind as never), kind);
    const again = simulate(JSON.parse(JSON.stringify(base)), reliableBroadcastStack()).trace;
    assert.equal(again.hash(), one.hash(), "a scenario is plain JSON and replays byte for byte");
    // Reliable broadcast over the healed partition: every node that stays up delivers A0 and B0.
    for (const node of ["A", "B"]) assert.deepEqual(one.deliveries(node).map((d) => d.value).sort(), ["A0", "B0", "C0"]);
  });

  it("a protocol can be chosen per node, and prepare() adds reactions", () => {
    let reacted = 0;
    const { trace } = simulate(
      { seed: "per-node", nodes: ["client", "server"], requests: [{ node: "client", atMs: 0, request: { type: "ping", to: "server" } }], untilMs: 100 },
      () => pingPong(),
      { prepare: (sim) => void sim.on((e) => e.kind === "receive", () => reacted++) },
    );
    assert.ok(trace.ofKind("receive").length >= 1);
    assert.equal(reacted, trace.ofKind("receive").length);
  });

  it("congested links: fast periods of 1-3 ms and congested ones near the bound, per directed link", () => {
    const { trace } = simulate(
      { seed: "congested", nodes: ["A", "B"], network: { latencyMs: { congested: 200 } }, requests: Array.from({ length: 400 }, (_, k) => ({ node: "A", atMs: 5 * k, request: { type: "ping", to: "B" } })), untilMs: 3000 },
      pingPong(),
    );
    const latencies = trace.ofKind("receive").map((r) => r.t - trace.send(r.msgId)!.t);
    assert.ok(latencies.every((ms) => (ms >= 1 && ms <= 3) || (ms >= 195 && ms <= 200)), "fast or congested, nothing between");
    assert.ok(latencies.some((ms) => ms <= 3) && latencies.some((ms) => ms >= 195), "both kinds of period");
  });

  it("bad scenarios get an error naming the field", () => {
    const bad = (patch: Record<string, unknown>, pattern: RegExp) =>
      assert.throws(() => simulate({ ...base, ...patch } as Scenario, reliableBroadcastStack()), pattern);
    bad({ nodes: [] }, /scenario\.nodes.*non-empty/);
    bad({ requests: [{ node: "Z", atMs: 0, request: null }] }, /scenario\.requests\[0\]\.node.*A, B, C.*"Z"/);
    bad({ faults: [{ kind: "explode", node: "A", atMs: 0 }] }, /scenario\.faults\[0\]\.kind.*crash/);
    bad({ faults: [{ kind: "crash", node: "A", atMs: -1 }] }, /scenario\.faults\[0\]\.atMs/);
    bad({ faults: [{ kind: "crash", node: "A", atMs: 1, when: 3 }] }, /scenario\.faults\[0\]\.when.*unknown option/);
    bad({ network: { latencyMs: [5, 1] } }, /scenario\.network\.latencyMs.*min <= max/);
    bad({ network: { latencyMs: { congested: 0 } } }, /scenario\.network\.latencyMs\.congested/);
    bad({ network: { latencyMs: { jammed: 5 } } }, /scenario\.network\.latencyMs\.jammed.*unknown option/);
    bad({ extra: 1 }, /scenario\.extra.*unknown option/);
    bad({ untilMs: Number.NaN }, /scenario\.untilMs/);
  });
});
