/**
 * Textbook configurations of the Raft paper (Ongaro and Ousterhout, "In Search of an Understandable
 * Consensus Algorithm", 2014) as scenarios, shared by the protocol and checker tests.
 */
import type { Context, NodeId, Protocol } from "../../../../src/sim";
import type { Scenario } from "../../../../src/sim";
import {
  raft, raftStorage, REPLICATELOG, quorum,
  type LogResponse, type RaftMsg, type RaftRequest, type RaftState,
} from "../../../../src/protocols/raft";

/** Record k (1-based) of term t: records at the same index and term are the same record (log matching). */
export const rec = (k: number, t: number): [string, number] => [`x${k}@${t}`, t];
const logOf = (terms: number[]) => terms.map((t, i) => rec(i + 1, t));

/** Figure 7: the leader's log (term 8 about to begin) and followers (a)-(f). */
export const FIGURE_7 = {
  leader: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6],
  a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
  b: [1, 1, 1, 4],
  c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
  d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
  e: [1, 1, 1, 4, 4, 4, 4],
  f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
} as const;

/**
 * Figure 7 as a scenario: the top node L (currentTerm 7) suspects the leader has failed at 0 ms and
 * becomes leader of term 8 (followers a, b, e and f vote for it; c and d hold logs it cannot beat);
 * at 100 ms it is asked to broadcast "new@8", and every follower's log is repaired to its own.
 */
export function figure7Scenario(seed = "figure-7"): Scenario {
  const followers = ["a", "b", "c", "d", "e", "f"] as const;
  return {
    seed,
    nodes: ["L", ...followers],
    network: { latencyMs: [1, 10] },
    initialStorage: {
      L: raftStorage({ currentTerm: 7, log: logOf([...FIGURE_7.leader]) }),
      ...Object.fromEntries(followers.map((f) => {
        const terms = [...FIGURE_7[f]];
        return [f, raftStorage({ currentTerm: terms[terms.length - 1]!, log: logOf(terms) })];
      })),
    },
    requests: [
      { node: "L", atMs: 0, request: { type: "suspect-leader" } },
      { node: "L", atMs: 100, request: { type: "broadcast", m: "new@8" } },
    ],
    untilMs: 1000,
  };
}

/**
 * Figure 8, set up at the start of its step (c): S1 (log x1@1 x2@2) is about to become leader of
 * term 4; S2 holds x2@2 too; S3 and S4 only x1@1; S5, partitioned away until 110 ms, was leader of
 * term 3 and holds x2'@3 at index 2 (currentTerm 4). S1 replicates x2@2 to S3 and S4 (a majority),
 * but appends nothing of term 4, and crashes at 100 ms. At 110 ms S5 suspects the leader, wins term
 * 5 with S2-S4's votes (its last term 3 beats their 2) and overwrites index 2; at 130 ms it is asked
 * to broadcast "y@5". Correct Raft never committed x2@2, so nothing is lost; a leader that commits
 * an earlier term's record by counting replicas (no `log[max(ready)-1].term = currentTerm` check)
 * delivers x2@2 at S1 and then x2'@3 elsewhere at the same index.
 */
export function figure8Scenario(seed = "figure-8"): Scenario {
  return {
    seed,
    nodes: ["S1", "S2", "S3", "S4", "S5"],
    network: { latencyMs: [1, 10] },
    initialStorage: {
      S1: raftStorage({ currentTerm: 3, log: [rec(1, 1), rec(2, 2)] }),
      S2: raftStorage({ currentTerm: 2, log: [rec(1, 1), rec(2, 2)] }),
      S3: raftStorage({ currentTerm: 2, log: [rec(1, 1)] }),
      S4: raftStorage({ currentTerm: 2, log: [rec(1, 1)] }),
      S5: raftStorage({ currentTerm: 4, votedFor: "S5", log: [rec(1, 1), ["x2'@3", 3]] }),
    },
    requests: [
      { node: "S1", atMs: 0, request: { type: "suspect-leader" } },
      { node: "S5", atMs: 110, request: { type: "suspect-leader" } },
      { node: "S5", atMs: 130, request: { type: "broadcast", m: "y@5" } },
    ],
    faults: [
      { kind: "partition", groups: [["S1", "S2", "S3", "S4"], ["S5"]], atMs: 0, healAtMs: 110 },
      { kind: "crash", node: "S1", atMs: 100 },
    ],
    untilMs: 1000,
  };
}

/**
 * Raft with Figure 8's bug, kept out of the library: slide 8/9's handler, calling a COMMITLOGENTRIES
 * without the `log[max(ready)-1].term = currentTerm` condition of slide 9/9.
 */
export function raftCommittingByCount(): Protocol<RaftState, RaftMsg, RaftRequest> {
  const correct = raft();
  const commitByCount = (state: RaftState, ctx: Context<RaftMsg>) => {
    const minAcks = quorum(ctx.nodes.length);
    let maxReady = 0;
    for (let len = 1; len <= state.log.length; len++) {
      if (ctx.nodes.filter((n) => (state.ackedLength[n] ?? 0) >= len).length >= minAcks) maxReady = len;
    }
    if (maxReady > state.commitLength) { // the bug: no "log[maxReady - 1].term = currentTerm"
      for (let i = state.commitLength; i < maxReady; i++) ctx.deliver(state.log[i]!.msg, state.log[i]!.from);
      state.commitLength = maxReady;
      ctx.storage.set("log", state.log);
      ctx.storage.set("commitLength", state.commitLength);
    }
  };
  const logResponse = (state: RaftState, msg: LogResponse, from: NodeId, ctx: Context<RaftMsg>) => {
    const { follower, term, ack, success } = msg;
    if (term === state.currentTerm && state.currentRole === "leader") {
      if (success && ack >= (state.ackedLength[follower] ?? 0)) {
        state.sentLength[follower] = ack;
        state.ackedLength[follower] = ack;
        commitByCount(state, ctx);
      } else if ((state.sentLength[follower] ?? 0) > 0) {
        state.sentLength[follower] = state.sentLength[follower]! - 1;
        REPLICATELOG(state, ctx.nodeId, follower, ctx);
      }
    } else {
      correct.receive.LogResponse(state, msg, from, ctx); // the newer-term branch, unchanged
    }
  };
  return { ...correct, name: "raft-commit-by-count", receive: { ...correct.receive, LogResponse: logResponse } };
}
