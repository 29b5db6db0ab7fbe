/** Graded tests of Exercise 4.2, Lamport clock (lecture 4, slide "Lamport clocks algorithm"). */
import type { Scenario } from "../../sim/index";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { preview } from "../scenarios";
import { clockScenarios, describeEvent, judgeStamps, slideValues, type StampKind } from "./clock-checks";
import { scriptedScenario } from "./clock-scenarios";
import { drivers } from "./drivers/lamport-clock";

const lamport: StampKind<number> = {
  valid: (t): t is number => Number.isSafeInteger(t) && (t as number) >= 0,
  shape: () => "a non-negative integer",
  show: String,
  label: (t) => `L=${t}`,
};

/** Trusted checks, shared with the hidden tests. */
export const lamportChecks = {
  /** Every event's timestamp is the slide's: t + 1, or max(t, t') + 1 on receiving. */
  slideValues: slideValues(lamport, () => 0, (t, tPrime) =>
    tPrime === undefined ? { t: t + 1, why: `t := t + 1 = ${t} + 1` } : { t: Math.max(t, tPrime) + 1, why: `t := max(t, t') + 1 = max(${t}, ${tPrime}) + 1` },
  ),

  /** Slide "Lamport clocks in words": if a -> b then L(a) < L(b). */
  clockCondition: (scenario: Scenario, output: unknown): Verdict =>
    judgeStamps(scenario, output, lamport, (run, stamps, failWith) => {
      for (let b = 0; b < run.events.length; b++) {
        for (let a = 0; a < run.events.length; a++) {
          if (run.before(run.events[a]!.i, run.events[b]!.i) && !(stamps[a]! < stamps[b]!)) {
            return failWith(`clock condition violated: ${describeEvent(run.events[a]!)} -> ${describeEvent(run.events[b]!)}, but L = ${stamps[a]} and ${stamps[b]}`);
          }
        }
      }
      return pass;
    }),
};

/** A: event, send m1, event, receive m2; B: event, receive m1, send m2. */
const twoNodes = scriptedScenario("lamport-two-nodes", ["A", "B"], [["A", "event"], ["A", "send", "B"], ["B", "event"], ["A", "event"], ["B", "send", "A"]], [{ from: "A", to: "B", latencyMs: 2.5 }]);
/** B's clock is ahead when A's message arrives: the receive must not move it backwards. */
const staleMessage = scriptedScenario("lamport-stale", ["A", "B"], [["A", "send", "B"], ["B", "event"], ["B", "event"], ["B", "event"]], [{ from: "A", to: "B", latencyMs: 3.5 }]);

export const lamportClock = defineExercise({
  id: "4.2",
  title: "Lamport clock",
  slide: "Lamport clocks algorithm",
  module: "lamport-clock",
  drivers,
  tests: [
    {
      name: "initialisation: t = 0",
      points: 1,
      category: "basic",
      description: "createLamportClock() returns a clock whose t is 0.",
      driver: "create",
      inputs: [null],
      check: (_input, output) => {
        const t = (output as { t?: unknown } | null)?.t;
        return t === 0 ? pass : fail(`expected { t: 0 }, got ${preview(output)}`);
      },
    },
    {
      name: "Lamport clocks algorithm: a two-node example",
      points: 2,
      category: "basic",
      description: "The slide's algorithm on fixed runs at two nodes: every returned timestamp must be the slide's value.",
      driver: "replay",
      inputs: [twoNodes, staleMessage],
      check: lamportChecks.slideValues,
    },
    {
      name: "Lamport clocks algorithm: random runs",
      points: 3,
      category: "randomised",
      description: "Random runs at 2-5 nodes (messages reordered): every timestamp is the slide's value.",
      driver: "replay",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 5, stepsMax: 20 }),
      runs: 100,
      check: lamportChecks.slideValues,
    },
    {
      name: "clock condition: a -> b implies L(a) < L(b)",
      points: 2,
      category: "randomised",
      description: "Random runs at 2-5 nodes, some messages lost: whenever a happens before b, L(a) < L(b) (slide \"Lamport clocks in words\").",
      driver: "replay",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 5, stepsMax: 20, loss: [0, 0.3] }),
      runs: 100,
      check: lamportChecks.clockCondition,
    },
  ],
});
