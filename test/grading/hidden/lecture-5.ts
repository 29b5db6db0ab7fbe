/**
 * Hidden tests of the lecture 5 exercises (5.1-5.4): larger and harsher runs of the visible tests'
 * drivers and checks. Merged into hiddenTests by ./index.ts.
 */
import * as fc from "fast-check";
import type { TestDef } from "../../../src/grading/define";
import { exactlyOnceChecks, exactlyOnceRuns } from "../../../src/grading/specs/exactly-once";
import { checkLwwRun, lwwRuns } from "../../../src/grading/specs/lww-store";
import { checkMvRun, mvRuns } from "../../../src/grading/specs/multi-value-register";
import { quorumChecks, quorumRuns } from "../../../src/grading/specs/quorum-client";

export const hiddenTests5: { readonly [exerciseId: string]: readonly TestDef[] } = {
  "5.1": [
    {
      name: "two clients, crashes and partitions together",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Two clients, up to 20 requests, up to three crash-recoveries of the server and two partitions, up to 30% loss and duplication: exactly once.",
      driver: "run",
      arbitrary: fc.noShrink(exactlyOnceRuns({ clients: 2, requestsMax: 20, crashesMax: 3, partitionsMax: 2, lossMax: 0.3 })),
      runs: 10,
      check: exactlyOnceChecks.exactlyOnce,
    },
  ],
  "5.2": [
    {
      name: "partitions and crashes together, more requests",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Up to 4 replicas, 24 puts, deletes and gets, two partitions and two crash-recoveries: last writer wins, tombstones hold, convergence.",
      driver: "run",
      arbitrary: fc.noShrink(lwwRuns({ nodesMax: 4, requestsMax: 24, partitionsMax: 2, recoveriesMax: 2 })),
      runs: 8,
      check: checkLwwRun,
    },
  ],
  "5.3": [
    {
      name: "partitions and crashes together, more writes",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Up to 4 replicas, 24 writes and reads, two partitions and two crash-recoveries: siblings are exactly the concurrent writes; convergence.",
      driver: "run",
      arbitrary: fc.noShrink(mvRuns({ nodesMax: 4, requestsMax: 24, partitionsMax: 2, recoveriesMax: 2 })),
      runs: 8,
      check: checkMvRun,
    },
  ],
  "5.4": [
    {
      name: "two clients, crashes and partitions, more operations",
      points: 2,
      category: "crashes",
      visibility: "after_due_date",
      description: "Two clients, n = 3 or 5 with r + w > n, up to 20 reads and writes, crash-stop (at most n - max(r, w)), crash-recovery and partitions: quorums, newest reply, read repair, read-after-write, completion.",
      driver: "run",
      arbitrary: fc.noShrink(quorumRuns({ clients: 2, requestsMax: 20, crashes: true, partitionsMax: 2 })),
      runs: 10,
      check: quorumChecks.run,
    },
  ],
};
