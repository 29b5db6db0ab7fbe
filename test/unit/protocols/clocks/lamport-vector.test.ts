import assert from "node:assert/strict";
import { compareLamport, lamportInit, lamportReceive, lamportSend, lamportTick } from "../../../../src/protocols/clocks/lamport";
import {
  compareVectorClocks,
  formatVector,
  vectorInit,
  vectorLeq,
  vectorMerge,
  vectorReceive,
  vectorTick,
} from "../../../../src/protocols/clocks/vector";

describe("Lamport clocks (lecture 4)", () => {
  it("Lamport clocks algorithm: init 0, tick +1, send +1, receive max(t, t') + 1", () => {
    assert.equal(lamportInit(), 0);
    assert.equal(lamportTick(0), 1);
    assert.equal(lamportSend(4), 5);
    assert.equal(lamportReceive(1, 5), 6); // moves forward to the message's timestamp
    assert.equal(lamportReceive(7, 2), 8); // local clock already ahead
    assert.equal(lamportReceive(3, 3), 4);
  });

  it("Lamport clocks example: A, B, C with A sending to B and B to C", () => {
    // A: send (t=1), local (t=2); B: receive from A (t=2), send to C (t=3); C: local (t=1), receive (t=4)
    let tA = lamportInit(), tB = lamportInit(), tC = lamportInit();
    tA = lamportSend(tA);
    const m1 = tA;
    tA = lamportTick(tA);
    tB = lamportReceive(tB, m1);
    tB = lamportSend(tB);
    const m2 = tB;
    tC = lamportTick(tC);
    tC = lamportReceive(tC, m2);
    assert.deepEqual([tA, tB, tC], [2, 3, 4]);
  });

  it("total order (L, N): by timestamp, then node; equal only for the same event", () => {
    assert.ok(compareLamport({ L: 1, N: "B" }, { L: 2, N: "A" }) < 0);
    assert.ok(compareLamport({ L: 2, N: "A" }, { L: 2, N: "B" }) < 0);
    assert.ok(compareLamport({ L: 2, N: "B" }, { L: 2, N: "A" }) > 0);
    assert.equal(compareLamport({ L: 3, N: "C" }, { L: 3, N: "C" }), 0);
    const events = [{ L: 2, N: "B" }, { L: 1, N: "C" }, { L: 2, N: "A" }, { L: 1, N: "A" }];
    assert.deepEqual(events.slice().sort(compareLamport), [{ L: 1, N: "A" }, { L: 1, N: "C" }, { L: 2, N: "A" }, { L: 2, N: "B" }]);
  });

  it("rejects negative or fractional counters, naming them", () => {
    assert.throws(() => lamportTick(-1), /t must be a non-negative integer/);
    assert.throws(() => lamportReceive(1, 0.5), /t' must be/);
  });
});

describe("vector clocks (lecture 4)", () => {
  it("Vector clocks algorithm: init, tick own entry, receive = merge then tick", () => {
    assert.deepEqual(vectorInit(3), [0, 0, 0]);
    assert.deepEqual(vectorTick([0, 0, 0], 1), [0, 1, 0]);
    assert.deepEqual(vectorMerge([2, 0, 1], [1, 3, 0]), [2, 3, 1]);
    assert.deepEqual(vectorReceive([0, 1, 0], [2, 0, 0], 1), [2, 2, 0]);
    const T = [1, 2, 3];
    vectorTick(T, 0);
    assert.deepEqual(T, [1, 2, 3], "arguments are not modified");
  });

  it("Vector clocks example: <2, 2, 0> = A's first two events and B's first two", () => {
    // A: event (<1,0,0>), send m1 (<2,0,0>); B: event (<0,1,0>), receive m1 -> <2,2,0>
    let A = vectorInit(3), B = vectorInit(3);
    A = vectorTick(A, 0);
    A = vectorTick(A, 0);
    B = vectorTick(B, 1);
    B = vectorReceive(B, A, 1);
    assert.equal(formatVector(B), "<2, 2, 0>");
  });

  const comparisons: [number[], number[], string][] = [
    [[1, 0, 0], [1, 0, 0], "equal"],
    [[1, 0, 0], [2, 0, 0], "before"],
    [[2, 2, 0], [2, 2, 1], "before"],
    [[2, 2, 1], [2, 2, 0], "after"],
    [[2, 0, 0], [0, 1, 0], "concurrent"],
    [[3, 1, 0], [2, 2, 0], "concurrent"],
    [[0, 0, 0], [0, 0, 0], "equal"],
  ];
  for (const [a, b, expected] of comparisons) {
    it(`Vector clocks ordering: ${formatVector(a)} vs ${formatVector(b)} is ${expected}`, () => {
      assert.equal(compareVectorClocks(a, b), expected);
      assert.equal(vectorLeq(a, b), expected === "before" || expected === "equal");
    });
  }

  it("rejects vectors of different lengths and bad indices", () => {
    assert.throws(() => compareVectorClocks([1, 0], [1, 0, 0]), /different lengths \(2 and 3\)/);
    assert.throws(() => vectorTick([0, 0], 2), /node index i must be in \[0, 2\)/);
    assert.throws(() => vectorMerge([0, -1], [0, 0]), /T\[1\] must be a non-negative integer/);
  });
});
