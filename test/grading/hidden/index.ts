/**
 * Hidden tests: never in the handout, never loaded by the sandbox (only their inputs reach it).
 * Each uses a public driver of its exercise and adds inputs and trusted checks.
 */
import * as fc from "fast-check";
import type { TestDef } from "../../../src/grading/define";
import { broadcastRuns } from "../../../src/grading/specs/broadcast-checks";
import { causalChecks } from "../../../src/grading/specs/causal-broadcast";
import type { GossipRun } from "../../../src/grading/specs/drivers/gossip-broadcast";
import { fifoChecks } from "../../../src/grading/specs/fifo-broadcast";
import { gossipChecks, reachRuns } from "../../../src/grading/specs/gossip-broadcast";
import { ntpChecks, ntpRuns } from "../../../src/grading/specs/ntp";
import { totalOrderChecks } from "../../../src/grading/specs/total-order-broadcast";
import { hiddenTests12 } from "./lectures-1-2";
import { hiddenTests34 } from "./lectures-3-4-clocks";
import { hiddenTests5 } from "./lecture-5";
import { hiddenTests6 } from "./lecture-6";
import { hiddenTests7 } from "./lecture-7";
import { hiddenTests8 } from "./lecture-8";

/** Lecture 4's broadcast runs, larger than the visible ones (not shrunk: each run is costly, and the visible tests shrink). */
const largeRuns = fc.noShrink(broadcastRuns({ nodesMin: 6, nodesMax: 8, broadcastsMax: 30, loss: [0.1, 0.3], duplicate: [0.1], crashesMax: 0, spreadMs: 400, untilMs: 4000 }));

export const hiddenTests: { readonly [exerciseId: string]: readonly TestDef[] } = {
  ...hiddenTests12,
  ...hiddenTests34,
  ...hiddenTests5,
  ...hiddenTests6,
  ...hiddenTests7,
  ...hiddenTests8,
  "3.1": [
    {
      name: "NTP in the simulator: random clocks and asymmetric latencies",
      points: 2,
      category: "randomised",
      visibility: "after_due_date",
      description: "Up to four clients with random offsets (slew, step and panic ranges) and drifts, random asymmetric latencies, 40 minutes of polling.",
      driver: "simulate",
      arbitrary: ntpRuns(4),
      runs: 8,
      check: ntpChecks.simulation,
    },
  ],
  "4.4": [
    {
      name: "many nodes and broadcasts: up to 8 nodes, 30 broadcasts",
      points: 1,
      category: "exhaustive",
      visibility: "hidden",
      description: "Larger random runs over a lossy, duplicating network.",
      driver: "run",
      arbitrary: largeRuns,
      runs: 6,
      check: fifoChecks.fifoAndReliable,
    },
  ],
  "4.5": [
    {
      name: "many nodes and broadcasts: up to 8 nodes, 30 broadcasts",
      points: 1,
      category: "exhaustive",
      visibility: "hidden",
      description: "Larger random runs over a lossy, duplicating network: long causal chains.",
      driver: "run",
      arbitrary: largeRuns,
      runs: 6,
      check: causalChecks.causalAndReliable,
    },
  ],
  "4.6": [
    {
      name: "equal timestamps: every node broadcasts at the same instant",
      points: 1,
      category: "exhaustive",
      visibility: "hidden",
      description: "All broadcasts at time 0, so many messages carry the same Lamport timestamp and only the node id orders them.",
      driver: "run",
      arbitrary: broadcastRuns({ nodesMin: 2, nodesMax: 6, broadcastsMax: 12, loss: [0, 0.2], duplicate: [0, 0.1], crashesMax: 0, spreadMs: 1, untilMs: 3000 }),
      runs: 10,
      check: totalOrderChecks.totalAndReliable,
    },
  ],
  "4.7": [
    {
      name: "Eventually reaches all nodes: n = 16, fanout 5",
      points: 1,
      category: "randomised",
      visibility: "hidden",
      description: "With fanout 5, messages reach at least 97% of 16 nodes on average.",
      driver: "reach",
      inputs: [reachRuns.map((run) => ({ ...run, scenario: { ...run.scenario, seed: `${run.scenario.seed}-f5` }, fanout: 5 }))],
      check: (runs: GossipRun[], output: unknown) => gossipChecks.reach(runs, output, 0.97),
    },
  ],
};
