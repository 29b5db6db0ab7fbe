import assert from "node:assert/strict";
import seedrandom from "seedrandom";
import { RandomStreams, SeededRandom } from "../../../src/sim/random";

describe("sim/random: seeded streams", () => {
  it("seedrandom behaves as documented (ARC4 'hello.' -> 0.9282578795792454)", () => {
    assert.equal(seedrandom("hello.")(), 0.9282578795792454);
  });

  it("draws seedrandom's Alea numbers bit for bit, also when resumed from state()", () => {
    for (const seed of ["s", "bench", "x\u0000y"]) {
      const ours = new SeededRandom(seed, "node/A");
      const theirs = seedrandom.alea(`${seed}\u0000node/A`, { state: true });
      for (let k = 0; k < 10_000; k++) assert.equal(ours.next(), theirs(), `draw ${k} of seed ${JSON.stringify(seed)}`);
      assert.deepEqual(ours.state(), theirs.state());
      const resumed = new SeededRandom(seed, "node/A", ours.state());
      for (let k = 0; k < 100; k++) assert.equal(resumed.next(), theirs());
    }
  });

  it("the same seed and name give the same sequence", () => {
    const a = new SeededRandom("s", "network");
    const b = new SeededRandom("s", "network");
    const xs = Array.from({ length: 100 }, () => a.next());
    assert.deepEqual(Array.from({ length: 100 }, () => b.next()), xs);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it("streams are independent: drawing from one does not shift another", () => {
    const quiet = new RandomStreams("seed-1");
    const busy = new RandomStreams("seed-1");
    for (let k = 0; k < 1000; k++) busy.stream("node/A").next();
    const expected = Array.from({ length: 10 }, () => quiet.stream("node/B").next());
    assert.deepEqual(Array.from({ length: 10 }, () => busy.stream("node/B").next()), expected);
  });

  it("different seeds and different names give different sequences", () => {
    assert.notEqual(new SeededRandom("a", "x").next(), new SeededRandom("b", "x").next());
    assert.notEqual(new SeededRandom("a", "x").next(), new SeededRandom("a", "y").next());
  });

  it("fork depends on the parent's seed and name, not its position", () => {
    const a = new SeededRandom("s", "node/A");
    const b = new SeededRandom("s", "node/A");
    b.next();
    assert.equal(a.fork("fifo").next(), b.fork("fifo").next());
  });

  it("distributions have the right ranges and means", () => {
    const r = new SeededRandom("dist", "t");
    const n = 20000;
    let sumExp = 0;
    let sumNorm = 0;
    let heads = 0;
    for (let k = 0; k < n; k++) {
      sumExp += r.exponential(10);
      sumNorm += r.normal(5, 2);
      if (r.bernoulli(0.3)) heads++;
      const u = r.uniform(3, 4);
      assert.ok(u >= 3 && u < 4);
      const i = r.int(0, 6);
      assert.ok(Number.isInteger(i) && i >= 0 && i < 6);
    }
    assert.ok(Math.abs(sumExp / n - 10) < 0.5, `mean of exponential(10) was ${sumExp / n}`);
    assert.ok(Math.abs(sumNorm / n - 5) < 0.1, `mean of normal(5, 2) was ${sumNorm / n}`);
    assert.ok(Math.abs(heads / n - 0.3) < 0.02, `bernoulli(0.3) rate was ${heads / n}`);
    const med = Array.from({ length: 2001 }, () => r.logNormal(7, 0.5)).sort((a, b) => a - b)[1000];
    assert.ok(med > 6.3 && med < 7.7, `median of logNormal(7, 0.5) was ${med}`);
  });

  it("shuffle is a permutation and pick picks members", () => {
    const r = new SeededRandom("s", "t");
    const items = [1, 2, 3, 4, 5, 6, 7];
    assert.deepEqual(r.shuffle(items).sort(), items);
    assert.ok(items.includes(r.pick(items)));
    assert.throws(() => r.pick([]), /non-empty/);
  });
});
