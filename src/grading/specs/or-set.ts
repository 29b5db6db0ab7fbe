/**
 * Graded tests of Exercise 8.3, the state-based observed-remove set (lecture 8, "State-based
 * CRDTs"): the merge's laws on random states, and runs judged by the final reads.
 */
import * as fc from "fast-check";
import type { Tagged } from "../../protocols/crdt/or-set-model";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { converged, crdtRuns, finalAnswers, madeRequests, mergeLaws, withFinalReads } from "./crdt-checks";
import { drivers } from "./drivers/or-set";

type OrSetData = { adds: Tagged[]; removed: string[] };
type SetRequest = { type: "add" | "remove"; e: string };
const reads = [{ type: "read" }];
const ELEMENTS = ["a", "b", "c"];

function elementsAnswer(value: unknown): string[] | string {
  const elements = (value as { elements?: unknown } | null)?.elements;
  if (!Array.isArray(elements) || !elements.every((e) => typeof e === "string")) return "expected { elements: [...] } with string elements";
  return [...elements].sort();
}

const crashes = (run: Scenario, node: string) => (run.faults ?? []).some((f) => f.kind === "crash" && f.node === node);

export const orSetChecks = {
  /** Converged, nothing that was never added, and an element added (never removed) by a replica that never crashed is there. */
  final(run: Scenario, output: unknown): Verdict {
    const read = finalAnswers(run, output, 1, elementsAnswer);
    if (!("answers" in read)) return read;
    const { trace, answers } = read;
    const verdict = converged(run, trace, answers, (list) => JSON.stringify(list[0]));
    if (!verdict.ok) return verdict;
    const elements = [...answers.values()][0]?.[0] ?? [];
    const requests = madeRequests<SetRequest>(run, "add").concat(madeRequests<SetRequest>(run, "remove"));
    for (const e of elements) {
      if (!requests.some((r) => r.request.type === "add" && r.request.e === e)) return fail(`the set holds ${JSON.stringify(e)}, which was never added [run seed=${run.seed}]`, [...trace.events]);
    }
    for (const e of new Set(requests.map((r) => r.request.e))) {
      const mine = requests.filter((r) => r.request.e === e);
      const stable = mine.some((r) => r.request.type === "add" && !crashes(run, r.node)) && mine.every((r) => r.request.type === "add");
      if (stable && !elements.includes(e)) return fail(`${JSON.stringify(e)} was added (and never removed) but is missing [run seed=${run.seed}]`, [...trace.events]);
    }
    return pass;
  },
  /** The final reads equal `expected` (scripted runs whose outcome the slides' semantics fix). */
  expect(expected: readonly string[]) {
    return (run: Scenario, output: unknown): Verdict => {
      const verdict = orSetChecks.final(run, output);
      if (!verdict.ok) return verdict;
      const read = finalAnswers(run, output, 1, elementsAnswer);
      if (!("answers" in read)) return read;
      const got = [...read.answers.values()][0]![0]!;
      if (JSON.stringify(got) !== JSON.stringify([...expected].sort())) {
        return fail(`every replica reads ${JSON.stringify(got)}, but this run must end with ${JSON.stringify(expected)}: ${run.description ?? ""} [run seed=${run.seed}]`, [...read.trace.events]);
      }
      return pass;
    };
  },
  merge(input: { a: OrSetData; b: OrSetData; c: OrSetData }, output: unknown): Verdict {
    const valid = (value: unknown): string | undefined => {
      const v = value as OrSetData | null;
      if (v === null || typeof v !== "object" || !Array.isArray(v.adds) || !Array.isArray(v.removed)) return "expected { adds, removed }";
      if (!v.adds.every((a) => a !== null && typeof a === "object" && typeof a.e === "string" && typeof a.tag === "string")) return "adds must be { e, tag } pairs of strings";
      if (!v.removed.every((t) => typeof t === "string")) return "removed must hold tags (strings)";
      return undefined;
    };
    const canonical = (s: OrSetData) => ({ adds: s.adds.map((a) => `${a.tag}=${a.e}`).sort(), removed: [...s.removed].sort() });
    const same = (x: OrSetData, y: OrSetData) => {
      const a = canonical(x);
      const b = canonical(y);
      const unique = (list: string[]) => list.length === new Set(list).size;
      return unique(a.adds) && unique(a.removed) && unique(b.adds) && unique(b.removed) && JSON.stringify(a) === JSON.stringify(b);
    };
    const correct = (a: OrSetData, b: OrSetData, merged: OrSetData): string | undefined => {
      const adds = new Map<string, Tagged>();
      for (const t of [...a.adds, ...b.adds]) adds.set(t.tag, t);
      const expected = { adds: [...adds.values()], removed: [...new Set([...a.removed, ...b.removed])] };
      return same(merged, expected) ? undefined : `= ${JSON.stringify(merged)}, but it must hold each add and each removed tag of a and b, once: ${JSON.stringify(expected)}`;
    };
    return mergeLaws(input, output, valid, same, correct);
  },
};

