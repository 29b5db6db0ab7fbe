import { strict as assert } from "node:assert";
import fc from "fast-check";
import { SeededRandom } from "../../../../src/sim/random";
import {
  checkSlo,
  humanDuration,
  ninesOf,
  ninesTable,
  percentile,
  replicatedAvailability,
  simulateAvailability,
} from "../../../../src/protocols/availability";

describe("availability: Availability (nines, SLOs, fault tolerance)", () => {
  it("Availability: the slide's nines table (3.7 days, 8.8 hours, 53 minutes, 5.3 minutes)", () => {
    const rows = ninesTable(5);
    assert.deepEqual(rows.slice(1).map((r) => r.downtimePerYear), ["3.7 days", "8.8 hours", "53 minutes", "5.3 minutes"]);
    assert.equal(rows[2].availability, 0.999);
    assert.equal(ninesOf(0.999), 3);
    assert.equal(ninesOf(0.9999), 4);
    assert.equal(ninesOf(0.995), 2);
    assert.equal(humanDuration(1500), "1.5 seconds");
    assert.equal(humanDuration(86_400_000), "1 day");
    assert.equal(humanDuration(1), "1 ms");
  });

  it("percentile: nearest rank on a table of cases", () => {
    const v = [15, 20, 35, 40, 50];
    assert.equal(percentile(v, 5), 15);
    assert.equal(percentile(v, 30), 20);
    assert.equal(percentile(v, 40), 20);
    assert.equal(percentile(v, 50), 35);
    assert.equal(percentile(v, 100), 50);
    assert.throws(() => percentile([], 50), /empty/);
  });

  it("property: the p-th percentile has at least p% of values at or below it, and is one of the values", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
      const q = percentile(values, p);
      assert.ok(values.includes(q));
      assert.ok(values.filter((v) => v <= q).length >= (p / 100) * values.length);
      assert.ok(values.filter((v) => v < q).length < (p / 100) * values.length);
    }));
  });

  it("SLO: '99.9% of requests in a day get a response in 200 ms', met and missed", () => {
    const fast = Array.from({ length: 10000 }, (_, i) => 50 + (i % 100));
    const met = checkSlo([...fast.slice(0, 9990), ...Array(10).fill(500)], { fraction: 0.999, withinMs: 200 });
    assert.equal(met.met, true);
    assert.equal(met.slow, 10);
    assert.equal(met.objective, "99.9% of requests within 200 ms");
    const missed = checkSlo([...fast.slice(0, 9989), ...Array(10).fill(500), Infinity], { fraction: 0.999, withinMs: 200 });
    assert.equal(missed.met, false);
    assert.equal(missed.slow, 11);
    assert.ok(missed.percentileMs > 200);
  });

  it("fault tolerance: replication raises availability (formula)", () => {
    assert.ok(Math.abs(replicatedAvailability(0.99, 1) - 0.99) < 1e-12);
    assert.ok(Math.abs(replicatedAvailability(0.99, 2) - 0.9999) < 1e-12);
    assert.ok(Math.abs(replicatedAvailability(0.99, 3, 2) - (0.99 ** 3 + 3 * 0.99 ** 2 * 0.01)) < 1e-12);
  });

  it("single server vs replicated servers under random node faults: measured over 50 simulated runs", () => {
    const fault = { mttfMs: 1000 * 3600 * 24 * 10, mttrMs: 1000 * 3600 * 24 * 0.1 }; // 10 days up, ~2.4 h down
    const a = fault.mttfMs / (fault.mttfMs + fault.mttrMs);
    const measure = (replicas: number) => {
      let total = 0;
      for (let s = 0; s < 50; s++) {
        total += simulateAvailability({ replicas, fault, durationMs: 1000 * 3600 * 24 * 365, random: new SeededRandom(`avail-${s}`, "faults") });
      }
      return total / 50;
    };
    const one = measure(1);
    const three = measure(3);
    assert.ok(Math.abs(one - a) < 0.003, `single: measured ${one}, expected ${a}`);
    assert.ok(three > one);
    assert.ok(Math.abs(three - replicatedAvailability(a, 3)) < 1e-4, `three: ${three} vs ${replicatedAvailability(a, 3)}`);
    assert.ok(ninesOf(three) >= 4 && ninesOf(one) <= 2);
  });
});
