/**
 * Graded tests of Exercise 6.4, linearizable compare-and-swap via total order broadcast (lecture 6,
 * slide "Linearizable compare-and-swap (CAS)"). The run's requests and answers become a history
 * (src/checks/client-history.ts) judged by the kit's linearizability checker; every operation must be
 * answered exactly once, by the node that requested it.
 */
import * as fc from "fast-check";
import { historyFromTrace, keyedCasRegister } from "../../checks/client-history";
import { checkLinearizable } from "../../checks/linearizability/check";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { readTrace } from "../scenarios";
import { drivers } from "./drivers/linearizable-cas";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Trusted checks, shared with the hidden tests. */
export const casChecks = {
  /** Each operation answered once, at its node, unless that node crashed; the history linearizable. */
  linearizable(run: Scenario, output: unknown): Verdict {
    const trace = readTrace(run, output);
    if (!(trace instanceof Trace)) return trace;
    const crashed = new Set((run.faults ?? []).filter((f) => f.kind === "crash").map((f) => (f as { node: string }).node));
    const answers = new Map<string, number>();
    for (const e of trace.events) {
      if (e.kind !== "deliver" || !e.app) continue;
      const v = e.value;
      if (!isRecord(v) || v.type !== "ok" || typeof v.opId !== "string") return fail(`${e.node} delivered ${JSON.stringify(v)} to the application; expected { type: "ok", opId, output } [run seed=${run.seed}]`, [...trace.events]);
      const requested = (run.requests ?? []).find((r) => (r.request as { opId?: unknown }).opId === v.opId);
      if (requested === undefined) return fail(`${e.node} answered ${v.opId}, which nobody requested [run seed=${run.seed}]`, [...trace.events]);
      if (requested.node !== e.node) return fail(`${v.opId} was requested at ${requested.node} but answered at ${e.node}: only the requesting node returns the result [run seed=${run.seed}]`, [...trace.events]);
      answers.set(v.opId, (answers.get(v.opId) ?? 0) + 1);
    }
    for (const r of run.requests ?? []) {
      const opId = (r.request as { opId: string }).opId;
      const count = answers.get(opId) ?? 0;
      if (count > 1) return fail(`${opId} at ${r.node} was answered ${count} times [run seed=${run.seed}]`, [...trace.events]);
      if (count === 0 && !crashed.has(r.node)) return fail(`${opId} at ${r.node} (${JSON.stringify(r.request)}) was never answered [run seed=${run.seed}]`, [...trace.events]);
    }
    const history = historyFromTrace(trace);
    const result = checkLinearizable(history, keyedCasRegister());
    if (result.ok) return pass;
    const culprit = result.counterexample === undefined ? [] : history[result.counterexample.culprit].events;
    return fail(`${result.message} [run seed=${run.seed}]`, [...trace.events].filter((e) => e.kind !== "send" && e.kind !== "receive" || culprit.includes(e.i)));
  },
};

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
