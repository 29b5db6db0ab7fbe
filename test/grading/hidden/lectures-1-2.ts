/**
 * Hidden tests of the lecture 1 and 2 exercises (1.1, 1.2, 2.1, 2.2, 2.3): larger and harsher runs of
 * the visible tests' drivers and checks. Merged into hiddenTests by ./index.ts.
 */
import * as fc from "fast-check";
import type { TestDef } from "../../../src/grading/define";
import { checkDetector, detectorScenarios } from "../../../src/grading/specs/failure-detector";
import { checkCrashStopLink, linkScenarios } from "../../../src/grading/specs/fifo-link";
import { checkRecoveryLink, recoveryScenarios } from "../../../src/grading/specs/fifo-link-recovery";
import { cutsArbitrary, frameArbitrary, framingChecks, streamInput } from "../../../src/grading/specs/framing";
import { checkPayments, paymentScenarios } from "../../../src/grading/specs/payment-dedup";

export const hiddenTests12: { readonly [exerciseId: string]: readonly TestDef[] } = {
  "1.1": [
    {
      name: "long streams in many small pieces",
      points: 1,
      category: "randomised",
      visibility: "after_due_date",
      description: "Streams of up to 30 frames cut into up to 61 pieces.",
      driver: "decode",
      arbitrary: fc.record({ frames: fc.array(frameArbitrary, { maxLength: 30 }), cuts: cutsArbitrary(60) }).map(streamInput),
      runs: 40,
      check: framingChecks.decode,
    },
  ],
  "1.2": [
    {
      name: "half the messages lost, three service crashes",
      points: 1,
      category: "unreliable network",
      visibility: "hidden",
      description: "Two shops, 50% loss, crashes of the service: still at most one charge per request.",
      driver: "run",
      arbitrary: paymentScenarios({ shops: 2, callsMax: 16, crashesMax: 3, lossMax: 0.3 }).map((s) => ({ ...s, network: { ...s.network, model: "fair-loss" as const, loss: 0.5 } })),
      runs: 25,
      check: checkPayments,
    },
  ],
  "2.1": [
    {
      name: "four busy nodes, three of them crashing",
      points: 1,
      category: "crashes",
      visibility: "after_due_date",
      description: "4 nodes, up to 80 messages within 200 ms, up to 3 crash-stop faults.",
      driver: "run",
      arbitrary: linkScenarios({ nodesMin: 4, nodesMax: 4, messagesMax: 80, spreadMs: 200, crashesMax: 3 }),
      runs: 30,
      check: checkCrashStopLink,
    },
  ],
  "2.2": [
    {
      name: "frequent crashes during a long exchange",
      points: 1,
      category: "crashes",
      visibility: "hidden",
      description: "3 nodes, up to 40 messages, up to 5 crashes per node, 20% loss.",
      driver: "run",
      arbitrary: recoveryScenarios({ messagesMax: 40, spreadMs: 500, crashesPerNodeMax: 5, lossMax: 0.2 }),
      runs: 30,
      check: checkRecoveryLink,
    },
  ],
  "2.3": [
    {
      name: "a slow network after GST: a bound of 4 s",
      points: 1,
      category: "randomised",
      visibility: "after_due_date",
      description: "As the visible test, with a latency bound of 4 s after GST in every run (a fixed timeout of a few seconds fails).",
      driver: "run",
      arbitrary: detectorScenarios({ crashesMax: 2, latencies: [4000] }),
      runs: 6,
      check: checkDetector,
    },
  ],
};
