import assert from "node:assert/strict";
import { broadcastSpecsFromTrace, validDeliveryOrders } from "../../../src/checks/valid-delivery-orders";
import { TraceBuilder } from "../../../src/checks";

const sorted = (orders: string[][]) => orders.map((o) => o.join(",")).sort();

describe("validDeliveryOrders (lecture 4)", () => {
  it("FIFO broadcast: valid orders are (m2,m1,m3), (m1,m2,m3), (m1,m3,m2)", () => {
    const messages = [{ id: "m1", sender: "A" }, { id: "m2", sender: "B" }, { id: "m3", sender: "A" }];
    assert.deepEqual(sorted(validDeliveryOrders(messages, "fifo")), ["m1,m2,m3", "m1,m3,m2", "m2,m1,m3"]);
  });

  it("Causal broadcast: broadcast(m1) -> broadcast(m2) and -> broadcast(m3) leaves (m1,m2,m3) and (m1,m3,m2)", () => {
    const messages = [
      { id: "m1", sender: "A" },
      { id: "m2", sender: "B", after: ["m1"] },
      { id: "m3", sender: "A" },
    ];
    assert.deepEqual(sorted(validDeliveryOrders(messages, "causal")), ["m1,m2,m3", "m1,m3,m2"]);
  });

  it("the same specs can be read off a trace", () => {
    const t = new TraceBuilder(["A", "B", "C"]);
    t.broadcast("A", "m1");
    t.deliver("B", "m1");
    t.broadcast("B", "m2");
    t.broadcast("A", "m3");
    const specs = broadcastSpecsFromTrace(t);
    assert.deepEqual(specs, [
      { id: "m1", sender: "A", after: [] },
      { id: "m2", sender: "B", after: ["m1"] },
      { id: "m3", sender: "A", after: ["m1"] },
    ]);
    assert.deepEqual(sorted(validDeliveryOrders(specs, "causal")), ["m1,m2,m3", "m1,m3,m2"]);
  });

  it("with no constraint, n messages have n! orders; exceeding maxOrders is an error", () => {
    const messages = ["a", "b", "c", "d"].map((id) => ({ id, sender: id }));
    assert.equal(validDeliveryOrders(messages, "any").length, 24);
    assert.throws(() => validDeliveryOrders(messages, "any", { maxOrders: 23 }), /more than maxOrders = 23/);
  });

  it("rejects unknown dependencies, repeated ids and cycles", () => {
    assert.throws(() => validDeliveryOrders([{ id: "a", sender: "A", after: ["zz"] }], "causal"), /not in messages/);
    assert.throws(() => validDeliveryOrders([{ id: "a", sender: "A" }, { id: "a", sender: "B" }], "fifo"), /appears twice/);
    assert.throws(
      () => validDeliveryOrders([{ id: "a", sender: "A", after: ["b"] }, { id: "b", sender: "B", after: ["a"] }], "causal"),
      /cyclic/,
    );
  });
});
