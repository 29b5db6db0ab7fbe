/**
 * Exercise 7.1: Raft (lecture 7, slides "Raft (1/9)" to "Raft (9/9)"), as a total order broadcast.
 *
 * Write the slides' handlers, with the slides' names, in the kit's protocol model (src/sim/protocol.ts;
 * docs/simulator.md). The state (RaftState), the messages (VoteRequest, VoteResponse, LogRequest,
 * LogResponse, ForwardRequest) and the requests are declared in src/protocols/raft/types.ts; quorum(n)
 * is ⌈(n + 1)/2⌉. How the slides' words map onto the kit:
 *  - "send msg to node" is ctx.send(node, msg); "for each node ∈ nodes" loops over ctx.nodes (the
 *    candidate's VoteRequest goes to every node, itself included, as on slide 1/9);
 *  - "deliver log[i].msg to the application" is ctx.deliver(log[i].msg, log[i].from);
 *  - "start election timer" is ctx.startTimer("election", d) with d drawn from
 *    ctx.random.uniform(T, 2T) (T = options.electionTimeoutMs, default 150); keep its id in
 *    state.electionTimer. Where a follower "cancel[s] election timer", start a fresh one instead, so
 *    that it suspects the next leader in turn; a leader has none;
 *  - "periodically" is the periodic task `heartbeat` (options.heartbeatMs, default 50);
 *  - stable storage (ctx.storage) must hold currentTerm, votedFor, log and commitLength (keys of
 *    those names), written whenever they change: recover reads them back (slide 1/9, "on recovery
 *    from crash"); the tests crash nodes and start nodes from stored states;
 *  - "node nodeId suspects leader has failed" is the request { type: "suspect-leader" };
 *  - "forward the request to currentLeader via a FIFO link" (4/9): a node numbers its broadcasts
 *    (sendSeq), keeps each in state.pending (and in storage, keys "sendSeq" and "pending") until it
 *    delivers it itself, and sends every pending one to currentLeader as a ForwardRequest on every
 *    heartbeat; a leader appends a broadcast (with its from and seq) only if it is the next of its
 *    origin (the log holds that origin's seq 0 .. k-1: append seq k), so losses, duplicates and
 *    leader changes cause neither gaps nor repeats.
 *
 * What the tests observe: the trace of each run (messages, deliveries) and the nodes' states under
 * the slides' names, judged by src/checks: election safety, log matching, leader completeness, state
 * machine safety, FIFO-total order of deliveries, no duplication; a leader must have received
 * granted VoteResponses of its term from a quorum; and liveness: after the faults stop, a leader
 * that every node follows, and every broadcast delivered everywhere. Runs have 3-7 nodes, loss,
 * duplication, reordering, crashes and recoveries, partitions, the leader crashed or cut off when
 * it leads, and textbook starting states (the Raft paper's Figures 7 and 8); the grader's explorer
 * also tries every order of events in a small configuration.
 *
 * In the grader each node runs in a process of its own, and the grader keeps each node's state:
 * keep it plain data (as RaftState is: no Map, Set or functions; with one event's effects, at most
 * 64 KB as JSON), and let the handlers depend only on their state, the event and ctx (no
 * module-level variables: calls are repeated on another process and must agree, and a node that
 * recovers from a crash gets a fresh process, so only ctx.storage survives). A run stops with an
 * error after 12000 events (messages that multiply).
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import type { LogEntry, RaftMsg, RaftOptions, RaftRequest, RaftState } from "../src/protocols/raft/types";

type Ctx = Context<RaftMsg>;

/** Raft (5/9): the leader sends followerId its log from sentLength[followerId] on, as a LogRequest. */
export function REPLICATELOG(state: RaftState, leaderId: NodeId, followerId: NodeId, ctx: Ctx): void {
  throw new Error("Exercise 7.1 not implemented yet: REPLICATELOG");
}

/** Raft (7/9): a follower's log takes the suffix after prefixLen (truncating a conflict); commits up to leaderCommit. */
export function APPENDENTRIES(state: RaftState, prefixLen: number, leaderCommit: number, suffix: readonly LogEntry[], ctx: Ctx): void {
  throw new Error("Exercise 7.1 not implemented yet: APPENDENTRIES");
}

/** Raft (9/9): the leader commits (delivers) what a quorum has acknowledged, if it ends in a record of currentTerm. */
export function COMMITLOGENTRIES(state: RaftState, ctx: Ctx): void {
  throw new Error("Exercise 7.1 not implemented yet: COMMITLOGENTRIES");
}

export function raft(options: RaftOptions = {}): Protocol<RaftState, RaftMsg, RaftRequest> {
  return {
    name: "raft",
    // Raft (1/9): on initialisation do
    init: (ctx) => {
      throw new Error("Exercise 7.1 not implemented yet: init");
    },
    // Raft (1/9): on recovery from crash do
    recover: (ctx) => {
      throw new Error("Exercise 7.1 not implemented yet: recover");
    },
    timers: {
      // Raft (1/9): on election timeout do
      election: (state, data, ctx) => {
        throw new Error("Exercise 7.1 not implemented yet: timers.election");
      },
    },
    // Raft (4/9): on request to broadcast msg; Raft (1/9): on node nodeId suspects leader has failed
    request: (state, req, ctx) => {
      throw new Error("Exercise 7.1 not implemented yet: request");
    },
    periodically: {
      // Raft (4/9): periodically at node nodeId do
      heartbeat: {
        everyMs: options.heartbeatMs ?? 50,
        run: (state, ctx) => {
          throw new Error("Exercise 7.1 not implemented yet: periodically.heartbeat");
        },
      },
    },
    receive: {
      // Raft (2/9): voting on a new leader
      VoteRequest: (state, msg, from, ctx) => {
        throw new Error("Exercise 7.1 not implemented yet: receive VoteRequest");
      },
      // Raft (3/9): collecting votes
      VoteResponse: (state, msg, from, ctx) => {
        throw new Error("Exercise 7.1 not implemented yet: receive VoteResponse");
      },
      // Raft (6/9): followers receiving messages
      LogRequest: (state, msg, from, ctx) => {
        throw new Error("Exercise 7.1 not implemented yet: receive LogRequest");
      },
      // Raft (8/9): leader receiving acks
      LogResponse: (state, msg, from, ctx) => {
        throw new Error("Exercise 7.1 not implemented yet: receive LogResponse");
      },
      // Raft (4/9): a request forwarded to the leader
      ForwardRequest: (state, msg, from, ctx) => {
        throw new Error("Exercise 7.1 not implemented yet: receive ForwardRequest");
      },
    },
  };
}
