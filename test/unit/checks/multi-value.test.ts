import { strict as assert } from "node:assert";
import { checkMultiValueRegister } from "../../../src/checks/multi-value";
import { simulate, type Scenario } from "../../../src/sim/index";
import type { Protocol } from "../../../src/sim/protocol";
import { multiValueRegister, type MvMessage, type MvRegisterState, type MvRequest, type Sibling } from "../../../src/protocols/replication/multi-value-register";

const read = (node: string, atMs: number) => ({ node, atMs, request: { type: "read" } });

/** A and B write while partitioned; C reads both; C writes v3 over them. */
const run: Scenario = {
  seed: "mvr-check",
  nodes: ["A", "B", "C"],
  network: { latencyMs: [1, 10] },
  requests: [
    { node: "A", atMs: 10, request: { type: "write", value: "v1" } },
    { node: "B", atMs: 12, request: { type: "write", value: "v2" } },
    read("C", 300),
    { node: "C", atMs: 310, request: { type: "write", value: "v3" } },
    read("A", 1000), read("B", 1000), read("C", 1000),
  ],
  faults: [{ kind: "partition", groups: [["A"], ["B"]], atMs: 0, healAtMs: 200 }],
  untilMs: 1100,
};

/** The reference register whose Sync handler merges by union only (nothing superseded is dropped). */
function unpruned(): Protocol<MvRegisterState, MvMessage, MvRequest> {
  const register = multiValueRegister();
  return {
    ...register,
    receive: {
      Sync: (state, msg) => {
        const all: Sibling[] = [...state.siblings];
        for (const s of msg.siblings) if (!all.some((o) => JSON.stringify(o.clock) === JSON.stringify(s.clock))) all.push(s);
        state.siblings = all;
      },
    },
  };
}

/** The reference register that keeps only the incoming siblings when they differ (a concurrent write discarded). */
function overwriting(): Protocol<MvRegisterState, MvMessage, MvRequest> {
  return { ...multiValueRegister(), receive: { Sync: (state, msg) => void (state.siblings = [...msg.siblings]) } };
}

describe("checks: multi-value register (lecture 5, Concurrent writes by different clients)", () => {
  it("the reference: siblings are exactly the concurrent writes, then the write that saw both", () => {
    const { trace } = simulate(run, () => multiValueRegister());
    assert.deepEqual(checkMultiValueRegister(trace, { replicas: run.nodes, finalFromMs: 900 }).violations, []);
    const c = trace.events.find((e) => e.kind === "deliver" && e.node === "C" && e.t === 300)! as { value?: unknown };
    assert.deepEqual((c.value as { siblings: Sibling[] }).siblings.map((s) => s.value).sort(), ["v1", "v2"]);
  });

  it("superseded siblings kept: named with the write that superseded them", () => {
    const { trace } = simulate(run, () => unpruned());
    const result = checkMultiValueRegister(trace, { replicas: run.nodes });
    assert.equal(result.ok, false);
    assert.match(result.violations.map((v) => v.message).join("\n"), /but "v[12]" \(written at [AB] 1[02]\.0 ms\) was superseded by the write of "v3" at C 310\.0 ms, which happened after it and before the read: the siblings should be \{"v3"\}/);
  });

  it("a concurrent write discarded: named, with the siblings the read should have returned", () => {
    const { trace } = simulate(run, () => overwriting());
    const result = checkMultiValueRegister(trace, { replicas: run.nodes });
    assert.match(result.violations.map((v) => v.message).join("\n"), /happened before it and no write that happened before the read superseded it/, result.violations.map((v) => v.message).join("\n"));
  });

  it("clocks that disagree with happens-before, and invented values, are named", () => {
    const { trace } = simulate(run, () => multiValueRegister());
    const forged = trace.events.map((e) => (e.kind === "deliver" && e.node === "C" && (e.value as { op: string }).op === "write" ? { ...e, value: { op: "write", value: "v3", clock: { C: 1 } } } : e));
    assert.match(checkMultiValueRegister(forged, { replicas: run.nodes }).violations[0]!.message, /happened before the write of "v3" at C 310\.0 ms, but its clock \{"A":1\} is not less than \{"C":1\}/);
    const invented = trace.events.map((e) => (e.kind === "deliver" && e.node === "A" && e.t === 1000 ? { ...e, value: { op: "read", siblings: [{ value: "zz", clock: {} }] } } : e));
    assert.match(checkMultiValueRegister(invented, { replicas: run.nodes }).violations[0]!.message, /returned \{"zz"\}, but "zz" was never written/);
  });
});
