/**
 * Exercise 6.1: two-phase commit (lecture 6, slides "Two-phase commit (2PC)" and "The coordinator in two-phase commit"). Graded on
 * isolated nodes (`await checkExercise("6.1", my2pc)` in notebook 06); in the handout, notebook 06's
 * demonstrations run this file through the library (src/protocols/commit/two-phase-commit.ts).
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
 *
 * The types are in src/protocols/commit/types.ts. "Is T able to commit here?" is
 * `ableToCommit(options.cannotCommit, ctx.nodeId, T)`: the options say, per node, which transactions
 * cannot commit there. What must go to disk (ctx.storage) is what `recover` needs: the coordinator's
 * (T, R) and decision, a participant's vote and what it decided.
 *
 * How it is graded: each node runs in a process of its own, so nodes share nothing but messages;
 * keep everything a node knows in its state (plain data: objects, arrays, strings, numbers, booleans),
 * not in module-level variables, and make each handler depend only on its state and the event (the
 * explorer replays handlers on copies of states and checks that they answer the same).
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import { ableToCommit, checkCannotCommit } from "../src/protocols/commit/types";
import type { CommitRequest, CoordinatorTxn, Outcome, TwoPhaseCommitMsg, TwoPhaseCommitOptions, TwoPhaseCommitState } from "../src/protocols/commit/types";

type Ctx = Context<TwoPhaseCommitMsg>;

/** The coordinator decides once every vote is in, or as soon as one is a no; the decision goes to disk first. */
export function decideIfReady(txn: CoordinatorTxn): Outcome | null {
  throw new Error("Exercise 6.1 not implemented yet: decideIfReady");
}

export function twoPhaseCommit(options: TwoPhaseCommitOptions): Protocol<TwoPhaseCommitState, TwoPhaseCommitMsg, CommitRequest> {
  throw new Error("Exercise 6.1 not implemented yet: twoPhaseCommit");
}
