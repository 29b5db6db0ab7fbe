/**
 * Hidden tests of the lecture 6 exercises (6.3 and 6.4 so far): larger runs of the visible tests' driver and
 * checks. Merged into hiddenTests by ./index.ts.
 */
import * as fc from "fast-check";
import type { TestDef } from "../../../src/grading/define";
import { abdChecks, abdRuns } from "../../../src/grading/specs/abd";
import { casChecks, casRuns } from "../../../src/grading/specs/linearizable-cas";

export const hiddenTests6: { readonly [exerciseId: string]: readonly TestDef[] } = {
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
