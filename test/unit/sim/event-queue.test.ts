import assert from "node:assert/strict";
import { EventQueue } from "../../../src/sim/event-queue";
import { SeededRandom } from "../../../src/sim/random";

describe("sim/event-queue: ordered by (time, sequence number)", () => {
  it("pops in time order, ties in the order they were scheduled", () => {
    const q = new EventQueue<{ time: number; seq: number }>();
    const r = new SeededRandom("heap", "t");
    const all = Array.from({ length: 5000 }, (_v, seq) => ({ time: r.int(0, 100), seq }));
    for (const e of all) q.push(e);
    assert.equal(q.size, 5000);
    const out: { time: number; seq: number }[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
    const expected = all.slice().sort((a, b) => a.time - b.time || a.seq - b.seq);
    assert.deepEqual(out, expected);
    assert.equal(q.pop(), undefined);
  });

  it("interleaved pushes and pops stay ordered", () => {
    const q = new EventQueue<{ time: number; seq: number }>();
    const r = new SeededRandom("heap2", "t");
    let seq = 0;
    let now = 0;
    for (let k = 0; k < 3000; k++) {
      q.push({ time: now + r.uniform(0, 50), seq: seq++ });
      if (r.bernoulli(0.5)) {
        const e = q.pop()!;
        assert.ok(e.time >= now, "time never goes backwards");
        now = e.time;
      }
    }
  });
});
