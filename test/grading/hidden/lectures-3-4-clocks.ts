/**
 * Hidden tests of the logical-clock exercises (3.2 happens-before, 4.2 Lamport clock, 4.3 vector
 * clock): larger and harsher clock scenarios through the visible tests' drivers and checks. Merged
 * into hiddenTests by ./index.ts.
 */
import type { TestDef, Verdict } from "../../../src/grading/define";
import type { Scenario } from "../../../src/sim/index";
import { clockScenarios } from "../../../src/grading/specs/clock-checks";
import { happensBeforeChecks } from "../../../src/grading/specs/happens-before";
import { lamportChecks } from "../../../src/grading/specs/lamport-clock";
import { vectorChecks } from "../../../src/grading/specs/vector-clock";

/** Both checks, the first failure reported. */
const both = (first: (s: Scenario, o: unknown) => Verdict, second: (s: Scenario, o: unknown) => Verdict) => (scenario: Scenario, output: unknown) => {
  const verdict = first(scenario, output);
  return verdict.ok ? second(scenario, output) : verdict;
};

const lossyDuplicating = { loss: [0.2], duplicate: [0.3] };

export const hiddenTests34: { readonly [exerciseId: string]: readonly TestDef[] } = {
  "3.2": [
    {
      name: "large executions: 6 nodes, 20 steps",
      points: 1,
      category: "exhaustive",
      visibility: "hidden",
      description: "Long random runs with duplicated and lost messages.",
      driver: "relation",
      // Up to about 60 events: a correct answer that recomputes the whole relation on every call still passes.
      arbitrary: clockScenarios({ nodesMin: 6, nodesMax: 6, stepsMax: 20, ...lossyDuplicating }),
      runs: 20,
      check: happensBeforeChecks.relation,
    },
  ],
  "4.2": [
    {
      name: "unreliable network: duplicated and lost messages",
      points: 1,
      category: "unreliable network",
      visibility: "after_due_date",
      description: "Random runs where some messages are received twice and some never.",
      driver: "replay",
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 4, stepsMax: 20, ...lossyDuplicating }),
      runs: 100,
      check: both(lamportChecks.slideValues, lamportChecks.clockCondition),
    },
    {
      name: "large runs: 6 nodes, 60 steps",
      points: 1,
      category: "exhaustive",
      visibility: "hidden",
      description: "Long random runs at 6 nodes.",
      driver: "replay",
      arbitrary: clockScenarios({ nodesMin: 6, nodesMax: 6, stepsMax: 60, duplicate: [0.2] }),
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
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 4, stepsMax: 14 }),
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
      arbitrary: clockScenarios({ nodesMin: 2, nodesMax: 4, stepsMax: 18, ...lossyDuplicating }),
      runs: 100,
      check: both(vectorChecks.slideValues, vectorChecks.ordering),
    },
  ],
};
