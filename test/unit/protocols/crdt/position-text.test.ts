import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { causalBroadcastStack } from "../../../../src/protocols/broadcast/stacks";
import { END, START, applyEdit, comparePositions, midpoint, positionValue, textOf, transform, type Position, type TextEdit, type TextState } from "../../../../src/protocols/crdt/position-text";
import { positionTextCrdt } from "../../../../src/protocols/crdt/text-crdt";
import { RgaText } from "../../../../src/protocols/crdt/rga-text";
import { stack } from "../../../../src/protocols/stack";
import { Simulation, latency } from "../../../../src/sim/index";

describe("protocols: the slides' text CRDT (positions between neighbours)", () => {
  it("takes exact midpoints: a thousand inserts at the front still get distinct, ordered positions", () => {
    assert.deepEqual(midpoint(START, END), { digits: "1" });
    assert.deepEqual(midpoint({ digits: "1" }, END), { digits: "11" });
    assert.equal(positionValue(midpoint({ digits: "01" }, { digits: "1" })), 0.375);
    let p: Position = END;
    for (let k = 0; k < 1000; k++) {
      const next = midpoint(START, p);
      assert.ok(comparePositions(START, next) < 0 && comparePositions(next, p) < 0);
      p = next;
    }
    assert.equal((p as { digits: string }).digits.length, 1000, "2^-1000: a double would have reached 0 long before");
    assert.throws(() => midpoint(START, START), /neighbours must differ/);
    assert.throws(() => comparePositions({ digits: "10" }, END), /must match \[01\]\*1/);
  });

  /** Runs the CRDT over causal broadcast; `edits` are [node, atMs, request]. */
  function run(edits: [string, number, object][], seed = "text") {
    const sim = new Simulation({ seed, nodes: ["A", "B"], protocol: stack(positionTextCrdt(), causalBroadcastStack()) as never,
      network: { model: "fair-loss", loss: 0.2, duplicate: 0.1, latency: latency.uniform(5, 30) } });
    for (const [node, at, request] of edits) sim.request(node, request, at);
    sim.run({ untilMs: 5000 });
    return ["A", "B"].map((n) => textOf(sim.state<{ upper: TextState }>(n).upper.chars));
  }

  it("converges over causal broadcast despite loss and duplication, and a deletion never overtakes its insertion", () => {
    const texts = run([["A", 0, { type: "insert", index: 0, v: "H" }], ["A", 1, { type: "insert", index: 1, v: "i" }], ["B", 100, { type: "insert", index: 2, v: "!" }],
      ["A", 200, { type: "delete", index: 0 }], ["B", 200, { type: "insert", index: 0, v: "h" }]]);
    assert.equal(texts[0], texts[1]);
    assert.equal(texts[0], "hi!");
  });

  it("interleaves two words typed at the same place at the same time (the algorithm's known anomaly); RGA keeps them whole", () => {
    const typeWord = (node: string, word: string, at: number): [string, number, object][] => [...word].map((v, k) => [node, at + k, { type: "insert", index: k, v }]);
    // Both type before hearing from the other (latency >= 5 ms, each letter 1 ms apart).
    const texts = run([...typeWord("A", "abc", 0), ...typeWord("B", "xyz", 0)]);
    assert.equal(texts[0], texts[1]);
    assert.equal(texts[0], "axbycz");
    const a = new RgaText("A");
    const b = new RgaText("B");
    const fromA = [...["a", "b", "c"]].map((v, k) => a.insert(k, v));
    const fromB = [...["x", "y", "z"]].map((v, k) => b.insert(k, v));
    for (const op of fromB) a.apply(op);
    for (const op of fromA) b.apply(op);
    assert.equal(a.toString(), b.toString());
    assert.ok(["abcxyz", "xyzabc"].includes(a.toString()), a.toString());
  });

  it("operational transformation: either order of two concurrent edits, each transformed against the other, gives the same text", () => {
    const edit = (node: string) => fc.oneof(
      fc.record({ type: fc.constant("insert" as const), index: fc.nat(), v: fc.constantFrom("x", "y"), node: fc.constant(node) }),
      fc.record({ type: fc.constant("delete" as const), index: fc.nat(), node: fc.constant(node) }),
    );
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 8 }), edit("A"), edit("B"), (text, a0, b0) => {
      const fit = (op: TextEdit): TextEdit => ({ ...op, index: op.index % (text.length + (op.type === "insert" ? 1 : 0)) });
      const a = fit(a0);
      const b = fit(b0);
      assert.equal(applyEdit(applyEdit(text, a), transform(b, a)), applyEdit(applyEdit(text, b), transform(a, b)));
    }), { numRuns: 1000, seed: 4 });
    // The slide's example: both start from "BC"; one inserts "A" at 0, the other "D" at 2.
    const first: TextEdit = { type: "insert", index: 0, v: "A", node: "user1" };
    const second: TextEdit = { type: "insert", index: 2, v: "D", node: "user2" };
    assert.equal(applyEdit(applyEdit("BC", first), transform(second, first)), "ABCD");
  });
});
