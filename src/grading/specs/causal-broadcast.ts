/** Graded tests of Exercise 4.5, causal broadcast (lecture 4, slide "Causal broadcast algorithm"). */
import { checkCausalOrder } from "../../checks/causal-order";
import { checkReliability } from "../../checks/reliability";
import { defineExercise } from "../define";
import { broadcastRuns, judgeRun } from "./broadcast-checks";
import type { Scenario } from "../../sim/scenario";
import { broadcasts } from "./broadcast-runs";
import { drivers } from "./drivers/causal-broadcast";

/** Trusted checks, shared with the hidden tests. */
export const causalChecks = {
  /** Causal order, and reliable broadcast among the nodes that never crashed. */
  causalAndReliable: judgeRun((trace) => [checkCausalOrder(trace), checkReliability(trace)], "eager-reliable-broadcast"),
};

/**
 * "The moon is made of cheese" as broadcasts: A broadcasts A0; B broadcasts B0 after it has
 * delivered A0, so broadcast(A0) -> broadcast(B0). A's link to C is slow and B's relay of A0 can
 * be overtaken by B0 (reliable links are not FIFO): in this seeded run, B0 reaches C first, and C
 * must hold it back until it has delivered A0.
 */
export const reply: Scenario = {
  seed: "causal-reply-12",
  nodes: ["A", "B", "C"],
  network: {
    latencyMs: [1, 40],
    links: [
      { from: "A", to: "C", latencyMs: [150, 250] },
      { from: "B", to: "C", latencyMs: [1, 100] },
    ],
  },
  requests: broadcasts([["A", 0, "A0"], ["B", 60, "B0"], ["C", 400, "C0"]]),
  untilMs: 3000,
};

/** A conversation: each node broadcasts a little after the last one, over a lossy network. */
export const conversation: Scenario = {
  seed: "causal-conversation",
  nodes: ["A", "B", "C", "D"],
  network: { model: "fair-loss", loss: 0.2, duplicate: 0.1, latencyMs: [1, 80] },
  requests: broadcasts(["A", "B", "C", "D", "A", "B", "C", "D"].map((node, k) => [node, 40 * k, `${node}${Math.floor(k / 4)}`] as const)),
  untilMs: 3000,
};

export const causalBroadcastExercise = defineExercise({
  id: "4.5",
  title: "Causal broadcast",
  slide: "Causal broadcast algorithm",
  module: "causal-broadcast",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "Causal broadcast: a reply is never delivered before what it replies to",
      points: 2,
      category: "basic",
      description: "B broadcasts after delivering A's message, and its message reaches C first (A's link to C is slow); then four nodes take turns over a lossy network. Causally related messages are delivered in causal order, everywhere.",
      driver: "run",
      inputs: [reply, conversation],
      check: causalChecks.causalAndReliable,
    },
    {
      name: "unreliable network: loss, duplication, reordering",
      points: 3,
      category: "unreliable network",
      description: "Random runs at 2-5 nodes, up to 14 broadcasts within 300 ms (so later ones depend on earlier ones), up to 30% loss and 20% duplication: causal order and reliable delivery.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 2, nodesMax: 5, broadcastsMax: 14, loss: [0, 0.1, 0.3], duplicate: [0, 0.1, 0.2], crashesMax: 0, spreadMs: 300, untilMs: 3000 }),
      runs: 25,
      check: causalChecks.causalAndReliable,
    },
    {
      name: "crashes: nodes crash for good, the others still agree",
      points: 2,
      category: "crashes",
      description: "As above, with up to two nodes crashing (crash-stop): causal order everywhere, reliable delivery among the others.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 3, nodesMax: 5, broadcastsMax: 14, loss: [0, 0.2], duplicate: [0, 0.1], crashesMax: 2, spreadMs: 300, untilMs: 3000 }),
      runs: 15,
      check: causalChecks.causalAndReliable,
    },
  ],
});