const ops = (description: string, list: readonly (readonly [string, number, "add" | "remove", string])[]): Scenario =>
  withFinalReads({
    seed: `or-set-${description.split(" ")[0]}`, nodes: ["A", "B", "C"], network: { latencyMs: [5, 40] }, description,
    requests: list.map(([node, atMs, type, e]): ScenarioRequest => ({ node, atMs, request: { type, e } })), untilMs: 1600,
  }, reads);

export const removeAfterAdd = ops("remove: B removes x after seeing A's add; y stays", [["A", 0, "add", "x"], ["C", 0, "add", "y"], ["B", 400, "remove", "x"]]);
export const addWins = ops("add-wins: B removes x while C adds it again, concurrently", [["A", 0, "add", "x"], ["B", 400, "remove", "x"], ["C", 400, "add", "x"]]);
export const reAdd = ops("re-add: x added, removed, then added again", [["A", 0, "add", "x"], ["B", 400, "remove", "x"], ["A", 800, "add", "x"], ["C", 800, "add", "z"]]);

/** Random adds and removes of a, b, c. */
export function orSetRuns(shape: { nodesMax: number; opsMax: number; loss: number[]; duplicate: number[]; recoveriesMax?: number; partitionsMax?: number }): fc.Arbitrary<Scenario> {
  return crdtRuns({
    nodesMin: 2, nodesMax: shape.nodesMax, requestsMax: shape.opsMax, spreadMs: 300, latencyMsMax: 60,
    request: (node, k) => ({ type: k % 3 === 2 ? "remove" : "add", e: ELEMENTS[(k + node.charCodeAt(0)) % ELEMENTS.length] }),
    loss: shape.loss, duplicate: shape.duplicate, recoveriesMax: shape.recoveriesMax ?? 0, partitionsMax: shape.partitionsMax ?? 0, seedPrefix: "or-set",
  }, reads);
}

/** Three states drawn from one pool of tagged adds (a tag always names the same element). */
const orSetState = (pool: Tagged[]) => fc.record({ adds: fc.subarray(pool), removed: fc.subarray(pool.map((t) => t.tag)) });
export const orSetMergeInputs = fc
  .uniqueArray(fc.record({ e: fc.constantFrom(...ELEMENTS), tag: fc.constantFrom("A:1", "A:2", "B:1", "B:2", "C:1", "C:3") }), { selector: (t) => t.tag, maxLength: 6 })
  .chain((pool) => fc.record({ a: orSetState(pool), b: orSetState(pool), c: orSetState(pool) }));

export const orSetExercise = defineExercise({
  id: "8.3",
  title: "Observed-remove set",
  slide: "State-based CRDTs",
  module: "or-set",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "merge: commutative, associative, idempotent, nothing lost",
      points: 2,
      category: "basic",
      description: "mergeOrSets on random states: the union of adds and of removed tags, each once; the three merge laws.",
      driver: "merge",
      arbitrary: orSetMergeInputs,
      runs: 60,
      check: orSetChecks.merge,
    },
    { name: "a remove removes what it observed", points: 2, category: "basic", description: "A adds x, B removes it after seeing the add: every replica ends with y only.", driver: "run", inputs: [removeAfterAdd], check: orSetChecks.expect(["y"]) },
    { name: "add wins over a concurrent remove", points: 2, category: "basic", description: "B removes x while C adds x concurrently: C's add was not observed by B's remove, so x stays, everywhere.", driver: "run", inputs: [addWins], check: orSetChecks.expect(["x"]) },
    { name: "removed, then added again", points: 1, category: "basic", description: "x is added, removed, then added again: it is in the set.", driver: "run", inputs: [reAdd], check: orSetChecks.expect(["x", "z"]) },
    {
      name: "unreliable network, partitions, crash-recovery",
      points: 3,
      category: "unreliable network",
      description: "Random adds and removes at 2-4 nodes with up to 30% loss, duplication, a partition and crashes with recovery: replicas converge, hold only added elements, and keep those never removed.",
      driver: "run",
      arbitrary: orSetRuns({ nodesMax: 4, opsMax: 9, loss: [0, 0.3], duplicate: [0, 0.2], recoveriesMax: 1, partitionsMax: 1 }),
      runs: 12,
      check: orSetChecks.final,
    },
  ],
});
