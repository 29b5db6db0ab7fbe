/**
 * Reference solution of Exercise 7.1 (the contract: exercises/raft.ts). The kit's library re-exports
 * it (src/protocols/raft/raft.ts), so notebooks, checkers and the campaign run this code; in the
 * student handout the library re-exports the student's exercise instead, and the grader's sandbox
 * has no copy of it.
 *
 * Raft (lecture 7, slides "Raft (1/9)" to "Raft (9/9)"), as a total order broadcast layer: the
 * application asks `{ type: "broadcast", m }` and every node delivers the committed messages in log
 * order ("deliver log[i].msg to the application"), so the lecture 4 checkers apply. Each handler
 * below sits under the slide it comes from and keeps its names and statement order. What the slides
 * leave implicit, and how it is done here:
 *  - timers: "start election timer" draws a timeout in [T, 2T) from the node's seeded stream; where
 *    a follower "cancel[s] election timer" (it has heard from a leader, or stepped down to a newer
 *    term) it starts a fresh one, which is how it later comes to suspect that leader (1/9);
 *  - stable storage: currentTerm, votedFor, log and commitLength survive a crash (1/9's recovery
 *    handler keeps them); they are written before the handler's messages leave (effects as data);
 *  - "forward the request to currentLeader via a FIFO link" (4/9): the origin keeps its broadcasts
 *    (with a per-origin seq, in stable storage) until it delivers them, and re-sends them to
 *    whoever it believes leads each heartbeat period; a leader appends a forwarded broadcast only
 *    if it is the origin's next one by seq. So a lost, duplicated or reordered forward, or a leader
 *    that fails before replicating, costs time but never a duplicate or a gap.
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import {
  quorum,
  raftTimings,
  type LogEntry,
  type PendingBroadcast,
  type RaftMsg,
  type RaftOptions,
  type RaftRequest,
  type RaftState,
} from "../src/protocols/raft/types";

type Ctx = Context<RaftMsg>;

// ---- stable storage ----

function storeTermAndVote(state: RaftState, ctx: Ctx): void {
  ctx.storage.set("currentTerm", state.currentTerm);
  ctx.storage.set("votedFor", state.votedFor);
}

function storeLog(state: RaftState, ctx: Ctx): void {
  ctx.storage.set("log", state.log);
  ctx.storage.set("commitLength", state.commitLength);
}

function storePending(state: RaftState, ctx: Ctx): void {
  ctx.storage.set("sendSeq", state.sendSeq);
  ctx.storage.set("pending", state.pending);
}

// ---- timers ----

function startElectionTimer(state: RaftState, ctx: Ctx, electionTimeoutMs: number): void {
  if (state.electionTimer !== null) ctx.cancelTimer(state.electionTimer);
  state.electionTimer = ctx.startTimer("election", ctx.random.uniform(electionTimeoutMs, 2 * electionTimeoutMs));
}

function cancelElectionTimer(state: RaftState, ctx: Ctx): void {
  if (state.electionTimer !== null) ctx.cancelTimer(state.electionTimer);
  state.electionTimer = null;
}

// ---- delivery to the application ----

/** "deliver log[i].msg to the application"; the origin stops re-sending what it has now delivered. */
function deliver(state: RaftState, entry: LogEntry, ctx: Ctx): void {
  ctx.deliver(entry.msg, entry.from);
  if (entry.from === ctx.nodeId && entry.seq !== undefined) {
    const seq = entry.seq;
    const before = state.pending.length;
    state.pending = state.pending.filter((p) => p.seq > seq);
    if (state.pending.length !== before) storePending(state, ctx);
  }
}

/**
 * The leader's "append the record (msg : msg, term : currentTerm) to log" (4/9), for a broadcast
 * that is its origin's next one: the log already holds the origin's seq 0 .. k-1, in order, so
 * only seq k is appended. Returns whether it appended.
 */
function appendIfNext(state: RaftState, request: PendingBroadcast): boolean {
  let next = 0;
  for (const entry of state.log) if (entry.from === request.from) next++;
  if (request.seq !== next) return false;
  state.log.push({ msg: request.msg, term: state.currentTerm, from: request.from, seq: request.seq });
  return true;
}

