/** Graded tests of Exercise 4.3, vector clock (lecture 4, slides "Vector clocks algorithm" and "Vector clocks ordering"). */
import * as fc from "fast-check";
import { defineExercise, fail, pass, type Verdict } from "../define";
import type { Scenario } from "../../sim/index";
import { preview } from "../scenarios";
import { GraderRun, clockScenarios, describeEvent, firstWrong, isMatrix, judgeStamps, slideValues, type StampKind } from "./clock-checks";
import { drivers } from "./drivers/vector-clock";

type Ordering = "before" | "after" | "equal" | "concurrent";

/** Trusted: the slide "Vector clocks ordering". */
export function order(a: readonly number[], b: readonly number[]): Ordering {
  const aLessEqual = a.every((value, j) => value <= b[j]);
  const bLessEqual = b.every((value, j) => value <= a[j]);
  if (aLessEqual && bLessEqual) return "equal";
  if (aLessEqual) return "before";
  if (bLessEqual) return "after";
  return "concurrent";
}

/** The relation of trace events a and b in a run, from happens-before. */
function relation(run: GraderRun, a: number, b: number): Ordering {
  if (a === b) return "equal";
  if (run.before(a, b)) return "before";
  if (run.before(b, a)) return "after";
  return "concurrent";
}

const show = (v: readonly number[]) => `[${v.join(",")}]`;
const vector: StampKind<number[]> = {
  valid: (v, n): v is number[] => Array.isArray(v) && v.length === n && v.every((x) => Number.isSafeInteger(x) && x >= 0),
  shape: (n) => `a vector of ${n} non-negative integers`,
  show,
  label: show,
};

/** Trusted checks, shared with the hidden tests. */
export const vectorChecks = {
  /** Every event's timestamp is the slide's (this also catches timestamps changed by later events). */
  slideValues: slideValues(vector, (n) => Array.from({ length: n }, () => 0), (own, tPrime, i) => {
    const t = tPrime === undefined ? [...own] : own.map((x, j) => Math.max(x, tPrime[j]!));
    t[i] += 1;
    return { t, why: tPrime === undefined ? `T[${i}] := T[${i}] + 1 from ${show(own)}` : `merge T = ${show(own)} with T' = ${show(tPrime)}, then T[${i}] := T[${i}] + 1` };
  }),

  /** Slide "Vector clocks ordering": V(a) < V(b) iff a -> b, and V(a) || V(b) iff a || b. */
  ordering: (scenario: Scenario, output: unknown): Verdict =>
    judgeStamps(scenario, output, vector, (run, stamps, failWith) => {
      for (let b = 0; b < stamps.length; b++) {
        for (let a = 0; a < b; a++) {
          const [ea, eb] = [run.events[a]!, run.events[b]!];
          const actual = order(stamps[a]!, stamps[b]!);
          const expected = relation(run, ea.i, eb.i);
          if (actual !== expected) {
            const fact = expected === "concurrent" ? "concurrent" : `ordered (${expected})`;
            return failWith(`${describeEvent(ea)} and ${describeEvent(eb)} are ${fact}, but V = ${show(stamps[a]!)} and ${show(stamps[b]!)} are ${actual}`);
          }
        }
      }
      return pass;
    }),

  /** The student's compare on each pair agrees with the slide's order. */
  compare(pairs: readonly (readonly [number[], number[]])[], output: unknown): Verdict {
    if (!Array.isArray(output) || output.length !== pairs.length) return fail(`expected one result per pair, got ${preview(output)}`);
    for (let k = 0; k < pairs.length; k++) {
      const [a, b] = pairs[k]!;
      const expected = order(a, b);
      if (output[k] !== expected) return fail(`compare([${a.join(",")}], [${b.join(",")}]) should be "${expected}", got ${preview(output[k])}`);
    }
    return pass;
  },

  /** The student's compare on the student's timestamps reproduces happens-before (output: a matrix over the events, node by node). */
  compareMatchesHappensBefore(scenario: Scenario, output: unknown): Verdict {
    const run = new GraderRun(scenario);
    const events = scenario.nodes.flatMap((node) => run.at(node));
    const n = events.length;
    if (!isMatrix(output, n)) return fail(`expected a ${n} x ${n} matrix of orderings, got ${preview(output)}`);
    const expected = (a: number, b: number) => relation(run, events[a]!.i, events[b]!.i);
    const wrong = firstWrong(output, expected);
    if (wrong === undefined) return pass;
    const [a, b] = wrong;
    return fail(`compare(V(${describeEvent(events[a]!)}), V(${describeEvent(events[b]!)})) should be "${expected(a, b)}", got ${preview(output[a]![b])}`);
  },
};

