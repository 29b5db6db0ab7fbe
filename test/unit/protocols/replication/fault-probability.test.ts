import { strict as assert } from "node:assert";
import fc from "fast-check";
import { SeededRandom } from "../../../../src/sim/random";
import {
  binomial,
  faultTable,
  formatProbability,
  fraction,
  majority,
  probability,
  probabilityAtLeast,
  probabilityExactly,
  sampleFaults,
  scientific,
  toNumber,
} from "../../../../src/protocols/replication/fault-probability";

describe("replication: probability of faults (exact)", () => {
  it("Probability of faults: the slide's table for p = 0.01, n = 1, 3, 5, 100", () => {
    const rows = faultTable(0.01);
    const shown = rows.map((r) => [r.n, formatProbability(r.atLeastOne, 2), formatProbability(r.majority, 1), formatProbability(r.all, 1)]);
    assert.deepEqual(shown, [
      [1, "0.01", "0.01", "0.01"],
      [3, "0.03", "3 × 10⁻⁴", "1 × 10⁻⁶"],
      [5, "0.049", "1 × 10⁻⁵", "1 × 10⁻¹⁰"],
      [100, "0.63", "6 × 10⁻⁷⁴", "1 × 10⁻²⁰⁰"],
    ]);
  });

  it("6e-74 and 1e-200 come out as numbers, not 0", () => {
    const [, , , hundred] = faultTable("0.01");
    const majorityFaulty = toNumber(hundred.majority);
    // Python's fractions.Fraction gives 6.102815512992438e-74 for the same sum.
    assert.equal(majorityFaulty, 6.102815512992438e-74);
    assert.equal(toNumber(hundred.all), 1e-200);
    // C(100, 51) 0.01^51 0.99^49 is the largest term; the sum is a little more.
    assert.deepEqual(scientific(hundred.majority, 3), { mantissa: "6.10", exponent: -74 });
  });

  it("the exact values: P(>= 2 of 3) = 3p²(1 − p) + p³ = 298/1000000 at p = 0.01", () => {
    assert.deepEqual(probabilityAtLeast(3, 2, 0.01), fraction(298n, 1_000_000n));
    assert.deepEqual(faultTable(0.01, [3])[0].atLeastOne, fraction(29_701n, 1_000_000n));
    assert.equal(majority(3), 2);
    assert.equal(majority(4), 3);
    assert.equal(majority(100), 51);
  });

  it("the probabilities of exactly k faulty, k = 0..n, add up to 1 (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1000 }), (n, thousandths) => {
      const p = fraction(BigInt(thousandths), 1000n);
      let sum = fraction(0n, 1n);
      for (let k = 0; k <= n; k++) {
        const term = probabilityExactly(n, k, p);
        sum = fraction(sum.num * term.den + term.num * sum.den, sum.den * term.den);
      }
      assert.deepEqual(sum, fraction(1n, 1n));
    }), { numRuns: 50 });
  });

  it("binomial coefficients and decimal parsing are exact", () => {
    assert.equal(binomial(100, 51), 98913082887808032681188722800n);
    assert.equal(binomial(5, 6), 0n);
    assert.deepEqual(probability("1e-3"), fraction(1n, 1000n));
    assert.deepEqual(probability(0.1), fraction(1n, 10n));
    assert.deepEqual(scientific(fraction(1n, 3n), 2), { mantissa: "3.3", exponent: -1 });
    assert.deepEqual(scientific(fraction(999n, 1000n), 2), { mantissa: "1.0", exponent: 0 });
    assert.equal(toNumber(fraction(1n, 3n)), 1 / 3);
  });

  it("bad input names what was wrong", () => {
    assert.throws(() => probability(1.5), /not in \[0, 1\]/);
    assert.throws(() => probability("abc"), /not a decimal number/);
    assert.throws(() => faultTable(0.01, [0]), /n must be an integer in \[1, 10000\], got 0/);
    assert.throws(() => probabilityAtLeast(2.5, 1, 0.1), /n must be an integer >= 1, got 2.5/);
    assert.throws(() => sampleFaults(3, 0.1, 0, new SeededRandom("t", "faults")), /trials/);
  });

  it("sampling agrees with the exact values where they are measurable (p = 0.1, n = 3, 5)", () => {
    for (const n of [3, 5]) {
      const trials = 20_000;
      const sampled = sampleFaults(n, 0.1, trials, new SeededRandom("faults", String(n)));
      const [row] = faultTable(0.1, [n]);
      for (const [count, exact] of [[sampled.atLeastOne, row.atLeastOne], [sampled.majority, row.majority]] as const) {
        const expected = toNumber(exact);
        const standardError = Math.sqrt((expected * (1 - expected)) / trials);
        assert.ok(Math.abs(count / trials - expected) < 4 * standardError + 1e-9, `n = ${n}: sampled ${count / trials}, exact ${expected}`);
      }
    }
  });
});
