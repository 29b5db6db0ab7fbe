import assert from "node:assert/strict";
import { NodeIndex } from "../../../src/sim/node-index";
import { SimulationInputError } from "../../../src/sim/errors";
import { Simulation } from "../../../src/sim";

describe("sim/node-index: a node's position by id", () => {
  it("finds every id of large lists whose names differ only in a few characters", () => {
    const lists = [
      Array.from({ length: 2000 }, (_v, k) => `n${k}`),
      Array.from({ length: 300 }, (_v, k) => `datacenter-${k % 7}-rack-${k}-node`),
      Array.from({ length: 200 }, (_v, k) => String.fromCharCode(0x4e00 + k)),
      ["A"],
      ["", "a", "aa", "aaa", "\u0000", "__proto__", "constructor", "hasOwnProperty"],
    ];
    for (const ids of lists) {
      const index = new NodeIndex(ids);
      ids.forEach((id, k) => assert.equal(index.get(id), k, `position of ${JSON.stringify(id)}`));
    }
  });

  it("matches an equal string built elsewhere, and nothing that is not a node", () => {
    const ids = Array.from({ length: 100 }, (_v, k) => `replica-${k}`);
    const index = new NodeIndex(ids);
    const built = ["replica", String(42)].join("-");
    assert.equal(index.get(built), 42);
    for (const stranger of ["replica-100", "replica-", "Replica-1", "replica-01", "", "1"]) assert.equal(index.get(stranger), undefined, stranger);
    for (const notString of [42, undefined, null, { id: "replica-1" }, ["replica-1"], Symbol("replica-1")]) {
      assert.equal(index.get(notString), undefined);
    }
    assert.equal(new NodeIndex(["1", "2"]).get(1), undefined, "a number is not the node id \"1\"");
  });

  it("rejects a duplicate id, naming its position", () => {
    assert.throws(() => new NodeIndex(["A", "B", "A"]), (e: unknown) => e instanceof SimulationInputError && /nodes\[2\].*duplicate node id/.test(e.message));
  });

  it("is what ctx.send checks its destination against", () => {
    const sim = new Simulation({
      seed: "s",
      nodes: ["A", "B"],
      protocol: { name: "p", init: () => ({}), receive: {}, request: (_s, _r, ctx) => ctx.send("C", { type: "Hi" }) },
    });
    sim.request("A", {});
    assert.throws(() => sim.run(), /send\(to\) at node A: expected a known node id \(nodes: A, B\), got "C"/);
  });
});
