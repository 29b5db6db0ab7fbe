import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../../src/sim";
import { auditPayments, paymentService, processPayment, rpcClient, type RpcOutcome } from "../../../../src/protocols/rpc";

const card = { number: "1234 5678 8765 4321", expiryDate: "10/2024", CVC: "123" };
const SEEDS = Array.from({ length: 50 }, (_, i) => `rpc-${i}`);

function shop(seed: string, options: { deduplicate: boolean; loss?: number; duplicate?: number; maxAttempts?: number; calls?: number }) {
  const sim = new Simulation({
    seed,
    nodes: { shop: rpcClient({ timeoutMs: 100, maxAttempts: options.maxAttempts ?? 5 }), payments: paymentService({ deduplicate: options.deduplicate }) },
    network: { model: "fair-loss", latency: latency.uniform(5, 30), loss: options.loss ?? 0.3, duplicate: options.duplicate ?? 0.1 },
  });
  for (let i = 0; i < (options.calls ?? 10); i++) sim.request("shop", processPayment("payments", card, 3.99 + i), i * 20);
  return sim.run({ untilMs: 5000 });
}

describe("rpc: Remote Procedure Call (RPC) with an online payments service", () => {
  it("RPC example: one call over a reliable network succeeds with an id like the slide's m2", () => {
    const sim = new Simulation({
      seed: "rpc-simple",
      nodes: { shop: rpcClient(), payments: paymentService() },
      network: { model: "reliable", latency: latency.constant(10) },
    });
    sim.request("shop", processPayment("payments", card, 3.99), 0);
    const result = sim.run();
    const [d] = result.trace.deliveries("shop");
    const outcome = d.value as RpcOutcome;
    assert.equal(outcome.outcome, "success");
    assert.equal(outcome.attempts, 1);
    assert.match((outcome as { id: string }).id, /^[A-Za-z0-9]{11}$/);
    assert.equal(d.t, 20); // one round trip
  });

  it("a declined card is a failure the client knows about, and nothing is charged", () => {
    const sim = new Simulation({ seed: "rpc-declined", nodes: { shop: rpcClient(), payments: paymentService() }, network: { model: "reliable", latency: latency.constant(10) } });
    sim.request("shop", processPayment("payments", { ...card, number: "1234" }, 3.99), 0);
    const result = sim.run();
    const audit = auditPayments(result.trace.events);
    assert.deepEqual(Object.values(audit.outcomes), ["failure"]);
    assert.deepEqual(audit.chargesPerRequest, {});
    assert.deepEqual(audit.violations, []);
  });

  it("with deduplication: retries under loss and duplication charge each request at most once, 50 seeds", () => {
    let retried = 0;
    for (const seed of SEEDS) {
      const result = shop(seed, { deduplicate: true });
      const audit = auditPayments(result.trace.events);
      assert.deepEqual(audit.violations, [], seed);
      for (const d of result.trace.deliveries("shop")) {
        const o = d.value as RpcOutcome;
        if (o.attempts > 1) retried += 1;
        // success means charged exactly once
        if (o.outcome === "success") assert.equal(audit.chargesPerRequest[o.requestId], 1, `${seed} ${o.requestId}`);
      }
      assert.equal(Object.keys(audit.outcomes).length, 10, seed); // every call ended with an outcome
    }
    assert.ok(retried > 50, `retries happened (${retried})`);
  });

  it("without deduplication: a retried request after a lost response charges the card twice (seen in some seed)", () => {
    const doubled = SEEDS.filter((seed) => auditPayments(shop(seed, { deduplicate: false }).trace.events).doubleCharged.length > 0);
    assert.ok(doubled.length > 10, `double charges in ${doubled.length} of 50 runs`);
    const audit = auditPayments(shop(doubled[0], { deduplicate: false }).trace.events);
    assert.match(audit.violations[0], /was charged [2-9] times/);
  });

  it("unknown after timeout: with the service down the client cannot know, and says so", () => {
    const sim = new Simulation({ seed: "rpc-down", nodes: { shop: rpcClient({ timeoutMs: 50, maxAttempts: 3 }), payments: paymentService() }, network: { model: "reliable", latency: latency.constant(10) } });
    sim.crash("payments", 0);
    sim.request("shop", processPayment("payments", card, 3.99), 1);
    const [d] = sim.run().trace.deliveries("shop");
    assert.deepEqual(d.value, { outcome: "unknown", requestId: "shop.0", attempts: 3 });
    assert.equal(d.t, 1 + 3 * 50);
  });

  it("unknown does not mean failed: a processed request whose responses are all lost was charged", () => {
    // Cut only the payments -> shop direction: requests arrive, responses never do.
    const sim = new Simulation({ seed: "rpc-cut", nodes: { shop: rpcClient({ timeoutMs: 50, maxAttempts: 2 }), payments: paymentService() }, network: { model: "reliable", latency: latency.constant(10) } });
    sim.partition({ cut: [["payments", "shop"]], atMs: 0 });
    sim.request("shop", processPayment("payments", card, 3.99), 1);
    const audit = auditPayments(sim.run({ untilMs: 1000 }).trace.events);
    assert.deepEqual(audit.outcomes, { "shop.0": "unknown" });
    assert.deepEqual(audit.chargesPerRequest, { "shop.0": 1 });
  });

  it("the service's deduplication table survives a crash (it is in stable storage)", () => {
    const sim = new Simulation({ seed: "rpc-crash", nodes: { shop: rpcClient({ timeoutMs: 100, maxAttempts: 5 }), payments: paymentService() }, network: { model: "reliable", latency: latency.constant(10) } });
    // The response is lost in a one-way cut; the service crashes and recovers before the retry arrives.
    sim.partition({ cut: [["payments", "shop"]], atMs: 0, healAtMs: 50 });
    sim.crash("payments", 20, { recoverAtMs: 60 });
    sim.request("shop", processPayment("payments", card, 3.99), 0);
    const audit = auditPayments(sim.run({ untilMs: 1000 }).trace.events);
    assert.deepEqual(audit.outcomes, { "shop.0": "success" });
    assert.deepEqual(audit.chargesPerRequest, { "shop.0": 1 });
    assert.deepEqual(audit.violations, []);
  });
});