/** Pairs of small vectors, biased towards equal and ordered pairs (random pairs are mostly concurrent). */
const vectorPairs = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.array(
    fc.tuple(
      fc.array(fc.nat(4), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: -1, max: 1 }), { minLength: n, maxLength: n }),
      fc.constantFrom("same", "up", "down", "mixed"),
    ).map(([a, delta, how]) => {
      const step = (d: number) => (how === "same" ? 0 : how === "up" ? Math.abs(d) : how === "down" ? -Math.abs(d) : d);
      const b = a.map((x, j) => Math.max(0, x + step(delta[j])));
      return [a, b] as [number[], number[]];
    }),
    { minLength: 1, maxLength: 10 },
  ),
);

const ordered: [number[], number[]][] = [
  [[0, 0, 0], [0, 0, 0]],
  [[2, 2, 0], [2, 2, 0]],
  [[1, 0, 0], [2, 2, 0]],
  [[2, 2, 0], [1, 0, 0]],
  [[2, 0, 0], [0, 0, 1]],
  [[2, 2, 0], [2, 1, 1]],
  [[1, 2, 3], [1, 2, 4]],
  [[3], [2]],
];

export const vectorClock = defineExercise({
  id: "4.3",
  title: "Vector clock with comparison",
  slide: "Vector clocks algorithm",
  module: "vector-clock",
  drivers,
  tests: [
    {
      name: "initialisation: T = <0, ..., 0> and i = nodes.indexOf(self)",
      points: 1,
      category: "basic",
      description: "createVectorClock([A, B, C], B) has T = [0, 0, 0] and i = 1.",
      driver: "create",
      inputs: [{ nodes: ["A", "B", "C"], self: "B" }, { nodes: ["A"], self: "A" }],
      check: (input: { nodes: string[]; self: string }, output) => {
        const clock = output as { T?: unknown; i?: unknown } | null;
        const T = clock?.T;
        const zeros = Array.isArray(T) && T.length === input.nodes.length && T.every((x) => x === 0);
        if (!zeros) return fail(`createVectorClock(${preview(input.nodes)}, "${input.self}").T should be all zeros, got ${preview(T)}`);
        const i = input.nodes.indexOf(input.self);
        return clock?.i === i ? pass : fail(`createVectorClock(${preview(input.nodes)}, "${input.self}").i should be ${i}, got ${preview(clock?.i)}`);
      },
    },
    {
      name: "Vector clocks ordering: before, after, equal, concurrent",
      points: 2,
      category: "basic",
      description: "compare on the slide's examples and a few more.",
      driver: "compare",
      inputs: [ordered],
      check: vectorChecks.compare,
    },
    {
      name: "Vector clocks ordering: random vectors",
      points: 1,
      category: "randomised",
      description: "compare on random pairs of vectors of 1-5 entries.",
      driver: "compare",
      arbitrary: vectorPairs,
      runs: 100,
      check: vectorChecks.compare,
    },
    {
      name: "Vector clocks algorithm: random runs",
      points: 2,
      category: "randomised",
      description: "Random runs at 2-4 nodes: every returned timestamp is the slide's value, and stays so after later events.",
      driver: "replay",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 4, stepsMax: 18 }),
      runs: 100,
      check: vectorChecks.slideValues,
    },
    {
      name: "V(a) < V(b) iff a -> b, and V(a) || V(b) iff a || b",
      points: 2,
      category: "randomised",
      description: "Random runs at 2-4 nodes, some messages lost: the order of the timestamps is exactly happens-before (slide \"Vector clocks ordering\").",
      driver: "replay",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 4, stepsMax: 18, loss: [0, 0.3] }),
      runs: 100,
      check: vectorChecks.ordering,
    },
  ],
});
