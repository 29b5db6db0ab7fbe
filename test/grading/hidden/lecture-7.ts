/** Hidden tests of Exercise 7.1 (Raft): larger and rougher runs than the visible ones, and a search with a crash. */
import type { TestDef } from "../../../src/grading/define";
import { churnRuns, raftChecks, searchFromStart, spreadBroadcasts, type RaftTestRun } from "../../../src/grading/specs/raft";
import { searchVerdict } from "../../../src/grading/explore";

const FIVE = ["A", "B", "C", "D", "E"];

/**
 * Heavy reordering (latency 1-60 ms, more than a heartbeat period) and duplication with steady
 * broadcasts: old LogRequests arrive after newer ones, and a follower must not cut records it has
 * already acknowledged because a stale suffix matched them.
 */
export const reordering: RaftTestRun = {
  scenario: {
    seed: "raft-hidden-reordering",
    nodes: FIVE,
    network: { model: "fair-loss", loss: 0.05, duplicate: 0.2, latencyMs: [1, 60] },
    requests: spreadBroadcasts(FIVE, 24, 400, 40, "o"),
    untilMs: 3500,
  },
  expect: { allDelivered: true, finalLeader: true },
};

export const hiddenTests7: { readonly [exerciseId: string]: readonly TestDef[] } = {
  "7.1": [
    {
      name: "unreliable network: heavy reordering and duplication",
      points: 2, category: "unreliable network", visibility: "after_due_date",
      description: "Five nodes, 24 broadcasts, latency 1-60 ms (messages overtake heartbeats), 20% duplication, 5% loss: safe, and everything delivered.",
      driver: "run",
      inputs: [reordering],
      check: raftChecks.run,
    },
    {
      name: "many elections, larger: 7 nodes, lossy, up to 6 leader crashes",
      points: 2, category: "election", visibility: "after_due_date",
      description: "A random run at 7 nodes: the leader crashes up to six times, nodes crash and recover, partitions, loss up to 10%: safe throughout and live once the faults stop.",
      driver: "run",
      arbitrary: churnRuns({ nodesMin: 7, nodesMax: 7, leaderCrashesMax: 6, partitionsMax: 2, crashesMax: 3, broadcastsMax: 10, faultsEndMs: 2500, tailMs: 2500, loss: [0, 0.1], duplicate: [0, 0.05], latencyMaxMs: 20 }),
      runs: 1,
      check: raftChecks.run,
    },
    {
      name: "search: from the start, with a crash",
      points: 1, category: "search", visibility: "after_due_date",
      description: "The explorer from three fresh nodes, one broadcast, one election timeout and one crash (crash-stop), breadth first up to 800 states: every state safe.",
      driver: "search",
      inputs: [searchFromStart],
      check: searchVerdict(),
    },
  ],
};
