/**
 * Raft's nouns as the slides write them (lecture 7, "Raft (1/9)" to "Raft (9/9)"): the node state,
 * the four messages (VoteRequest, VoteResponse, LogRequest, LogResponse), log records, and the
 * requests the layer takes. Library code: the reference handlers live in solutions/raft.ts (the
 * graded exercise), re-exported by ./raft.ts.
 */
import type { NodeId, TimerId } from "../../sim/protocol";
import type { BroadcastRequest } from "../broadcast/requests";

/**
 * A log record, "(msg : msg, term : currentTerm)" on slide 4/9. `from` and `seq` name the broadcast
 * (its origin node and the origin's count of earlier broadcasts), so the leader appends each
 * broadcast once and in its origin's order (FIFO-total order); records written by hand for a
 * textbook configuration may leave them out.
 */
export interface LogEntry {
  readonly msg: unknown;
  readonly term: number;
  readonly from?: NodeId;
  readonly seq?: number;
}

export type RaftRole = "follower" | "candidate" | "leader";

/** A broadcast not yet delivered at its origin: kept (in stable storage) and re-sent to the leader until it is. */
export interface PendingBroadcast {
  readonly msg: unknown;
  readonly from: NodeId;
  readonly seq: number;
}

/** A node's state, with the slides' names (1/9); the last three serve the forwarding of requests (4/9). */
export interface RaftState {
  /** Stable: the latest term this node has seen. */
  currentTerm: number;
  /** Stable: the candidate this node voted for in currentTerm, or null. */
  votedFor: NodeId | null;
  /** Stable: the log. */
  log: LogEntry[];
  /** Stable: how many log records have been committed (delivered to the application). */
  commitLength: number;
  currentRole: RaftRole;
  currentLeader: NodeId | null;
  /** Nodes that voted for this node in currentTerm (a sorted list: a set). */
  votesReceived: NodeId[];
  /** Leader only: per follower, how much of the log the leader has sent it. */
  sentLength: Record<NodeId, number>;
  /** Leader only: per node, how much of the log it has acknowledged. */
  ackedLength: Record<NodeId, number>;
  /** The election timer running now, or null (a leader has none). */
  electionTimer: TimerId | null;
  /** Stable: how many broadcasts this node has made (the next one's seq). */
  sendSeq: number;
  /** Stable: this node's broadcasts that it has not yet delivered, in seq order. */
  pending: PendingBroadcast[];
}

// ---- messages (the slides' tuples, field names as on the slides) ----

/** (VoteRequest, cId, cTerm, cLogLength, cLogTerm), slide 1/9. */
export interface VoteRequest {
  readonly type: "VoteRequest";
  readonly cId: NodeId;
  readonly cTerm: number;
  readonly cLogLength: number;
  readonly cLogTerm: number;
}

/** (VoteResponse, voterId, term, granted), slide 2/9. */
export interface VoteResponse {
  readonly type: "VoteResponse";
  readonly voterId: NodeId;
  readonly term: number;
  readonly granted: boolean;
}

/** (LogRequest, leaderId, term, prefixLen, prefixTerm, leaderCommit, suffix), slide 5/9. */
export interface LogRequest {
  readonly type: "LogRequest";
  readonly leaderId: NodeId;
  readonly term: number;
  readonly prefixLen: number;
  readonly prefixTerm: number;
  readonly leaderCommit: number;
  readonly suffix: readonly LogEntry[];
}

/** (LogResponse, follower, term, ack, success), slide 6/9. */
export interface LogResponse {
  readonly type: "LogResponse";
  readonly follower: NodeId;
  readonly term: number;
  readonly ack: number;
  readonly success: boolean;
}

/** Slide 4/9's "forward the request to currentLeader via a FIFO link". */
export interface ForwardRequest {
  readonly type: "ForwardRequest";
  readonly request: PendingBroadcast;
}

export type RaftMsg = VoteRequest | VoteResponse | LogRequest | LogResponse | ForwardRequest;

/**
 * What the layer takes: "on request to broadcast msg" (4/9), and "node nodeId suspects leader has
 * failed" (1/9), which a failure detector, an operator or a scripted scenario may signal.
 */
export type RaftRequest = BroadcastRequest | { readonly type: "suspect-leader" };

export interface RaftOptions {
  /** The election timeout is drawn uniformly from [electionTimeoutMs, 2 * electionTimeoutMs). Default 150. */
  readonly electionTimeoutMs?: number;
  /** "periodically": the leader's heartbeat (REPLICATELOG to every follower) and the re-sending of pending requests. Default 50. */
  readonly heartbeatMs?: number;
}

/** Stable-storage keys of the Raft layer. */
export const RAFT_STORAGE_KEYS = ["currentTerm", "votedFor", "log", "commitLength", "sendSeq", "pending"] as const;

/** Checks RaftOptions and fills in the defaults; a bad value is an error naming it. */
export function raftTimings(options: RaftOptions = {}): { electionTimeoutMs: number; heartbeatMs: number } {
  const electionTimeoutMs = options.electionTimeoutMs ?? 150;
  const heartbeatMs = options.heartbeatMs ?? 50;
  if (typeof electionTimeoutMs !== "number" || !Number.isFinite(electionTimeoutMs) || electionTimeoutMs <= 0) {
    throw new RangeError(`raft: electionTimeoutMs must be a finite number > 0, got ${String(electionTimeoutMs)}`);
  }
  if (typeof heartbeatMs !== "number" || !Number.isFinite(heartbeatMs) || heartbeatMs <= 0) {
    throw new RangeError(`raft: heartbeatMs must be a finite number > 0, got ${String(heartbeatMs)}`);
  }
  return { electionTimeoutMs, heartbeatMs };
}

/** ⌈(|nodes| + 1) / 2⌉: a quorum (slides 3/9 and 9/9). */
export function quorum(nodeCount: number): number {
  if (!Number.isSafeInteger(nodeCount) || nodeCount < 1) throw new RangeError(`quorum: nodeCount must be an integer >= 1, got ${String(nodeCount)}`);
  return Math.ceil((nodeCount + 1) / 2);
}
