/** Graded tests of Exercise 3.2, the happens-before relation (lecture 3, slide "The happens-before relation"). */
import { defineExercise, fail, pass, type Verdict } from "../define";
import { describeEvent, happensBefore, runTrace, type ClockRun } from "./clock-runs";
import { drivers } from "./drivers/happens-before";
import { preview } from "../scenarios";
import { clockRuns } from "./run-arbitrary";

/** A chain of direct steps (same node, or a message) from a to b, or undefined if there is none. */
function chain(run: ClockRun, a: number, b: number): number[] | undefined {
  const next: number[][] = run.events.map(() => []);
  const lastAt = new Map<string, number>();
  const sendOf = new Map<number, number>();
  run.events.forEach((e, k) => {
    const previous = lastAt.get(e.node);
    if (previous !== undefined) next[previous].push(k);
    lastAt.set(e.node, k);
    if (e.kind === "send") sendOf.set(e.msg, k);
    if (e.kind === "receive") next[sendOf.get(e.msg) as number].push(k);
  });
  const from = new Map<number, number>([[a, -1]]);
  const queue = [a];
  while (queue.length > 0) {
    const x = queue.shift() as number;
    if (x === b && x !== a) break;
    for (const y of next[x]) if (!from.has(y)) (from.set(y, x), queue.push(y));
  }
  if (!from.has(b) || a === b) return undefined;
  const path = [b];
  while (path[0] !== a) path.unshift(from.get(path[0]) as number);
  return path;
}

function why(run: ClockRun, a: number, b: number): string {
  const path = chain(run, a, b);
  if (path === undefined) return "";
  const steps = path.slice(1).map((y, k) => {
    const x = path[k];
    const ex = run.events[x];
    const ey = run.events[y];
    return ex.kind === "send" && ey.kind === "receive" && ex.msg === ey.msg && ex.node !== ey.node ? `e${x} -> e${y} (message m${ex.msg})` : `e${x} -> e${y} (same node ${ey.node})`;
  });
  return `: ${steps.join(", ")}`;
}

function labelled(run: ClockRun, a: number, b: number) {
  return runTrace(run, run.events.map((_e, k) => (k === a || k === b ? `✗ e${k}` : `e${k}`)));
}

function isMatrix(value: unknown, n: number): value is boolean[][] {
  return Array.isArray(value) && value.length === n && value.every((row) => Array.isArray(row) && row.length === n);
}

/** Trusted checks, shared with the hidden tests. */
export const happensBeforeChecks = {
  relation(run: ClockRun, output: unknown): Verdict {
    const n = run.events.length;
    const got = output as { before?: unknown; concurrent?: unknown } | null;
    const beforeAnswers = got?.before;
    const concurrentAnswers = got?.concurrent;
    if (!isMatrix(beforeAnswers, n) || !isMatrix(concurrentAnswers, n)) return fail(`expected two ${n} x ${n} matrices of answers, got ${preview(output)}`);
    const before = happensBefore(run);
    for (let b = 0; b < n; b++) {
      for (let a = 0; a < n; a++) {
        const truth = before[b].has(a);
        const answer = beforeAnswers[a][b];
        if (answer !== truth) {
          const claim = `happensBefore(events, ${a}, ${b}) returned ${preview(answer)}`;
          const fact = truth ? `${describeEvent(run, a)} -> ${describeEvent(run, b)}${why(run, a, b)}` : a === b ? "an event does not happen before itself" : `${describeEvent(run, a)} does not happen before ${describeEvent(run, b)}: no chain of same-node steps and messages leads from one to the other`;
          return fail(`${claim}, but ${fact}`, labelled(run, a, b));
        }
      }
    }
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const truth = a !== b && !before[b].has(a) && !before[a].has(b);
        const answer = concurrentAnswers[a][b];
        if (answer !== truth) {
          const claim = `concurrent(events, ${a}, ${b}) returned ${preview(answer)}`;
          const fact = a === b ? "an event is not concurrent with itself" : truth ? `${describeEvent(run, a)} and ${describeEvent(run, b)} are concurrent: neither happens before the other` : before[b].has(a) ? `${describeEvent(run, a)} -> ${describeEvent(run, b)}${why(run, a, b)}` : `${describeEvent(run, b)} -> ${describeEvent(run, a)}${why(run, b, a)}`;
          return fail(`${claim}, but ${fact}`, labelled(run, a, b));
        }
      }
    }
    return pass;
  },
};

/** The slide's example: a, b at A; c, d at B; e, f at C; m1 from b to c, m2 from d to f. */
export const slideExample: ClockRun = {
  nodes: ["A", "B", "C"],
  events: [
    { node: "A", kind: "local" }, // a
    { node: "C", kind: "local" }, // e
    { node: "A", kind: "send", msg: 1, to: "B" }, // b
    { node: "B", kind: "receive", msg: 1, from: "A" }, // c
    { node: "B", kind: "send", msg: 2, to: "C" }, // d
    { node: "C", kind: "receive", msg: 2, from: "B" }, // f
  ],
};

/** "The moon is made of cheese": A broadcasts m1, B replies m2 after receiving m1, C receives m2 first. */
const moonAndCheese: ClockRun = {
  nodes: ["A", "B", "C"],
  events: [
    { node: "A", kind: "send", msg: 1, to: "B" },
    { node: "A", kind: "send", msg: 2, to: "C" },
    { node: "B", kind: "receive", msg: 1, from: "A" },
    { node: "B", kind: "send", msg: 3, to: "C" },
    { node: "B", kind: "send", msg: 4, to: "A" },
    { node: "C", kind: "receive", msg: 3, from: "B" },
    { node: "C", kind: "receive", msg: 2, from: "A" },
    { node: "A", kind: "receive", msg: 4, from: "B" },
  ],
};

export const happensBeforeExercise = defineExercise({
  id: "3.2",
  title: "The happens-before relation",
  slide: "The happens-before relation",
  module: "happens-before",
  drivers,
  tests: [
    {
      name: "Happens-before relation example: the slide's six events",
      points: 2,
      category: "basic",
      description: "a -> b, b -> c, c -> d, d -> f, e -> f and their transitive consequences; a, b, c, d are concurrent with e.",
      driver: "relation",
      inputs: [slideExample, moonAndCheese],
      check: happensBeforeChecks.relation,
    },
    {
      name: "random executions: related and concurrent pairs",
      points: 3,
      category: "randomised",
      description: "Random executions at 2-5 nodes with messages reordered or lost: every pair of events, both functions.",
      driver: "relation",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 5, stepsMax: 25, duplicates: false }),
      runs: 100,
      check: happensBeforeChecks.relation,
    },
    {
      name: "duplicated messages: every copy is a receipt of the same send",
      points: 1,
      category: "unreliable network",
      description: "Random executions in which some messages are received twice.",
      driver: "relation",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 4, stepsMax: 25, duplicates: true }),
      runs: 100,
      check: happensBeforeChecks.relation,
    },
  ],
});
