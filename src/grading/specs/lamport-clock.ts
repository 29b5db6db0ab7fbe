/** Graded tests of Exercise 4.2, Lamport clock (lecture 4, slide "Lamport clocks algorithm"). */
import { defineExercise, fail, pass, type Verdict } from "../define";
import { describeEvent, happensBefore, runTrace, type ClockRun } from "./clock-runs";
import { drivers } from "./drivers/lamport-clock";
import { clockRuns } from "./run-arbitrary";
import { preview } from "../scenarios";

/** Trusted checks, shared with the hidden tests. */
export const lamportChecks = {
  /** Output must be one non-negative integer per event. */
  shape(run: ClockRun, output: unknown): Verdict | number[] {
    if (!Array.isArray(output) || output.length !== run.events.length) {
      return fail(`expected one timestamp per event (${run.events.length}), got ${preview(output)}`);
    }
    const bad = output.findIndex((t) => !Number.isInteger(t) || t < 0);
    if (bad >= 0) return fail(`${describeEvent(run, bad)} returned ${preview(output[bad])}, not a non-negative integer`);
    return output as number[];
  },

  /** Every event's timestamp is the slide's: t + 1, or max(t, t') + 1 on receiving. */
  slideValues(run: ClockRun, output: unknown): Verdict {
    const stamps = lamportChecks.shape(run, output);
    if (!Array.isArray(stamps)) return stamps;
    const t = new Map<string, number>(run.nodes.map((node) => [node, 0]));
    const sent = new Map<number, number>();
    for (let index = 0; index < run.events.length; index++) {
      const event = run.events[index];
      const before = t.get(event.node) as number;
      let expected: number;
      let why: string;
      if (event.kind === "receive") {
        const tPrime = sent.get(event.msg) as number;
        expected = Math.max(before, tPrime) + 1;
        why = `t := max(t, t') + 1 = max(${before}, ${tPrime}) + 1`;
      } else {
        expected = before + 1;
        why = `t := t + 1 = ${before} + 1`;
      }
      if (stamps[index] !== expected) {
        return fail(`${describeEvent(run, index)}: expected ${why} = ${expected}, got ${stamps[index]}`, labelled(run, stamps));
      }
      if (event.kind === "send") sent.set(event.msg, stamps[index]);
      t.set(event.node, expected);
    }
    return pass;
  },

  /** Slide "Lamport clocks in words": if a -> b then L(a) < L(b). */
  clockCondition(run: ClockRun, output: unknown): Verdict {
    const stamps = lamportChecks.shape(run, output);
    if (!Array.isArray(stamps)) return stamps;
    const before = happensBefore(run);
    for (let b = 0; b < run.events.length; b++) {
      for (const a of [...before[b]].sort((x, y) => x - y)) {
        if (!(stamps[a] < stamps[b])) {
          return fail(
            `clock condition violated: ${describeEvent(run, a)} -> ${describeEvent(run, b)}, but L = ${stamps[a]} and ${stamps[b]}`,
            labelled(run, stamps),
          );
        }
      }
    }
    return pass;
  },
};

function labelled(run: ClockRun, stamps: readonly number[]) {
  return runTrace(run, stamps.map((t) => `L=${t}`));
}


const twoNodes: ClockRun = {
  nodes: ["A", "B"],
  events: [
    { node: "A", kind: "local" },
    { node: "A", kind: "send", msg: 1, to: "B" },
    { node: "B", kind: "local" },
    { node: "B", kind: "receive", msg: 1, from: "A" },
    { node: "B", kind: "send", msg: 2, to: "A" },
    { node: "A", kind: "receive", msg: 2, from: "B" },
  ],
};
/** B's clock is ahead when A's message arrives: the receive must not move it backwards. */
const staleMessage: ClockRun = {
  nodes: ["A", "B"],
  events: [
    { node: "A", kind: "send", msg: 1, to: "B" },
    { node: "B", kind: "local" },
    { node: "B", kind: "local" },
    { node: "B", kind: "local" },
    { node: "B", kind: "receive", msg: 1, from: "A" },
  ],
};

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
      description: "The slide's algorithm on a fixed run at two nodes: every returned timestamp must be the slide's value.",
      driver: "replay",
      inputs: [twoNodes, staleMessage],
      check: lamportChecks.slideValues,
    },
    {
      name: "Lamport clocks algorithm: random runs",
      points: 3,
      category: "randomised",
      description: "Random runs at 2-5 nodes (messages reordered or never received): every timestamp is the slide's value.",
      driver: "replay",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 5, stepsMax: 30, duplicates: false }),
      runs: 100,
      check: lamportChecks.slideValues,
    },
    {
      name: "clock condition: a -> b implies L(a) < L(b)",
      points: 2,
      category: "randomised",
      description: "Random runs at 2-5 nodes: whenever a happens before b, L(a) < L(b) (slide \"Lamport clocks in words\").",
      driver: "replay",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 5, stepsMax: 30, duplicates: false }),
      runs: 100,
      check: lamportChecks.clockCondition,
    },
  ],
});
