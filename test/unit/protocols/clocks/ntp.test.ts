import assert from "node:assert/strict";
import { bestSample, estimatedServerTime, skewErrorBound } from "../../../../src/protocols/clocks/ntp";
import { discipline, estimatedSkew, roundTripDelay } from "../../../../src/protocols/clocks/ntp-discipline";

/** The action discipline() takes, on a clock that records nothing. */
const disciplineAction = (thetaMs: number) => discipline({ step: () => undefined, slew: () => undefined }, thetaMs);

describe("NTP arithmetic (lecture 3)", () => {
  // [t1, t2, t3, t4, delta, theta]
  const table: [number, number, number, number, number, number][] = [
    [0, 0, 0, 0, 0, 0],
    // symmetric 10 ms each way, clocks in sync
    [1000, 1010, 1010, 1020, 20, 0],
    // server 100 ms ahead, 10 ms each way, 5 ms processing
    [1000, 1110, 1115, 1025, 20, 100],
    // client 50 ms ahead of the server
    [2000, 1960, 1960, 2020, 20, -50],
    // asymmetric: 30 ms there, 10 back, clocks in sync -> theta is off by the asymmetry / 2
    [0, 30, 30, 40, 40, 10],
  ];

  for (const [t1, t2, t3, t4, delta, theta] of table) {
    it(`Estimating time over a network: t1..t4 = ${t1}, ${t2}, ${t3}, ${t4} gives delta = ${delta}, theta = ${theta}`, () => {
      assert.equal(roundTripDelay(t1, t2, t3, t4), delta);
      assert.equal(estimatedSkew(t1, t2, t3, t4), theta);
      // the slide's second form: theta = (t2 - t1 + t3 - t4) / 2
      assert.equal(estimatedSkew(t1, t2, t3, t4), (t2 - t1 + t3 - t4) / 2);
      assert.equal(estimatedServerTime(t1, t2, t3, t4), t3 + delta / 2);
      assert.equal(skewErrorBound(t1, t2, t3, t4), delta / 2);
    });
  }

  it("Estimating time over a network: the true skew lies within theta ± delta/2 whatever the path asymmetry", () => {
    const trueSkew = 37;
    for (const [there, back] of [[1, 99], [50, 50], [99, 1], [0, 0]] as const) {
      const t1 = 5000;
      const t2 = t1 + there + trueSkew;
      const t3 = t2 + 3;
      const t4 = t3 - trueSkew + back;
      const theta = estimatedSkew(t1, t2, t3, t4);
      assert.ok(Math.abs(theta - trueSkew) <= skewErrorBound(t1, t2, t3, t4) + 1e-9, `${there}/${back}`);
    }
  });

  const decisions: [number, string][] = [
    [0, "slew"], [124.999, "slew"], [-124.999, "slew"],
    [125, "step"], [-125, "step"], [999_999.999, "step"], [-999_999, "step"],
    [1_000_000, "panic"], [-1_000_000, "panic"], [5e9, "panic"],
  ];
  for (const [theta, action] of decisions) {
    it(`Correcting clock skew: |theta| = ${Math.abs(theta)} ms -> ${action}`, () => {
      assert.equal(disciplineAction(theta), action);
    });
  }

  it("bestSample picks the smallest round-trip delay (first on ties)", () => {
    const a = { t1: 0, t2: 50, t3: 50, t4: 100 }; // delta 100
    const b = { t1: 0, t2: 5, t3: 5, t4: 10 }; // delta 10
    const c = { t1: 100, t2: 105, t3: 105, t4: 110 }; // delta 10
    assert.equal(bestSample([a, b, c]), b);
    assert.equal(bestSample([c, a, b]), c);
    assert.throws(() => bestSample([]), /at least one sample/);
  });

  it("rejects NaN and infinities, naming the argument", () => {
    assert.throws(() => roundTripDelay(NaN, 0, 0, 0), /t1 must be a finite number/);
    assert.throws(() => estimatedSkew(0, 0, 0, Infinity), /t4 must be a finite number/);
    assert.throws(() => disciplineAction(NaN), /thetaMs must be a finite number/);
    assert.throws(() => disciplineAction(-Infinity), /thetaMs/);
    assert.throws(() => roundTripDelay(0, 10, 5, 20), /t3 \(5\) must not be before t2 \(10\)/);
  });
});
