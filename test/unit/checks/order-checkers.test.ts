import assert from "node:assert/strict";
import { checkCausalOrder } from "../../../src/checks/causal-order";
import { checkFifoOrder } from "../../../src/checks/fifo-order";
import { checkFifoTotalOrder } from "../../../src/checks/fifo-total-order";
import { checkReliability } from "../../../src/checks/reliability";
import { checkTotalOrder } from "../../../src/checks/total-order";
import { broadcastHistory, canonicalId } from "../../../src/checks/broadcast-history";
import { TraceBuilder } from "../../../src/checks";

/** Slide "FIFO broadcast": A broadcasts m1 then m3, B broadcasts m2; C delivers in `order`. */
function fifoExample(order: string[]): TraceBuilder {
  const t = new TraceBuilder(["A", "B", "C"]);
  t.broadcast("A", "m1");
  t.broadcast("B", "m2");
  t.broadcast("A", "m3");
  for (const m of order) t.deliver("C", m);
  return t;
}

/** Slide "Causal broadcast": A broadcasts m1; B delivers m1 then broadcasts m2; A broadcasts m3. */
function causalExample(orderAtC: string[]): TraceBuilder {
  const t = new TraceBuilder(["A", "B", "C"]);
  t.broadcast("A", "m1");
  t.deliver("A", "m1");
  t.deliver("B", "m1");
  t.broadcast("B", "m2");
  t.broadcast("A", "m3");
  for (const m of orderAtC) t.deliver("C", m);
  return t;
}

