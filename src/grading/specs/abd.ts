/**
 * Graded tests of Exercise 6.3, ABD (lecture 6, slides "Not linearizable, despite quorum
 * reads/writes" and "ABD: Making quorum reads/writes linearizable"): runs on reliable networks, each
 * node a client with one operation at a time, some nodes crashing; the history must be linearizable
 * and every operation at a live node answered once.
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { defineExercise } from "../define";
import { drivers } from "./drivers/abd";
import { linearizableRun } from "./replication-runs";

/** Trusted checks, shared with the hidden tests. */
export const abdChecks = { linearizable: linearizableRun };

/** Latency bound of the random runs, ms: an operation takes at most four hops, 4 * LATENCY_MAX_MS. */
const LATENCY_MAX_MS = 100;
/** A node's k-th operation starts in [2k, 2k + 1) operation-lengths: one at a time per node, overlapping other nodes'. */
const SPACING_MS = 8 * LATENCY_MAX_MS + 10;
const JITTER_MS = 4 * LATENCY_MAX_MS;

function op(node: string, atMs: number, request: Record<string, unknown>): ScenarioRequest {
  return { node, atMs, request };
}

/** Read after write, then a get overlapping a set at another node, then a get after both. */
export const abdBasics: Scenario = {
  seed: "abd-basics",
  nodes: ["A", "B", "C"],
  network: { latencyMs: [1, 40] },
  requests: [
    op("A", 0, { type: "set", opId: "a1", key: "x", value: "v1" }),
    op("B", 250, { type: "get", opId: "b1", key: "x" }),
    op("C", 500, { type: "set", opId: "c1", key: "x", value: "v2" }),
    op("A", 510, { type: "get", opId: "a2", key: "x" }),
    op("B", 520, { type: "get", opId: "b2", key: "x" }),
    op("B", 800, { type: "get", opId: "b3", key: "x" }),
  ],
  untilMs: 2000,
};

/**
 * The slide "Not linearizable, despite quorum reads/writes" on five nodes (quorums of 3), with
 * latency 5 ms: A's set of v1 reaches only A and C (its Writes to B, D and E are cut) and A crashes
 * before it completes; B's get at 20 ms hears first from B, C and D (E's reply is slow) and so sees
 * v1; E's get at 100 ms cannot hear from C (cut) and so reads from B, D and E. Without the write-back
 * of B's get, E's get returns nil after B's returned v1.
 */
export const slideRun: Scenario = {
  seed: "abd-slide",
  nodes: ["A", "B", "C", "D", "E"],
  network: { latencyMs: 5, links: [{ from: "E", to: "B", latencyMs: 50 }] },
  requests: [
    op("A", 0, { type: "set", opId: "set", key: "x", value: "v1" }),
    op("B", 20, { type: "get", opId: "get1", key: "x" }),
    op("E", 100, { type: "get", opId: "get2", key: "x" }),
  ],
  faults: [
    { kind: "cut", links: [["A", "B"], ["A", "D"], ["A", "E"]], atMs: 8, healAtMs: 1000 },
    { kind: "crash", node: "A", atMs: 12 },
    { kind: "cut", links: [["C", "E"]], atMs: 90, healAtMs: 1000 },
  ],
  untilMs: 2000,
};

/** Random workloads: 3-5 nodes, each a client with up to `perNode` operations SPACING_MS apart (random offsets), on one or two keys; up to `crashes` crash-stop faults (a minority). */
export function abdRuns(options: { perNode: number; crashes: number; nodesMin?: number; keys?: readonly string[] }): fc.Arbitrary<Scenario> {
  return fc
    .record({
      seed: fc.nat(),
      nodes: fc.integer({ min: options.nodesMin ?? 3, max: 5 }),
      ops: fc.array(fc.array(fc.record({ get: fc.boolean(), key: fc.constantFrom(...(options.keys ?? ["x", "y"])), jitterMs: fc.integer({ min: 0, max: JITTER_MS }) }), { maxLength: options.perNode }), { minLength: 5, maxLength: 5 }),
      crashes: fc.array(fc.record({ node: fc.nat(), atMs: fc.integer({ min: 0, max: options.perNode * SPACING_MS }) }), { maxLength: options.crashes }),
    })
    .map(({ seed, nodes, ops, crashes }) => {
      const names = ["A", "B", "C", "D", "E"].slice(0, nodes);
      const requests: ScenarioRequest[] = [];
      names.forEach((node, n) =>
        ops[n].forEach((o, k) => {
          const opId = `${node}${k + 1}`;
          requests.push(op(node, k * SPACING_MS + o.jitterMs, o.get ? { type: "get", opId, key: o.key } : { type: "set", opId, key: o.key, value: opId }));
        }),
      );
      // A minority crashes, each node at most once, so a quorum stays up.
      const minority = Math.floor((nodes - 1) / 2);
      const crashed = [...new Set(crashes.map((c) => names[c.node % nodes]))].slice(0, minority);
      return {
        seed: `abd-${seed}`,
        nodes: names,
        network: { latencyMs: { congested: LATENCY_MAX_MS } },
        requests,
        faults: crashed.map((node, i) => ({ kind: "crash" as const, node, atMs: crashes[i]?.atMs ?? 0 })),
        untilMs: options.perNode * SPACING_MS + 2000,
      } satisfies Scenario;
    });
}

export const abdExercise = defineExercise({
  id: "6.3",
  title: "ABD: linearizable quorum reads and writes",
  slide: "ABD: Making quorum reads/writes linearizable",
  module: "abd",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "ABD: read after write, and a get overlapping a set",
      points: 2,
      category: "basic",
      description: "Three nodes: A sets x, B gets it; C sets x again while A and B get it, then B gets it once more. Linearizable, each operation answered once.",
      driver: "run",
      inputs: [abdBasics],
      check: abdChecks.linearizable,
    },
    {
      name: "Not linearizable, despite quorum reads and writes: the slide's run",
      points: 2,
      category: "basic",
      description: "Five nodes: a set that reaches only two replicas before its node crashes; a get that sees the new value; a later get from another quorum. Both gets must return the new value (the write-back).",
      driver: "run",
      inputs: [slideRun],
      check: abdChecks.linearizable,
    },
    {
      name: "random concurrent gets and sets",
      points: 3,
      category: "randomised",
      description: "Random runs at 3-5 nodes, each node a client with up to 4 gets and sets on two keys, overlapping across nodes: linearizable, each answered once.",
      driver: "run",
      arbitrary: abdRuns({ perNode: 4, crashes: 0 }),
      runs: 25,
      check: abdChecks.linearizable,
    },
    {
      name: "crashes: a minority of nodes crash, the others' operations complete, linearizably",
      points: 2,
      category: "crashes",
      description: "As above, with up to two nodes (a minority) crashing for good at random times: a crashed node's operation in progress may stay unanswered, every other one completes; the history is linearizable.",
      driver: "run",
      arbitrary: abdRuns({ perNode: 4, crashes: 2 }),
      runs: 15,
      check: abdChecks.linearizable,
    },
  ],
});
