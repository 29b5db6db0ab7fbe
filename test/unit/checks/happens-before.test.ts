import assert from "node:assert/strict";
import { HappensBefore } from "../../../src/checks/happens-before";
import { TraceBuilder } from "../../../src/checks";

/** The slide's example: a, b at A; c, d at B; e, f at C; m1 from b to c, m2 from d to f. */
function slideExample() {
  const t = new TraceBuilder(["A", "B", "C"]);
  const e = t.local("C", "e");
  const a = t.local("A", "a");
  const [b, m1] = t.send("A", "B");
  const c = t.receive(m1);
  const [d, m2] = t.send("B", "C");
  const f = t.receive(m2);
  return { trace: t, a, b, c, d, e, f };
}

describe("happens-before (lecture 3)", () => {
  it("Happens-before relation example: node order, messages and transitivity", () => {
    const { trace, a, b, c, d, e, f } = slideExample();
    const hb = new HappensBefore(trace);
    // a -> b, c -> d, e -> f due to node execution order
    for (const [x, y] of [[a, b], [c, d], [e, f]] as const) assert.ok(hb.happensBefore(x, y));
    // b -> c and d -> f due to messages m1 and m2
    assert.ok(hb.happensBefore(b, c));
    assert.ok(hb.happensBefore(d, f));
    // a -> c, a -> d, a -> f, b -> d, b -> f, c -> f due to transitivity
    for (const [x, y] of [[a, c], [a, d], [a, f], [b, d], [b, f], [c, f]] as const) assert.ok(hb.happensBefore(x, y), `${x} -> ${y}`);
    // a || e, b || e, c || e, d || e
    for (const x of [a, b, c, d]) assert.ok(hb.concurrent(x, e), `${x} || e`);
    // and nothing runs backwards
    assert.equal(hb.happensBefore(f, a), false);
    assert.equal(hb.happensBefore(a, a), false);
  });

  it("Happens-before relation example: pairs() lists exactly the slide's 11 related and 4 concurrent pairs", () => {
    const { trace, a, b, c, d, e, f } = slideExample();
    const { related, concurrent } = new HappensBefore(trace).pairs();
    assert.equal(related.length, 11);
    assert.deepEqual(
      concurrent.map(([x, y]) => [x, y].sort((p, q) => p - q)).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!),
      [[a, e], [b, e], [c, e], [d, e]].map((p) => p.sort((x, y) => x - y)).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!),
    );
    assert.ok(related.some(([x, y]) => x === c && y === f));
  });

  it("vectorOf gives each event's vector timestamp, entries in node order", () => {
    const { trace, b, c, f } = slideExample();
    const hb = new HappensBefore(trace);
    assert.deepEqual(hb.vectorOf(b), [2, 0, 0]);
    assert.deepEqual(hb.vectorOf(c), [2, 1, 0]);
    assert.deepEqual(hb.vectorOf(f), [2, 2, 2]);
  });

  it("a duplicated message: every copy received happens after the one send", () => {
    const t = new TraceBuilder(["A", "B"]);
    const [s, id] = t.send("A", "B");
    const r1 = t.receive(id, 0);
    const r2 = t.receive(id, 1);
    const hb = new HappensBefore(t);
    assert.ok(hb.happensBefore(s, r1) && hb.happensBefore(s, r2) && hb.happensBefore(r1, r2));
  });

  it("rejects indices of events that are not at a node, and receives without sends", () => {
    const t = new TraceBuilder(["A"]);
    t.local("A");
    const hb = new HappensBefore(t);
    assert.throws(() => hb.happensBefore(0, 7), /b = 7 is not the index/);
    const bad = new TraceBuilder(["A", "B"]);
    bad.events.push({ kind: "receive", i: 0, t: 0, node: "B", local: 0, msgId: 9, from: "A", msg: { type: "M" }, copy: 0 });
    assert.throws(() => new HappensBefore(bad), /receive of message 9 comes before/);
  });

  it("scales: 20,000 events on 10 nodes in well under a second", () => {
    const nodes = Array.from({ length: 10 }, (_, k) => `n${k}`);
    const t = new TraceBuilder(nodes);
    let x = 1;
    const pending: number[] = [];
    for (let k = 0; k < 10_000; k++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const from = nodes[x % 10]!;
      const to = nodes[(x >> 8) % 10]!;
      pending.push(t.send(from, to)[1]);
      if (pending.length > 5) t.receive(pending.shift()!);
    }
    const start = process.hrtime.bigint();
    const hb = new HappensBefore(t);
    assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 1000);
    assert.ok(hb.happensBefore(0, t.events.findIndex((e) => e.kind === "receive" && e.msgId === 0)));
  });

  it("agrees with a brute-force transitive closure on random traces", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const nodes = ["A", "B", "C", "D"];
      const t = new TraceBuilder(nodes);
      let x = seed;
      const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
      const inFlight: number[] = [];
      for (let k = 0; k < 60; k++) {
        const r = next() % 3;
        if (r === 0) t.local(nodes[next() % 4]!);
        else if (r === 1) inFlight.push(t.send(nodes[next() % 4]!, nodes[next() % 4]!)[1]);
        else if (inFlight.length > 0) t.receive(inFlight.splice(next() % inFlight.length, 1)[0]!);
      }
      // Direct edges: next event at the same node, and send -> receive; then reachability by DFS.
      const n = t.events.length;
      const edges: number[][] = Array.from({ length: n }, () => []);
      const lastAt = new Map<string, number>();
      const sendOf = new Map<number, number>();
      for (const e of t.events) {
        if (!("node" in e)) continue;
        const prev = lastAt.get(e.node);
        if (prev !== undefined) edges[prev]!.push(e.i);
        lastAt.set(e.node, e.i);
        if (e.kind === "send") sendOf.set(e.msgId, e.i);
        if (e.kind === "receive") edges[sendOf.get(e.msgId)!]!.push(e.i);
      }
      const hb = new HappensBefore(t);
      for (let a = 0; a < n; a++) {
        const seen = new Set<number>();
        const stack = [...edges[a]!];
        while (stack.length > 0) {
          const v = stack.pop()!;
          if (!seen.has(v)) (seen.add(v), stack.push(...edges[v]!));
        }
        for (let b = 0; b < n; b++) assert.equal(hb.happensBefore(a, b), seen.has(b), `seed ${seed}: ${a} -> ${b}`);
      }
    }
  });
});