// ---- Raft (5/9): replicating to followers ----

export function REPLICATELOG(state: RaftState, leaderId: NodeId, followerId: NodeId, ctx: Ctx): void {
  const prefixLen = state.sentLength[followerId] ?? 0;
  const suffix = state.log.slice(prefixLen);
  let prefixTerm = 0;
  if (prefixLen > 0) {
    prefixTerm = state.log[prefixLen - 1]!.term;
  }
  ctx.send(followerId, {
    type: "LogRequest", leaderId, term: state.currentTerm, prefixLen, prefixTerm, leaderCommit: state.commitLength, suffix,
  });
}

// ---- Raft (7/9): updating followers' logs ----

export function APPENDENTRIES(state: RaftState, prefixLen: number, leaderCommit: number, suffix: readonly LogEntry[], ctx: Ctx): void {
  let changed = false;
  if (suffix.length > 0 && state.log.length > prefixLen) {
    const index = Math.min(state.log.length, prefixLen + suffix.length) - 1;
    if (state.log[index]!.term !== suffix[index - prefixLen]!.term) {
      state.log = state.log.slice(0, prefixLen);
      changed = true;
    }
  }
  if (prefixLen + suffix.length > state.log.length) {
    for (let i = state.log.length - prefixLen; i <= suffix.length - 1; i++) {
      state.log.push(suffix[i]!);
    }
    changed = true;
  }
  if (leaderCommit > state.commitLength) {
    for (let i = state.commitLength; i <= leaderCommit - 1; i++) {
      deliver(state, state.log[i]!, ctx);
    }
    state.commitLength = leaderCommit;
    changed = true;
  }
  if (changed) storeLog(state, ctx);
}

// ---- Raft (9/9): leader committing log entries ----

/** acks(length) = |{ n ∈ nodes | ackedLength[n] ≥ length }| */
function acks(state: RaftState, length: number, ctx: Ctx): number {
  let count = 0;
  for (const n of ctx.nodes) if ((state.ackedLength[n] ?? 0) >= length) count++;
  return count;
}

export function COMMITLOGENTRIES(state: RaftState, ctx: Ctx): void {
  const minAcks = quorum(ctx.nodes.length);
  let maxReady = 0; // max(ready), 0 when ready = {}
  for (let len = 1; len <= state.log.length; len++) if (acks(state, len, ctx) >= minAcks) maxReady = len;
  if (maxReady > 0 && maxReady > state.commitLength && state.log[maxReady - 1]!.term === state.currentTerm) {
    for (let i = state.commitLength; i <= maxReady - 1; i++) {
      deliver(state, state.log[i]!, ctx);
    }
    state.commitLength = maxReady;
    storeLog(state, ctx);
  }
}

// ---- the protocol ----

