/**
 * Graded tests of Exercise 4.6, FIFO-total order broadcast with Lamport clocks (lecture 4, slide
 * "Total order broadcast algorithms").
 */
import { checkFifoTotalOrder } from "../../checks/fifo-total-order";
import { checkReliability } from "../../checks/reliability";
import { defineExercise } from "../define";
import { broadcastRuns, judgeRun } from "./broadcast-checks";
import type { Scenario } from "../../sim/scenario";
import { broadcasts } from "./broadcast-runs";
import { drivers } from "./drivers/total-order-broadcast";

/** Trusted checks, shared with the hidden tests. */
export const totalOrderChecks = {
  /** FIFO-total order, and every node delivers every message once (no crashes in these runs). */
  totalAndReliable: judgeRun((trace) => [checkFifoTotalOrder(trace), checkReliability(trace)], "fifo-link"),
  /** With crashes the algorithm may stall, but what is delivered is in FIFO-total order. */
  totalOnly: judgeRun((trace) => [checkFifoTotalOrder(trace)], "fifo-link"),
};

/** Slide "Total order broadcast (1)": two senders broadcasting at about the same time. */
export const twoSenders: Scenario = {
  seed: "total-two-senders",
  nodes: ["A", "B", "C", "D"],
  network: { latencyMs: [1, 60] },
  requests: broadcasts([["A", 0, "A0"], ["B", 1, "B0"], ["A", 2, "A1"], ["B", 3, "B1"]]),
  untilMs: 3000,
};

/** Only B broadcasts: the other nodes must still tell everyone how far their clocks have moved. */
export const oneSenderOfFour: Scenario = {
  seed: "total-one-sender",
  nodes: ["A", "B", "C", "D"],
  network: { model: "fair-loss", loss: 0.2, duplicate: 0.1, latencyMs: [1, 60] },
  requests: broadcasts([0, 10, 20].map((atMs, k) => ["B", atMs, `B${k}`] as const)),
  untilMs: 3000,
};

export const totalOrderBroadcastExercise = defineExercise({
  id: "4.6",
  title: "FIFO-total order broadcast with Lamport clocks",
  slide: "Total order broadcast algorithms",
  module: "total-order-broadcast",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "Total order broadcast: concurrent broadcasts, the same order everywhere",
      points: 2,
      category: "basic",
      description: "Two nodes broadcast two messages each within 3 ms; then one node broadcasts while three stay silent. Every node delivers the same sequence, each message once.",
      driver: "run",
      inputs: [twoSenders, oneSenderOfFour],
      check: totalOrderChecks.totalAndReliable,
    },
    {
      name: "unreliable network: loss, duplication, reordering",
      points: 3,
      category: "unreliable network",
      description: "Random runs at 2-5 nodes, up to 12 broadcasts from some of the nodes, up to 30% loss and 20% duplication: FIFO-total order, every message delivered once everywhere.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 2, nodesMax: 5, broadcastsMax: 12, loss: [0, 0.1, 0.3], duplicate: [0, 0.1, 0.2], crashesMax: 0, spreadMs: 200, untilMs: 3000 }),
      runs: 25,
      check: totalOrderChecks.totalAndReliable,
    },
    {
      name: "crashes: whatever is delivered is still in FIFO-total order",
      points: 1,
      category: "crashes",
      description: "Random runs with a node crashing for good: delivery may stop (the algorithm is not fault-tolerant), but never out of order.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 3, nodesMax: 5, broadcastsMax: 12, loss: [0, 0.2], duplicate: [0, 0.1], crashesMax: 1, spreadMs: 200, untilMs: 3000 }),
      runs: 15,
      check: totalOrderChecks.totalOnly,
    },
  ],
});
