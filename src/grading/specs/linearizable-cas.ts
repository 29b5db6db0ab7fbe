/**
 * Graded tests of Exercise 6.4, linearizable compare-and-swap via total order broadcast (lecture 6,
 * slide "Linearizable compare-and-swap (CAS)"). The run's requests and answers become a history
 * (src/checks/client-history.ts) judged by the kit's linearizability checker; every operation must be
 * answered exactly once, by the node that requested it.
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { defineExercise } from "../define";
import { linearizableRun } from "./replication-runs";
import { drivers } from "./drivers/linearizable-cas";

/** Trusted checks, shared with the hidden tests. */
export const casChecks = { linearizable: linearizableRun };

/** Each operation is its own client (so one node may have several waiting). */
function op(node: string, atMs: number, request: Record<string, unknown>): ScenarioRequest {
  return { node, atMs, request: { ...request, client: request.opId } };
}

/** The slide's question: three nodes race to CAS x from nil; then everyone reads. */
export const casRace: Scenario = {
  seed: "cas-race",
  nodes: ["A", "B", "C", "D"],
  network: { latencyMs: [1, 30] },
  requests: [
    op("B", 0, { type: "CAS", opId: "b1", x: "x", old: null, new: "B" }),
    op("C", 1, { type: "CAS", opId: "c1", x: "x", old: null, new: "C" }),
    op("D", 2, { type: "CAS", opId: "d1", x: "x", old: null, new: "D" }),
    ...["A", "B", "C", "D"].map((node, k) => op(node, 100 + k, { type: "get", opId: `${node.toLowerCase()}-get`, x: "x" })),
  ],
  untilMs: 2000,
};

/** Random workloads: 3-5 nodes (the first sequences), gets and CASes on one or two registers, values from a small set. */
export function casRuns(options: { opsMax: number; crashes: boolean }): fc.Arbitrary<Scenario> {
  return fc
    .record({
      seed: fc.nat(),
      nodes: fc.integer({ min: 3, max: 5 }),
      ops: fc.array(
        fc.record({ node: fc.nat(), atMs: fc.integer({ min: 0, max: 200 }), kind: fc.constantFrom("get", "CAS"), x: fc.constantFrom("x", "y"), old: fc.constantFrom(null, 1, 2), new: fc.constantFrom(1, 2, 3) }),
        { minLength: 1, maxLength: options.opsMax },
      ),
      crash: options.crashes ? fc.option(fc.record({ node: fc.integer({ min: 1, max: 4 }), atMs: fc.integer({ min: 0, max: 200 }) }), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ seed, nodes, ops, crash }) => {
      const names = ["A", "B", "C", "D", "E"].slice(0, nodes);
      return {
        seed: `cas-${seed}`,
        nodes: names,
        network: { latencyMs: [1, 40] },
        requests: ops.map((o, k) => {
          const opId = `op${k}`;
          const request = o.kind === "get" ? { type: "get", opId, x: o.x } : { type: "CAS", opId, x: o.x, old: o.old, new: o.new };
          return op(names[o.node % nodes], o.atMs, request);
        }),
        // Never the sequencer (the first node): the single-leader broadcast stops without it.
        faults: crash === undefined ? [] : [{ kind: "crash" as const, node: names[1 + (crash.node % (nodes - 1))], atMs: crash.atMs }],
        untilMs: 3000,
      } satisfies Scenario;
    });
}

export const linearizableCasExercise = defineExercise({
  id: "6.4",
  title: "Linearizable compare-and-swap via total order broadcast",
  slide: "Linearizable compare-and-swap (CAS)",
  module: "linearizable-cas",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "Linearizable CAS: three nodes race to CAS x from nil",
      points: 2,
      category: "basic",
      description: "B, C and D each CAS(x, nil, themselves) within 2 ms; then every node gets x. Exactly one CAS succeeds and every get returns its value: the history is linearizable, each operation answered once at its node.",
      driver: "run",
      inputs: [casRace],
      check: casChecks.linearizable,
    },
    {
      name: "random concurrent gets and CASes",
      points: 3,
      category: "randomised",
      description: "Random runs at 3-5 nodes, up to 12 gets and CASes on two registers at random times (several may wait at one node): linearizable, each answered once at its node.",
      driver: "run",
      arbitrary: casRuns({ opsMax: 12, crashes: false }),
      runs: 25,
      check: casChecks.linearizable,
    },
    {
      name: "crashes: a crashed node's operations may go unanswered, the rest stay linearizable",
      points: 1,
      category: "crashes",
      description: "As above, with a node other than the sequencer crashing for good: its waiting operations are never answered (they may or may not have taken effect); the history is still linearizable.",
      driver: "run",
      arbitrary: casRuns({ opsMax: 12, crashes: true }),
      runs: 15,
      check: casChecks.linearizable,
    },
  ],
});
