import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../../src/sim";
import { likesCounter, likesSet, retryingClient, type Applied, type RetryPolicy } from "../../../../src/protocols/replication/likes";

/** 20 users like the post, one every 20 ms, over a network that loses `loss` of the messages. */
function likes(seed: string, replica: "counter" | "set", policy: RetryPolicy, loss: number) {
  const sim = new Simulation({
    seed,
    nodes: { client: retryingClient({ policy, timeoutMs: 80 }), db: replica === "counter" ? likesCounter() : likesSet() },
    network: { model: "fair-loss", latency: latency.uniform(5, 30), loss, duplicate: 0 },
  });
  for (let u = 0; u < 20; u++) sim.request("client", { type: "update", to: "db", update: { op: "like", userId: `u${u}` } }, u * 20);
  const result = sim.run({ untilMs: 20_000 });
  const state = sim.state<{ likeCount?: number; likeSet?: Set<string> }>("db");
  return { trace: result.trace, likes: state.likeCount ?? state.likeSet!.size, applied: result.trace.deliveries("db").length };
}

describe("replication: retrying state updates (likes counter and likes set)", () => {
  it("Idempotence: over a reliable network every policy and replica counts 20 likes", () => {
    for (const replica of ["counter", "set"] as const) {
      for (const policy of ["at-most-once", "at-least-once"] as const) assert.equal(likes("reliable", replica, policy, 0).likes, 20, `${replica} ${policy}`);
    }
  });

  it("Retrying state updates: at-most-once loses likes, at-least-once over the counter counts some twice, over the set exactly 20", () => {
    let lost = 0;
    let doubled = 0;
    for (let s = 0; s < 20; s++) {
      const seed = `likes-${s}`;
      const atMost = likes(seed, "counter", "at-most-once", 0.3);
      const atLeastCounter = likes(seed, "counter", "at-least-once", 0.3);
      const atLeastSet = likes(seed, "set", "at-least-once", 0.3);
      assert.ok(atMost.likes <= 20, seed);
      assert.ok(atLeastCounter.likes >= 20, seed);
      assert.equal(atLeastSet.likes, 20, seed);
      lost += 20 - atMost.likes;
      doubled += atLeastCounter.likes - 20;
      // The set was asked as often as the counter was: retries happened, and changed nothing.
      assert.ok(atLeastSet.applied >= 20, seed);
    }
    assert.ok(lost > 50 && doubled > 50, `lost ${lost}, counted twice ${doubled}`);
  });

  it("Adding and then removing again: a delayed retry of a like after the unlike, f(g(f(x))) != g(f(x))", () => {
    // The first attempt of the like takes 300 ms; the retry at 100 ms arrives at once; the unlike at 150 ms.
    const slowFirst = latency.fn((_random, from, _to, nowMs) => (from === "client" && nowMs === 0 ? 300 : 10));
    const sim = new Simulation({ seed: "add-remove", nodes: { client: retryingClient({ policy: "at-least-once", timeoutMs: 100 }), db: likesSet() },
      network: { model: "reliable", latency: slowFirst } });
    sim.request("client", { type: "update", to: "db", update: { op: "like", userId: "u" } }, 0);
    sim.request("client", { type: "update", to: "db", update: { op: "unlike", userId: "u" } }, 150);
    const trace = sim.run({ untilMs: 1000 }).trace;
    const applied = trace.deliveries("db").map((d) => (d.value as Applied).applied.op);
    assert.deepEqual(applied, ["like", "unlike", "like"]);
    assert.deepEqual([...sim.state<{ likeSet: Set<string> }>("db").likeSet], ["u"]);
  });

  it("replicas keep their state in stable storage across a crash", () => {
    const sim = new Simulation({ seed: "crash", nodes: { client: retryingClient({ policy: "at-least-once" }), db: likesSet() }, network: { model: "reliable", latency: latency.constant(5) } });
    sim.request("client", { type: "update", to: "db", update: { op: "like", userId: "a" } }, 0);
    sim.crash("db", 50, { recoverAtMs: 60 });
    sim.request("client", { type: "update", to: "db", update: { op: "like", userId: "b" } }, 100);
    sim.run({ untilMs: 1000 });
    assert.deepEqual([...sim.state<{ likeSet: Set<string> }>("db").likeSet].sort(), ["a", "b"]);
  });

  it("bad input names what was wrong", () => {
    assert.throws(() => retryingClient({ policy: "sometimes" as RetryPolicy }), /policy must be "at-most-once" or "at-least-once", got sometimes/);
    assert.throws(() => retryingClient({ policy: "at-least-once", maxAttempts: 0 }), /maxAttempts must be an integer >= 1, got 0/);
    const sim = new Simulation({ seed: "bad", nodes: { client: retryingClient({ policy: "at-most-once" }), db: likesSet() } });
    sim.request("client", { type: "update", to: "nobody", update: { op: "like", userId: "a" } }, 0);
    assert.throws(() => sim.run(), /'to' must name nodes of the run, got "nobody"/);
  });
});
