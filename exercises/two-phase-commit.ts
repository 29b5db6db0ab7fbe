/**
 * Exercise 6.1: two-phase commit (lecture 6, slides "Two-phase commit (2PC)" and "The coordinator in two-phase commit"). Not graded yet: notebook 06
 * runs this file through the library (src/protocols/commit/two-phase-commit.ts), so its demonstrations need it.
 *
 * One coordinator and a set of participants. To commit transaction T:
 *
 *   on request to commit T with participants R at the coordinator do
 *       write (T, R) to disk; for each r in R do send (Prepare, T) to r
 *   on receiving (Prepare, T) at participant p do
 *       ok := "is T able to commit here?"; write ok to disk   (a yes vote is a promise)
 *       send (Vote, T, p, ok) to the coordinator
 *   on receiving (Vote, T, p, ok) at the coordinator do
 *       if some vote is false, or all of R voted true, and T is undecided then
 *           decision := commit iff all voted true; write decision to disk
 *           for each r in R do send (Decision, T, decision) to r
 *   on timeout of T at the coordinator, T undecided do: decide abort as above (a vote is missing:
 *       "if any node crashes, all must abort")
 *   on receiving (Decision, T, decision) at participant p do: commit or abort T
 *   on recovery from crash at the coordinator do
 *       for each T on disk: send its decision again, or decide abort if none was made
 *
 * A participant that voted yes may neither commit nor abort on its own: if the coordinator crashes
 * after prepare and before its decision reaches the participant, the participant is blocked until
 * the coordinator recovers (the slide's "Problem").
 *
 * What the application sees (deliveries): `{ type: "voted", T, ok }` when a participant votes and
 * `{ type: "decide", T, outcome }` when a node (coordinator or participant) decides; the atomicity
 * checker (src/checks/atomic-commit.ts) reads those.
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";

export type Outcome = "commit" | "abort";

export type TwoPhaseCommitMsg =
  | { readonly type: "Prepare"; readonly T: string }

/** "on request to commit transaction T with participating nodes R": sent to the coordinator. */
export interface CommitRequest {
  readonly type: "commit";
  readonly T: string;
  readonly R: readonly NodeId[];
}

/** What the application is told. */
export type CommitOutput =
  | { readonly type: "voted"; readonly T: string; readonly ok: boolean }

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
  /** "Is transaction T able to commit on this replica?" Default: always yes. Must be deterministic. */
  readonly canCommit?: (replicaId: NodeId, T: string) => boolean;
  /** The coordinator aborts T if some vote is still missing this long after prepare, ms. Default 200. */
  readonly voteTimeoutMs?: number;
}

type Ctx = Context<TwoPhaseCommitMsg>;

/** The coordinator decides once every vote is in, or as soon as one is a no; the decision goes to disk first. */
export function decideIfReady(txn: CoordinatorTxn): Outcome | null {
  throw new Error("Exercise 6.1 not implemented yet: decideIfReady");
}

export function twoPhaseCommit(options: TwoPhaseCommitOptions): Protocol<TwoPhaseCommitState, TwoPhaseCommitMsg, CommitRequest> {
  throw new Error("Exercise 6.1 not implemented yet: twoPhaseCommit");
}
