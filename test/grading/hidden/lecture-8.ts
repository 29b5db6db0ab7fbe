/** Hidden tests of lecture 8's exercises (8.1-8.4): larger random runs than the visible ones. */
import * as fc from "fast-check";
import type { TestDef } from "../../../src/grading/define";
import { mapChecks, mapRuns } from "../../../src/grading/specs/op-map-crdt";
import { orSetChecks, orSetRuns } from "../../../src/grading/specs/or-set";
import { stateMapChecks } from "../../../src/grading/specs/state-map-crdt";
import { textChecks, textRuns } from "../../../src/grading/specs/text-crdt";

export const hiddenTests8: { readonly [exerciseId: string]: readonly TestDef[] } = {
  "8.1": [
    {
      name: "many writers: 6 nodes, 16 writes, loss and a partition",
      points: 2, category: "randomised", visibility: "after_due_date",
      description: "Larger random runs with loss, duplication, a crash and a partition.",
      driver: "run",
      arbitrary: fc.noShrink(mapRuns({ nodesMax: 6, writesMax: 16, loss: [0.1, 0.3], duplicate: [0.1], crashesMax: 1, partitionsMax: 2 })),
      runs: 8,
      check: mapChecks.final,
    },
  ],
  "8.2": [
    {
      name: "heavy loss with crash-recovery: 5 nodes, 12 writes",
      points: 2, category: "randomised", visibility: "after_due_date",
      description: "Up to 50% loss, crashes with recovery and partitions: only re-broadcasting the state brings everyone together.",
      driver: "run",
      arbitrary: fc.noShrink(mapRuns({ nodesMax: 5, writesMax: 12, loss: [0.3, 0.5], duplicate: [0.2], recoveriesMax: 3, partitionsMax: 2 })),
      runs: 8,
      check: stateMapChecks.final,
    },
  ],
  "8.3": [
    {
      name: "many adds and removes: 5 nodes, 15 operations",
      points: 2, category: "randomised", visibility: "after_due_date",
      description: "Larger random runs with loss, partitions and crash-recovery.",
      driver: "run",
      arbitrary: fc.noShrink(orSetRuns({ nodesMax: 5, opsMax: 15, loss: [0.2, 0.4], duplicate: [0.1], recoveriesMax: 2, partitionsMax: 2 })),
      runs: 8,
      check: orSetChecks.final,
    },
  ],
  "8.4": [
    {
      name: "busy concurrent typing: 5 nodes, 20 inserts",
      points: 2, category: "randomised", visibility: "after_due_date",
      description: "Larger random concurrent typing over a lossy network with partitions.",
      driver: "run",
      arbitrary: fc.noShrink(textRuns({ nodesMax: 5, insertsMax: 20, loss: [0.1, 0.3], duplicate: [0.1], partitionsMax: 2 })),
      runs: 8,
      check: textChecks.final,
    },
  ],
};
