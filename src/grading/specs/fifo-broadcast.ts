/** Graded tests of Exercise 4.4, FIFO broadcast (lecture 4, slide "FIFO broadcast algorithm"). */
import { checkFifoOrder } from "../../checks/fifo-order";
import { checkReliability } from "../../checks/reliability";
import { defineExercise } from "../define";
import { broadcastRuns, judgeRun } from "./broadcast-checks";
import type { Scenario } from "../../sim/scenario";
import { broadcasts } from "./broadcast-runs";
import { drivers } from "./drivers/fifo-broadcast";
import { combineResults } from "../../checks/check-result";
import { searchCheck, type SearchInput } from "../explore";

/** Trusted checks, shared with the hidden tests. */
export const fifoChecks = {
  /** FIFO order, and reliable broadcast among the nodes that never crashed. */
  fifoAndReliable: judgeRun((trace) => [checkFifoOrder(trace), checkReliability(trace)], "eager-reliable-broadcast"),
};

/** One sender, four messages in quick succession: relays and uneven latency make them overtake. */
export const oneSender: Scenario = {
  seed: "fifo-one-sender",
  nodes: ["A", "B", "C"],
  network: { latencyMs: [1, 60] },
  requests: broadcasts([0, 1, 2, 3].map((k) => ["A", k, `A${k}`] as const)),
  untilMs: 3000,
};

/** Three senders over a lossy, duplicating network. */
export const threeSenders: Scenario = {
  seed: "fifo-three-senders",
  nodes: ["A", "B", "C", "D"],
  network: { model: "fair-loss", loss: 0.2, duplicate: 0.1, latencyMs: [1, 60] },
  requests: broadcasts(["A", "B", "C"].flatMap((node, j) => [0, 1, 2].map((k) => [node, 5 * k + j, `${node}${k}`] as const))),
  untilMs: 3000,
};

/**
 * Every order in which A's two broadcasts and B's one can be requested, sent and received at three
 * nodes (329 states): small enough to search exhaustively on isolated nodes in about a second.
 */
export const everyDeliveryOrder: SearchInput = {
  nodes: ["A", "B", "C"],
  requests: [["A", "A0"], ["A", "A1"], ["B", "B0"]].map(([node, m]) => ({ node: node!, request: { type: "broadcast", m } })),
  network: { model: "reliable" },
  timers: { fire: "never" },
  bounds: { maxDepth: 20, maxStates: 5000 },
};

export const fifoBroadcastExercise = defineExercise({
  id: "4.4",
  title: "FIFO broadcast",
  slide: "FIFO broadcast algorithm",
  module: "fifo-broadcast",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "FIFO broadcast: one sender, messages overtaking each other",
      points: 2,
      category: "basic",
      description: "A broadcasts four messages 1 ms apart; latencies of 1-60 ms reorder them. Every node delivers A0, A1, A2, A3 in that order, once each.",
      driver: "run",
      inputs: [oneSender, threeSenders],
      check: fifoChecks.fifoAndReliable,
    },
    {
      name: "unreliable network: loss, duplication, reordering",
      points: 3,
      category: "unreliable network",
      description: "Random runs at 2-5 nodes, up to 12 broadcasts, up to 30% loss and 20% duplication: FIFO order and reliable delivery.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 2, nodesMax: 5, broadcastsMax: 12, loss: [0, 0.1, 0.3], duplicate: [0, 0.1, 0.2], crashesMax: 0, spreadMs: 200, untilMs: 3000 }),
      runs: 25,
      check: fifoChecks.fifoAndReliable,
    },
    {
      name: "crashes: nodes crash for good, the others still agree",
      points: 2,
      category: "crashes",
      description: "As above, with up to two nodes crashing (crash-stop) while messages are in flight: FIFO order everywhere, reliable delivery among the others.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 3, nodesMax: 5, broadcastsMax: 12, loss: [0, 0.2], duplicate: [0, 0.1], crashesMax: 2, spreadMs: 200, untilMs: 3000 }),
      runs: 15,
      check: fifoChecks.fifoAndReliable,
    },
    {
      name: "search: FIFO order in every delivery order of 3 nodes",
      points: 2,
      category: "search",
      description:
        "The explorer tries every interleaving of A broadcasting A0, A1 and B broadcasting B0 at three nodes (any message may overtake any other): in every reachable state FIFO order holds, nothing is delivered twice, and once nothing is in flight every node has delivered every message. A failure shows the shortest run that breaks it.",
      driver: "search",
      inputs: [everyDeliveryOrder],
      check: searchCheck((trace) => combineResults(checkFifoOrder(trace), checkReliability(trace)), { requireExhausted: true }),
    },
  ],
});
