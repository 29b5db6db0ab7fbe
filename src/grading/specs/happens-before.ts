/** Graded tests of Exercise 3.2, the happens-before relation (lecture 3, slide "The happens-before relation"). */
import type { Scenario } from "../../sim/index";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { preview } from "../scenarios";
import { GraderRun, clockScenarios, describeEvent, firstWrong, isMatrix } from "./clock-checks";
import { nodeLogs, scriptedScenario, type LogRef } from "./clock-scenarios";
import { drivers } from "./drivers/happens-before";

/**
 * ": A1 -> B2 (message 3), B2 -> B3 (same node)": a chain of direct steps from a to b (positions in
 * refs), each step to a direct successor from which b is still reached, as the grader's relation over
 * the run's trace says (so this is no answer to the exercise: it needs that relation).
 */
function why(refs: readonly LogRef[], run: GraderRun, a: number, b: number): string {
  const receipts = (k: number) => (refs[k]!.kind !== "send" ? [] : refs.flatMap((r, j) => (r.kind === "receive" && r.msgId === refs[k]!.msgId ? [j] : [])));
  // refs run node by node in log order: k + 1 is the event after k at its node, if it is at the same node.
  const next = (k: number) => [...(refs[k + 1]?.node === refs[k]!.node ? [k + 1] : []), ...receipts(k)];
  const name = (k: number) => `${refs[k]!.node}${refs[k]!.index}`;
  const steps: string[] = [];
  for (let x = a; x !== b; ) {
    const y = next(x).find((c) => c === b || run.before(refs[c]!.i, refs[b]!.i));
    if (y === undefined) return "";
    steps.push(`${name(x)} -> ${name(y)} (${refs[x]!.node === refs[y]!.node ? "same node" : `message ${refs[y]!.msgId}`})`);
    x = y;
  }
  return `: ${steps.join(", ")}`;
}

/** Trusted checks, shared with the hidden tests. */
export const happensBeforeChecks = {
  /** The answers for every pair against the checkers' relation over the grader's own run of the scenario. */
  relation(scenario: Scenario, output: unknown): Verdict {
    const run = new GraderRun(scenario);
    const { refs } = nodeLogs(scenario.nodes, run.trace);
    const n = refs.length;
    const got = output as { before?: unknown; concurrent?: unknown } | null;
    const beforeAnswers = got?.before;
    const concurrentAnswers = got?.concurrent;
    if (!isMatrix(beforeAnswers, n) || !isMatrix(concurrentAnswers, n)) return fail(`expected two ${n} x ${n} matrices of answers, got ${preview(output)}`);
    const before = (a: number, b: number) => run.before(refs[a]!.i, refs[b]!.i);
    const event = (k: number) => describeEvent(refs[k]!);
    const chain = (a: number, b: number) => `${event(a)} -> ${event(b)}${why(refs, run, a, b)}`;
    const questions = [
      { name: "happensBefore", answers: beforeAnswers, truth: before },
      { name: "concurrent", answers: concurrentAnswers, truth: (a: number, b: number) => a !== b && !before(a, b) && !before(b, a) },
    ];
    for (const { name, answers, truth } of questions) {
      const wrong = firstWrong(answers, truth);
      if (wrong === undefined) continue;
      const [a, b] = wrong;
      const fact =
        a === b ? `an event ${name === "concurrent" ? "is not concurrent with" : "does not happen before"} itself`
        : before(a, b) ? chain(a, b)
        : name === "happensBefore" ? `${event(a)} does not happen before ${event(b)}: no chain of same-node steps and messages leads from one to the other`
        : before(b, a) ? chain(b, a) : `${event(a)} and ${event(b)} are concurrent: neither happens before the other`;
      const ref = (k: number) => JSON.stringify({ node: refs[k]!.node, index: refs[k]!.index });
      const diagram = run.labelled(new Map(refs.map((r, k) => [r.i, `${r.node}${r.index}${k === a || k === b ? " ✗" : ""}`])));
      return fail(`${name}(logs, ${ref(a)}, ${ref(b)}) returned ${preview(answers[a]![b])}, but ${fact}`, diagram);
    }
    return pass;
  },
};

/** The slide's example: a, b at A; c, d at B; e, f at C; m1 from b to c, m2 from d to f. */
export const slideExample = scriptedScenario("happens-before-slide", ["A", "B", "C"], [["A", "event"], ["C", "event"], ["A", "send", "B"], ["B", "send", "C"]], [{ from: "A", to: "B", latencyMs: 0.5 }]);

/**
 * "The moon is made of cheese": A sends its claim m1 to B and m2 to C (slowly); B, having received
 * m1, replies m3 to C and m4 to A; C receives the reply m3 before the claim m2.
 */
const moonAndCheese = scriptedScenario("happens-before-moon", ["A", "B", "C"], [["A", "send", "B"], ["A", "send", "C"], ["A", "event"], ["B", "send", "C"], ["B", "send", "A"]], [{ from: "A", to: "C", latencyMs: 5 }]);

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
      description: "The slide's execution (a, b at A; c, d at B; e, f at C) and the moon-and-cheese one, from each node's log: every pair of events, both functions.",
      driver: "relation",
      inputs: [slideExample, moonAndCheese],
      check: happensBeforeChecks.relation,
    },
    {
      name: "random executions: related and concurrent pairs",
      points: 3,
      category: "randomised",
      description: "Random runs at 2-5 nodes, messages reordered or lost: every pair of events, both functions.",
      driver: "relation",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 5, stepsMax: 12, loss: [0, 0.3] }),
      runs: 100,
      check: happensBeforeChecks.relation,
    },
    {
      name: "duplicated messages: every copy is a receipt of the same send",
      points: 1,
      category: "unreliable network",
      description: "Random runs in which some messages are received twice.",
      driver: "relation",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 4, stepsMax: 12, duplicate: [0.5] }),
      runs: 100,
      check: happensBeforeChecks.relation,
    },
  ],
});
