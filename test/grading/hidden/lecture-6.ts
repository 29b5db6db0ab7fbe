/**
 * Hidden tests of the lecture 6 exercises (6.1-6.4): larger runs of the visible tests' drivers and
 * checks (for 6.1 also a search with three participants). Merged into hiddenTests by ./index.ts.
 */
import * as fc from "fast-check";
import type { TestDef } from "../../../src/grading/define";
import { abdChecks, abdRuns } from "../../../src/grading/specs/abd";
import { casChecks, casRuns } from "../../../src/grading/specs/linearizable-cas";
import { commitRuns, twoPhaseCommitChecks } from "../../../src/grading/specs/two-phase-commit";
import { searchVerdict } from "../../../src/grading/explore";
import { ftCommitChecks, ftCommitRuns } from "../../../src/grading/specs/fault-tolerant-2pc";

export const hiddenTests6: { readonly [exerciseId: string]: readonly TestDef[] } = {
  "6.1": [
    {
      name: "search: three participants and a crash, every interleaving",
      points: 2,
      category: "search",
      visibility: "after_due_date",
      description: "The explorer runs a coordinator and three participants through every order of messages and timeouts with one node crashing for good: atomic, each node decides once, a yes voter decides only what the coordinator decided.",
      driver: "search",
      inputs: [{
        nodes: ["C0", "A", "B", "C"], requests: [{ node: "C0", request: { type: "commit", T: "T1", R: ["A", "B", "C"] } }],
        failures: { model: "crash-stop", maxCrashes: 1 }, timers: { fire: "any-time" }, bounds: { maxDepth: 40, maxStates: 20_000 },
      }],
      check: searchVerdict({ requireExhausted: true }),
    },
    {
      name: "busy coordinator: up to 6 participants and 3 transactions, with crashes",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Random runs with 2-6 participants and up to three overlapping transactions, the coordinator maybe crashing and recovering, a participant maybe crashing: atomic, every decision after its reasons, every live node decides.",
      driver: "run",
      arbitrary: fc.noShrink(commitRuns({ participantsMax: 6, transactionsMax: 3 })),
      runs: 15,
      check: twoPhaseCommitChecks.run,
    },
  ],
  "6.2": [
    {
      name: "up to 5 participants and 3 transactions, with a crash or a pause",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Random runs with 3-5 participants and up to three transactions, a participant maybe crashing or pausing: agreement, commit only after every yes, every live participant decides.",
      driver: "run",
      arbitrary: fc.noShrink(ftCommitRuns({ participantsMax: 5, transactionsMax: 3 })),
      runs: 20,
      check: ftCommitChecks.run,
    },
  ],
  "6.3": [
    {
      name: "five busy nodes on one register, with crashes",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Five nodes, each with up to 8 gets and sets on a single register, up to two crashing for good: linearizable, every operation at a live node answered once.",
      driver: "run",
      arbitrary: fc.noShrink(abdRuns({ perNode: 8, crashes: 2, nodesMin: 5, keys: ["x"] })),
      runs: 10,
      check: abdChecks.linearizable,
    },
  ],
  "6.4": [
    {
      name: "many concurrent gets and CASes, with a crash",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Random runs at 3-5 nodes with up to 30 gets and CASes on two registers and maybe a crash of a node other than the sequencer: linearizable, each operation answered once at its node.",
      driver: "run",
      arbitrary: fc.noShrink(casRuns({ opsMax: 30, crashes: true })),
      runs: 15,
      check: casChecks.linearizable,
    },
  ],
};