describe("broadcast order checkers (lecture 4)", () => {
  it("FIFO broadcast: accepts the slide's valid orders (m2,m1,m3), (m1,m2,m3), (m1,m3,m2)", () => {
    for (const order of [["m2", "m1", "m3"], ["m1", "m2", "m3"], ["m1", "m3", "m2"]]) {
      assert.deepEqual(checkFifoOrder(fifoExample(order)), { ok: true, violations: [] }, order.join(","));
    }
  });

  it("FIFO broadcast: delivering m3 before m1 is a violation naming both messages, the node and the events", () => {
    const t = fifoExample(["m3", "m1", "m2"]);
    const result = checkFifoOrder(t);
    assert.equal(result.ok, false);
    assert.equal(result.violations.length, 1);
    const v = result.violations[0]!;
    assert.equal(v.property, "FIFO order");
    assert.equal(v.message, "Node C delivered m3 before m1, although A broadcast m1 before m3.");
    assert.deepEqual(v.events, [0, 2, 3, 4]); // broadcast m1, broadcast m3, deliver m3, deliver m1
  });

  it("FIFO broadcast: delivering m3 and never m1 is a violation too", () => {
    const result = checkFifoOrder(fifoExample(["m2", "m3"]));
    assert.equal(result.ok, false);
    assert.match(result.violations[0]!.message, /never delivered m1/);
  });

  it("Causal broadcast: accepts (m1,m2,m3) and (m1,m3,m2), rejects m2 before m1", () => {
    assert.ok(checkCausalOrder(causalExample(["m1", "m2", "m3"])).ok);
    assert.ok(checkCausalOrder(causalExample(["m1", "m3", "m2"])).ok);
    const bad = checkCausalOrder(causalExample(["m2", "m1", "m3"]));
    assert.equal(bad.ok, false);
    assert.equal(bad.violations[0]!.message, "Node C delivered m2 before m1, although broadcast(m1) happened before broadcast(m2).");
    // (m2, m1, m3) is FIFO-valid, though: m1 and m2 come from different nodes
    assert.ok(checkFifoOrder(causalExample(["m2", "m1", "m3"])).ok);
  });

  it("Causal broadcast: concurrent broadcasts may be delivered in any order", () => {
    const t = new TraceBuilder(["A", "B", "C"]);
    t.broadcast("A", "x");
    t.broadcast("B", "y");
    t.deliver("C", "y");
    t.deliver("C", "x");
    t.deliver("A", "x");
    t.deliver("A", "y");
    assert.ok(checkCausalOrder(t).ok);
  });

  it("Total order broadcast (1): all nodes deliver m1, m2, m3 in the same order, including to themselves", () => {
    const t = new TraceBuilder(["A", "B", "C"]);
    for (const m of ["m1", "m2", "m3"]) t.broadcast(m === "m2" ? "B" : "A", m);
    for (const n of ["A", "B", "C"]) for (const m of ["m1", "m2", "m3"]) t.deliver(n, m);
    assert.ok(checkTotalOrder(t).ok);
    assert.ok(checkFifoTotalOrder(t).ok);
  });

  it("Total order broadcast: a swapped pair at two nodes is reported once, naming both nodes", () => {
    const t = new TraceBuilder(["A", "B"]);
    t.broadcast("A", "m1");
    t.broadcast("B", "m2");
    t.deliver("A", "m1");
    t.deliver("A", "m2");
    t.deliver("B", "m2");
    t.deliver("B", "m1");
    const result = checkTotalOrder(t);
    assert.equal(result.ok, false);
    assert.equal(result.violations.length, 1);
    assert.equal(result.violations[0]!.message, "Node A delivered m1 before m2, but node B delivered m2 before m1.");
    assert.deepEqual(result.violations[0]!.events, [2, 3, 4, 5]);
  });

  it("FIFO-total order: total but not FIFO is rejected as FIFO-total", () => {
    const t = new TraceBuilder(["A", "B"]);
    t.broadcast("A", "m1");
    t.broadcast("A", "m2");
    for (const n of ["A", "B"]) {
      t.deliver(n, "m2");
      t.deliver(n, "m1");
    }
    assert.ok(checkTotalOrder(t).ok);
    const result = checkFifoTotalOrder(t);
    assert.equal(result.ok, false);
    assert.match(result.violations[0]!.property, /^FIFO-total order \(FIFO order\)$/);
  });

  it("reliability: loss (validity), duplication and creation are each named", () => {
    const t = new TraceBuilder(["A", "B", "C"]);
    t.broadcastAndDeliver("A", "m1", ["A", "B"]); // C never delivers m1
    t.deliver("B", "m1"); // duplicate
    t.deliver("C", "ghost"); // never broadcast
    const result = checkReliability(t);
    assert.equal(result.ok, false);
    const properties = result.violations.map((v) => v.property).sort();
    assert.deepEqual(properties, ["no creation", "no duplication", "validity"]);
    assert.ok(result.violations.some((v) => v.message === "Correct node A broadcast m1, but correct node C never delivered it."));
  });

  it("reliability: a crashed sender's message must reach all correct nodes once one has it (agreement)", () => {
    const t = new TraceBuilder(["A", "B", "C"]);
    t.broadcastAndDeliver("A", "m1", ["A", "B"]);
    t.crash("A");
    const result = checkReliability(t);
    assert.equal(result.violations.length, 1);
    assert.equal(result.violations[0]!.property, "agreement");
    // ...but if nobody correct got it, losing it is allowed
    const u = new TraceBuilder(["A", "B", "C"]);
    u.broadcastAndDeliver("A", "m1", ["A"]);
    u.crash("A");
    assert.ok(checkReliability(u).ok);
  });

  it("broadcast history: payloads identify messages; a repeated payload is an error", () => {
    assert.equal(canonicalId({ n: 1, from: "A" }), canonicalId({ from: "A", n: 1 }));
    const t = new TraceBuilder(["A"]);
    t.broadcast("A", "m1");
    t.broadcast("A", "m1");
    assert.throws(() => broadcastHistory(t), /message m1 is broadcast twice \(events 0 and 1\)/);
    const withIds = broadcastHistory(t.events.slice(0, 1), { idOf: (m) => `id-${String(m)}` });
    assert.equal(withIds.broadcasts[0]!.id, "id-m1");
  });

  it("violations are capped, with a note of how many more there were", () => {
    const t = new TraceBuilder(["A", "B"]);
    for (let k = 0; k < 30; k++) t.broadcast("A", `m${k}`);
    for (let k = 29; k >= 0; k--) t.deliver("B", `m${k}`);
    const result = checkFifoOrder(t, { maxViolations: 5 });
    assert.equal(result.ok, false);
    assert.equal(result.violations.length, 6);
    assert.match(result.violations[5]!.message, /and 24 more violations/);
  });
});