export function raft(options: RaftOptions = {}): Protocol<RaftState, RaftMsg, RaftRequest> {
  const { electionTimeoutMs, heartbeatMs } = raftTimings(options);

  /** The leader sends its log to every follower (4/9's loop over REPLICATELOG). */
  const replicateToAll = (state: RaftState, ctx: Ctx) => {
    for (const follower of ctx.nodes) if (follower !== ctx.nodeId) REPLICATELOG(state, ctx.nodeId, follower, ctx);
  };

  /** 4/9 "if currentRole = leader ... else forward the request to currentLeader", for one broadcast. */
  const broadcastOrForward = (state: RaftState, request: PendingBroadcast, ctx: Ctx) => {
    if (state.currentRole === "leader") {
      if (!appendIfNext(state, request)) return;
      storeLog(state, ctx);
      state.ackedLength[ctx.nodeId] = state.log.length;
      replicateToAll(state, ctx);
    } else if (state.currentLeader !== null && state.currentLeader !== ctx.nodeId) {
      ctx.send(state.currentLeader, { type: "ForwardRequest", request });
    }
    // No known leader: the request waits in `pending` and is re-sent once a leader is known.
  };

  /** Stepping down on a newer term (3/9 and 8/9: "currentRole := follower; votedFor := null; cancel election timer"). */
  const stepDown = (state: RaftState, term: number, ctx: Ctx) => {
    state.currentTerm = term;
    state.currentRole = "follower";
    state.votedFor = null;
    storeTermAndVote(state, ctx);
    // "cancel election timer": a follower's timer restarts, so it can suspect the next leader in turn.
    startElectionTimer(state, ctx, electionTimeoutMs);
  };

  return {
    name: "raft",

    // Raft (1/9): on initialisation do
    init: (ctx) => {
      const state: RaftState = {
        currentTerm: 0, votedFor: null,
        log: [], commitLength: 0,
        currentRole: "follower", currentLeader: null,
        votesReceived: [], sentLength: {}, ackedLength: {},
        electionTimer: null, sendSeq: 0, pending: [],
      };
      startElectionTimer(state, ctx, electionTimeoutMs);
      return state;
    },

    // Raft (1/9): on recovery from crash do (currentTerm, votedFor, log and commitLength come from stable storage)
    recover: (ctx) => {
      const state: RaftState = {
        currentTerm: ctx.storage.get<number>("currentTerm") ?? 0,
        votedFor: ctx.storage.get<NodeId | null>("votedFor") ?? null,
        log: ctx.storage.get<LogEntry[]>("log") ?? [],
        commitLength: ctx.storage.get<number>("commitLength") ?? 0,
        currentRole: "follower", currentLeader: null,
        votesReceived: [], sentLength: {}, ackedLength: {},
        electionTimer: null,
        sendSeq: ctx.storage.get<number>("sendSeq") ?? 0,
        pending: ctx.storage.get<PendingBroadcast[]>("pending") ?? [],
      };
      startElectionTimer(state, ctx, electionTimeoutMs);
      return state;
    },

    timers: {
      // Raft (1/9): on node nodeId suspects leader has failed, or on election timeout do
      election: (state, _data, ctx) => {
        state.electionTimer = null;
        startElection(state, ctx);
      },
    },

    request: (state, req, ctx) => {
      if (req.type === "suspect-leader") {
        // Raft (1/9): "on node nodeId suspects leader has failed" (a leader does not suspect itself)
        if (state.currentRole !== "leader") startElection(state, ctx);
        return;
      }
      if (req.type !== "broadcast") throw new RangeError(`raft: unknown request type ${JSON.stringify((req as { type?: unknown }).type)} (expected "broadcast" or "suspect-leader")`);
      // Raft (4/9): on request to broadcast msg at node nodeId do
      const request: PendingBroadcast = { msg: req.m, from: ctx.nodeId, seq: state.sendSeq };
      state.sendSeq += 1;
      state.pending.push(request);
      storePending(state, ctx);
      broadcastOrForward(state, request, ctx);
    },

    periodically: {
      // Raft (4/9): periodically at node nodeId do (the heartbeat; and the FIFO link's re-sending)
      heartbeat: {
        everyMs: heartbeatMs,
        run: (state, ctx) => {
          if (state.currentRole === "leader") {
            replicateToAll(state, ctx);
          }
          for (const request of state.pending) broadcastOrForward(state, request, ctx);
        },
      },
    },

    receive: {
      // Raft (2/9): voting on a new leader
      VoteRequest: (state, msg, _from, ctx) => {
        const { cId, cTerm, cLogLength, cLogTerm } = msg;
        if (cTerm > state.currentTerm) {
          state.currentTerm = cTerm; state.currentRole = "follower";
          state.votedFor = null;
          // A leader stepping down has no election timer: it needs one as a follower.
          if (state.electionTimer === null) startElectionTimer(state, ctx, electionTimeoutMs);
        }
        let lastTerm = 0;
        if (state.log.length > 0) lastTerm = state.log[state.log.length - 1]!.term;
        const logOk = cLogTerm > lastTerm ||
          (cLogTerm === lastTerm && cLogLength >= state.log.length);

        if (cTerm === state.currentTerm && logOk && (state.votedFor === cId || state.votedFor === null)) {
          state.votedFor = cId;
          storeTermAndVote(state, ctx);
          ctx.send(cId, { type: "VoteResponse", voterId: ctx.nodeId, term: state.currentTerm, granted: true });
        } else {
          storeTermAndVote(state, ctx);
          ctx.send(cId, { type: "VoteResponse", voterId: ctx.nodeId, term: state.currentTerm, granted: false });
        }
      },

      // Raft (3/9): collecting votes
      VoteResponse: (state, msg, _from, ctx) => {
        const { voterId, term, granted } = msg;
        if (state.currentRole === "candidate" && term === state.currentTerm && granted) {
          if (!state.votesReceived.includes(voterId)) state.votesReceived = [...state.votesReceived, voterId].sort();
          if (state.votesReceived.length >= quorum(ctx.nodes.length)) {
            state.currentRole = "leader"; state.currentLeader = ctx.nodeId;
            cancelElectionTimer(state, ctx);
            ctx.label(`leader, term ${state.currentTerm}`);
            for (const follower of ctx.nodes) {
              if (follower === ctx.nodeId) continue;
              state.sentLength[follower] = state.log.length;
              state.ackedLength[follower] = 0;
              REPLICATELOG(state, ctx.nodeId, follower, ctx);
            }
          }
        } else if (term > state.currentTerm) {
          stepDown(state, term, ctx);
        }
      },

      // Raft (6/9): followers receiving messages
      LogRequest: (state, msg, _from, ctx) => {
        const { leaderId, term, prefixLen, prefixTerm, leaderCommit, suffix } = msg;
        if (term > state.currentTerm) {
          state.currentTerm = term; state.votedFor = null;
          storeTermAndVote(state, ctx);
        }
        if (term === state.currentTerm) {
          state.currentRole = "follower"; state.currentLeader = leaderId;
          // "cancel election timer": the leader is alive; a fresh timeout starts from now.
          startElectionTimer(state, ctx, electionTimeoutMs);
        }
        const logOk = (state.log.length >= prefixLen) &&
          (prefixLen === 0 || state.log[prefixLen - 1]!.term === prefixTerm);
        if (term === state.currentTerm && logOk) {
          APPENDENTRIES(state, prefixLen, leaderCommit, suffix, ctx);
          const ack = prefixLen + suffix.length;
          ctx.send(leaderId, { type: "LogResponse", follower: ctx.nodeId, term: state.currentTerm, ack, success: true });
        } else {
          ctx.send(leaderId, { type: "LogResponse", follower: ctx.nodeId, term: state.currentTerm, ack: 0, success: false });
        }
      },

      // Raft (8/9): leader receiving acks
      LogResponse: (state, msg, _from, ctx) => {
        const { follower, term, ack, success } = msg;
        if (term === state.currentTerm && state.currentRole === "leader") {
          if (success === true && ack >= (state.ackedLength[follower] ?? 0)) {
            state.sentLength[follower] = ack;
            state.ackedLength[follower] = ack;
            COMMITLOGENTRIES(state, ctx);
          } else if ((state.sentLength[follower] ?? 0) > 0) {
            state.sentLength[follower] = state.sentLength[follower]! - 1;
            REPLICATELOG(state, ctx.nodeId, follower, ctx);
          }
        } else if (term > state.currentTerm) {
          stepDown(state, term, ctx);
        }
      },

      // Raft (4/9): a request forwarded to this node as the leader
      ForwardRequest: (state, msg, _from, ctx) => {
        if (state.currentRole === "leader") broadcastOrForward(state, msg.request, ctx);
        // A node that does not lead (any more) drops it: the origin re-sends it to the leader it learns of.
      },
    },
  };

  // Raft (1/9): on node nodeId suspects leader has failed, or on election timeout do
  function startElection(state: RaftState, ctx: Ctx): void {
    state.currentTerm = state.currentTerm + 1; state.currentRole = "candidate";
    state.votedFor = ctx.nodeId; state.votesReceived = [ctx.nodeId]; let lastTerm = 0;
    if (state.log.length > 0) lastTerm = state.log[state.log.length - 1]!.term;
    storeTermAndVote(state, ctx);
    const msg: RaftMsg = { type: "VoteRequest", cId: ctx.nodeId, cTerm: state.currentTerm, cLogLength: state.log.length, cLogTerm: lastTerm };
    for (const node of ctx.nodes) ctx.send(node, msg);
    startElectionTimer(state, ctx, electionTimeoutMs);
    ctx.label(`candidate, term ${state.currentTerm}`);
  }
}
