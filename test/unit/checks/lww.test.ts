import { strict as assert } from "node:assert";
import { checkLwwStore } from "../../../src/checks/lww";
import { simulate, type Scenario } from "../../../src/sim/index";
import type { Protocol } from "../../../src/sim/protocol";
import { lwwStore, type LwwMessage, type LwwRequest, type LwwStoreState } from "../../../src/protocols/replication/lww-store";

const get = (node: string, atMs: number, key = "x") => ({ node, atMs, request: { type: "get", key } });

/** A puts x; B deletes it after the put reached it; C, cut off meanwhile, still has the put. */
const run: Scenario = {
  seed: "lww-check",
  nodes: ["A", "B", "C"],
  network: { latencyMs: [1, 10] },
  requests: [
    { node: "A", atMs: 0, request: { type: "put", key: "x", value: "A0" } },
    { node: "B", atMs: 110, request: { type: "delete", key: "x" } },
    get("B", 130), get("A", 1000), get("B", 1000), get("C", 1000),
  ],
  faults: [{ kind: "partition", groups: [["A", "B"], ["C"]], atMs: 105, healAtMs: 400 }],
  untilMs: 1100,
};

/** The reference store, except that a delete removes the record (no tombstone). */
function noTombstones(): Protocol<LwwStoreState, LwwMessage, LwwRequest> {
  const store = lwwStore();
  return {
    ...store,
    request: (state, req, ctx) => {
      store.request!(state, req, ctx);
      if (req.type === "delete") delete state.records[req.key];
    },
  };
}

/** The reference store whose anti-entropy never sends anything. */
function noAntiEntropy(): Protocol<LwwStoreState, LwwMessage, LwwRequest> {
  return { ...lwwStore(), periodically: { antiEntropy: { everyMs: 50, run: () => {} } } };
}

describe("checks: LWW key-value store (lecture 5, Timestamps and tombstones, Reconciling replicas)", () => {
  it("the reference: every get returns the newest write it has seen, and the replicas converge on the tombstone", () => {
    const { trace } = simulate(run, () => lwwStore());
    assert.deepEqual(checkLwwStore(trace, { replicas: run.nodes, finalFromMs: 900 }).violations, []);
  });

  it("a delete without a tombstone: the deleted key reappears, named with the get, the put and the delete", () => {
    const { trace } = simulate(run, () => noTombstones());
    const result = checkLwwStore(trace, { replicas: run.nodes, finalFromMs: 900 });
    assert.equal(result.ok, false);
    const v = result.violations.find((x) => x.property === "tombstones")!;
    assert.match(v.message, /^deleted key x reappeared at [ABC]: the get at \d+\.\d ms returned x="A0" \[1,"A"\], but the delete of x \[2,"B"\] at B 110\.0 ms happened before it and is newer$/);
    assert.equal(v.events.length, 3);
  });

  it("no anti-entropy: the final gets have not converged", () => {
    const { trace } = simulate(run, () => noAntiEntropy());
    const result = checkLwwStore(trace, { replicas: run.nodes, finalFromMs: 900 });
    assert.match(result.violations.map((v) => v.message).join("\n"), /after every fault had healed, the get of x at A 1000\.0 ms returned x="A0" \[1,"A"\], but the newest write of x is the delete of x \[1,"B"\] at B 110\.0 ms/);
  });

  it("forged outputs: a duplicate timestamp, an answer to another request, a value never written", () => {
    const { trace } = simulate(run, () => lwwStore());
    const events = trace.events.map((e) => {
      if (e.kind === "deliver" && e.node === "B" && (e.value as { op: string }).op === "delete") return { ...e, value: { op: "delete", key: "x", t: [1, "A"] } };
      return e;
    });
    assert.match(checkLwwStore(events, { replicas: run.nodes }).violations[0]!.message, /timestamp \[1,"A"\]; a write at B has a Lamport timestamp/);
    const invented = trace.events.map((e) => (e.kind === "deliver" && e.node === "C" && e.t >= 1000 ? { ...e, value: { op: "get", key: "x", found: true, value: "Z", t: [9, "C"] } } : e));
    assert.match(checkLwwStore(invented, { replicas: run.nodes }).violations[0]!.message, /returned x="Z" \[9,"C"\], but no write of x has that timestamp/);
  });
});
