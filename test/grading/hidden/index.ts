/**
 * Hidden tests: never in the handout, never loaded by the sandbox (only their inputs reach it).
 * Each uses a public driver of its exercise and adds inputs and trusted checks.
 */
import type { TestDef } from "../../../src/grading/define";
import type { ClockRun } from "../../../src/grading/specs/clock-runs";
import { lamportChecks } from "../../../src/grading/specs/lamport-clock";
import { clockRuns } from "../../../src/grading/specs/run-arbitrary";
import { vectorChecks } from "../../../src/grading/specs/vector-clock";
import { hiddenTests12 } from "./lectures-1-2";

export const hiddenTests: { readonly [exerciseId: string]: readonly TestDef[] } = {
  ...hiddenTests12,
  "4.2": [
    {
      name: "unreliable network: duplicated and lost messages",
      points: 1,
      category: "unreliable network",
      visibility: "after_due_date",
      description: "Random runs where some messages are received twice and some never.",
      driver: "replay",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 4, stepsMax: 30, duplicates: true }),
      runs: 100,
      check: (run: ClockRun, output: unknown) => {
        const values = lamportChecks.slideValues(run, output);
        return values.ok ? lamportChecks.clockCondition(run, output) : values;
      },
    },
    {
      name: "large runs: 6 nodes, 80 events",
      points: 1,
      category: "exhaustive",
      visibility: "hidden",
      description: "Long random runs at 6 nodes.",
      driver: "replay",
      arbitrary: clockRuns({ nodesMin: 6, nodesMax: 6, stepsMax: 80, duplicates: true }),
      runs: 30,
      check: lamportChecks.slideValues,
    },
  ],
  "4.3": [
    {
      name: "compare agrees with happens-before on your own timestamps",
      points: 1,
      category: "randomised",
      visibility: "hidden",
      description: "compare(V(a), V(b)) over every pair of events of random runs is exactly happens-before.",
      driver: "replayAndCompare",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 4, stepsMax: 20, duplicates: false }),
      runs: 60,
      check: vectorChecks.compareMatchesHappensBefore,
    },
    {
      name: "unreliable network: duplicated and lost messages",
      points: 1,
      category: "unreliable network",
      visibility: "after_published",
      description: "Random runs where some messages are received twice and some never.",
      driver: "replay",
      arbitrary: clockRuns({ nodesMin: 2, nodesMax: 4, stepsMax: 25, duplicates: true }),
      runs: 100,
      check: (run: ClockRun, output: unknown) => {
        const values = vectorChecks.slideValues(run, output);
        return values.ok ? vectorChecks.ordering(run, output) : values;
      },
    },
  ],
};
