import assert from "node:assert/strict";
import { compareLamport } from "../../../../src/protocols/clocks/lamport";
import * as lamport from "../../../../src/protocols/clocks/lamport-clock";
import { formatVector } from "../../../../src/protocols/clocks/vector";
import * as vector from "../../../../src/protocols/clocks/vector-clock";

describe("Lamport clocks (lecture 4)", () => {
  it("Lamport clocks algorithm: init 0, tick +1, send +1, receive max(t, t') + 1", () => {
    const clock = lamport.createLamportClock();
    assert.equal(clock.t, 0);
    assert.equal(lamport.tick(clock), 1);
    clock.t = 4;
    assert.equal(lamport.send(clock), 5);
    clock.t = 1;
    assert.equal(lamport.receive(clock, 5), 6); // moves forward to the message's timestamp
    clock.t = 7;
    assert.equal(lamport.receive(clock, 2), 8); // local clock already ahead
    clock.t = 3;
    assert.equal(lamport.receive(clock, 3), 4);
  });

  it("Lamport clocks example: A, B, C with A sending to B and B to C", () => {
    // A: send (t=1), local (t=2); B: receive from A (t=2), send to C (t=3); C: local (t=1), receive (t=4)
    const A = lamport.createLamportClock(), B = lamport.createLamportClock(), C = lamport.createLamportClock();
    const m1 = lamport.send(A);
    lamport.tick(A);
    lamport.receive(B, m1);
    const m2 = lamport.send(B);
    lamport.tick(C);
    lamport.receive(C, m2);
    assert.deepEqual([A.t, B.t, C.t], [2, 3, 4]);
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
    assert.throws(() => lamport.tick({ t: -1 }), /t must be a non-negative integer/);
    assert.throws(() => lamport.receive({ t: 1 }, 0.5), /t' must be/);
  });
});

describe("vector clocks (lecture 4)", () => {
  it("Vector clocks algorithm: init, tick own entry, receive = merge then tick", () => {
    const clock = vector.createVectorClock(["A", "B", "C"], "B");
    assert.deepEqual(clock.T, [0, 0, 0]);
    assert.deepEqual(vector.tick(clock), [0, 1, 0]);
    assert.deepEqual(vector.receive(clock, [2, 0, 0]), [2, 2, 0]);
    const returned = vector.send(clock);
    assert.deepEqual(returned, [2, 3, 0]);
    returned[0] = 99;
    assert.deepEqual(clock.T, [2, 3, 0], "the returned timestamp is a copy");
    assert.throws(() => vector.createVectorClock(["A", "B"], "C"), /node C is not in A, B/);
  });

  it("Vector clocks example: <2, 2, 0> = A's first two events and B's first two", () => {
    // A: event (<1,0,0>), send m1 (<2,0,0>); B: event (<0,1,0>), receive m1 -> <2,2,0>
    const A = vector.createVectorClock(["A", "B", "C"], "A"), B = vector.createVectorClock(["A", "B", "C"], "B");
    vector.tick(A);
    const m1 = vector.send(A);
    vector.tick(B);
    assert.equal(formatVector(vector.receive(B, m1)), "<2, 2, 0>");
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
      assert.equal(vector.compare(a, b), expected);
    });
  }

  it("rejects vectors of different lengths and bad indices", () => {
    assert.throws(() => vector.compare([1, 0], [1, 0, 0]), /different lengths \(2 and 3\)/);
    assert.throws(() => vector.tick({ nodes: ["A", "B"], i: 2, T: [0, 0] }), /node index i must be in \[0, 2\)/);
    assert.throws(() => vector.receive({ nodes: ["A", "B"], i: 0, T: [0, -1] }, [0, 0]), /T\[1\] must be a non-negative integer/);
  });
});
