/**
 * What the two commit protocols of lecture 6 share with their exercises (slides "Two-phase commit
 * (2PC)", "The coordinator in two-phase commit" and "Fault-tolerant two-phase commit (1/2)", "(2/2)"):
 * messages, requests, outputs, states and options. The algorithms are Exercises 6.1 and 6.2: their
 * code lives in solutions/two-phase-commit.ts and solutions/fault-tolerant-2pc.ts, re-exported by
 * two-phase-commit.ts and fault-tolerant-2pc.ts here (in the handout, the student's exercises are
 * re-exported instead). Both the stubs and the solutions import these types from here.
 *
 * The slides' "is transaction T able to commit on this replica?" is given as data, `cannotCommit`:
 * per node, the transactions that cannot commit there (say, a constraint would be violated). Data,
 * not a function, so that a run's options can be handed to nodes that run in processes of their own
 * (the grader's isolated nodes); `ableToCommit` answers the question from it.
 */
import type { NodeId } from "../../sim/protocol";

export type Outcome = "commit" | "abort";

/** Per node, the transactions that are not able to commit on that node (every other one is). */
export type CannotCommit = Readonly<Record<NodeId, readonly string[]>>;

/** "Is transaction T able to commit on this replica?": yes unless `cannotCommit` lists T for the replica. */
export function ableToCommit(cannotCommit: CannotCommit | undefined, replicaId: NodeId, T: string): boolean {
  const refused = cannotCommit?.[replicaId];
  return !(Array.isArray(refused) && refused.includes(T));
}

/** Checks a `cannotCommit` option (for the protocols' factories): a clear error on anything else. */
export function checkCannotCommit(name: string, cannotCommit: unknown): CannotCommit {
  if (cannotCommit === undefined) return {};
  const ok = typeof cannotCommit === "object" && cannotCommit !== null && !Array.isArray(cannotCommit) &&
    Object.values(cannotCommit).every((list) => Array.isArray(list) && list.every((T) => typeof T === "string"));
  if (!ok) throw new TypeError(`${name}: cannotCommit must map node ids to lists of transaction ids, e.g. { B: ["T1"] }; got ${JSON.stringify(cannotCommit)}`);
  return cannotCommit as CannotCommit;
}

/** What the application is told, by either protocol: a participant's vote, and a node's decision. */
export type CommitOutput =
  | { readonly type: "voted"; readonly T: string; readonly ok: boolean }
  | { readonly type: "decide"; readonly T: string; readonly outcome: Outcome };

// ---- Two-phase commit (Exercise 6.1) ----

export type TwoPhaseCommitMsg =
  | { readonly type: "Prepare"; readonly T: string }
  | { readonly type: "Vote"; readonly T: string; readonly replicaId: NodeId; readonly ok: boolean }
  | { readonly type: "Decision"; readonly T: string; readonly outcome: Outcome };

/** "on request to commit transaction T with participating nodes R": sent to the coordinator. */
export interface CommitRequest {
  readonly type: "commit";
  readonly T: string;
  readonly R: readonly NodeId[];
}

/** The coordinator's view of one transaction. */
export interface CoordinatorTxn {
  R: NodeId[];
  /** Votes received, by participant. */
  votes: Record<NodeId, boolean>;
  decision: Outcome | null;
}

export interface TwoPhaseCommitState {
  /** At the coordinator: its transactions. */
  coordinating: Record<string, CoordinatorTxn>;
  /** At a participant: its vote per transaction. */
  voted: Record<string, boolean>;
  /** At any node: the decision it learnt per transaction. */
  decided: Record<string, Outcome>;
}

export interface TwoPhaseCommitOptions {
  /** The coordinator's node id. */
  readonly coordinator: NodeId;
  /** "Is T able to commit on this replica?": per node, the transactions that are not (default: none). */
  readonly cannotCommit?: CannotCommit;
  /** The coordinator aborts T if some vote is still missing this long after prepare, ms. Default 200. */
  readonly voteTimeoutMs?: number;
}

// ---- Fault-tolerant two-phase commit (Exercise 6.2) ----

export type FtVote = { readonly type: "Vote"; readonly T: string; readonly replicaId: NodeId; readonly ok: boolean };

export type FtTwoPhaseCommitMsg =
  | { readonly type: "Prepare"; readonly T: string; readonly R: readonly NodeId[] }
  | { readonly type: "Alive" }
  | FtVote;

/** "on request to commit transaction T with participating nodes R" (at any node). */
export interface FtCommitRequest {
  readonly type: "commit";
  readonly T: string;
  readonly R: readonly NodeId[];
}

/** What the layer asks of total order broadcast. */
export interface TotalOrderBroadcastRequest {
  readonly type: "broadcast";
  readonly m: FtVote;
}

export interface FtTwoPhaseCommitState {
  commitVotes: Record<string, NodeId[]>;
  replicas: Record<string, NodeId[]>;
  decided: Record<string, boolean>;
  /** The failure detector: monotonic time each other node was last heard from, and who is suspected. */
  lastHeard: Record<NodeId, number>;
  suspected: NodeId[];
}

export interface FtTwoPhaseCommitOptions {
  /** "Is transaction T able to commit on this replica?": per node, the transactions that are not (default: none). */
  readonly cannotCommit?: CannotCommit;
  /** Failure detector: send Alive this often, ms (default 20). */
  readonly heartbeatMs?: number;
  /** Failure detector: suspect a node not heard from for this long, ms (default 100). */
  readonly timeoutMs?: number;
}
