/**
 * Exercise 6.2: fault-tolerant two-phase commit (lecture 6, slides "Fault-tolerant two-phase commit (1/2)" and "(2/2)"). Graded on
 * isolated nodes over the kit's single-leader total order broadcast (`await checkExercise("6.2", myFt2pc)`
 * in notebook 06); in the handout, notebook 06's demonstrations run this file through the library.
 *
 * Votes go through total order broadcast instead of to a coordinator, so every participant sees
 * the same sequence of votes and reaches the same decision; a failure detector's suspicion of a
 * participant broadcasts a "false" vote on its behalf. Whichever of a participant's votes comes
 * first in the total order counts (the later one is ignored), so a crashed participant cannot block
 * the others, and a participant wrongly suspected makes the transaction abort, never disagree.
 *
 * It is a layer: stack it on a total order broadcast that takes `{ type: "broadcast", m }` and
 * delivers m (e.g. `stack(faultTolerantTwoPhaseCommit(), singleLeaderTotalOrderStack("L"))`).
 * The failure detector is built in: every `heartbeatMs` each node sends Alive to the others, and
 * suspects a node it has not heard from for `timeoutMs` (lecture 2's timeout detector).
 *
 * Note, found by running it: a vote delivered at a node before that node has received (Prepare, T, R)
 * is ignored there (replicaId ∉ replicas[T] = {}), exactly as the pseudocode says. If the Prepare is
 * slower than the broadcast, that node never collects every vote and stays undecided; the runs in
 * the notebook and the tests deliver Prepare over a faster link than the broadcast's, as the slide
 * tacitly assumes.
 *
 * Deliveries to the application: `{ type: "voted", T, ok }` and `{ type: "decide", T, outcome }`,
 * as in two-phase-commit.ts, so the atomicity checker reads both protocols alike.
 *
 * The types are in src/protocols/commit/types.ts. ok = "is transaction T able to commit on this
 * replica?" is `ableToCommit(options.cannotCommit, replicaId, T)`.
 *
 * How it is graded: each node runs in a process of its own, so nodes share nothing but messages;
 * keep everything a node knows in its state (plain data: objects, arrays, strings, numbers, booleans),
 * not in module-level variables, and make each handler depend only on its state and the event.
 * The judge also reads which votes the kit's total order broadcast delivered to each node: a node
 * may decide only what the votes delivered to it by then have settled.
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import { ableToCommit, checkCannotCommit } from "../src/protocols/commit/types";
import type { FtCommitRequest, FtTwoPhaseCommitMsg, FtTwoPhaseCommitOptions, FtTwoPhaseCommitState, TotalOrderBroadcastRequest } from "../src/protocols/commit/types";

type Ctx = Context<FtTwoPhaseCommitMsg, TotalOrderBroadcastRequest>;

// "on a node suspects node replicaId to have crashed do"
export function onSuspect(state: FtTwoPhaseCommitState, replicaId: NodeId, ctx: Ctx): void {
  throw new Error("Exercise 6.2 not implemented yet: onSuspect");
}

export function faultTolerantTwoPhaseCommit(
  options: FtTwoPhaseCommitOptions = {},
): Protocol<FtTwoPhaseCommitState, FtTwoPhaseCommitMsg, FtCommitRequest, TotalOrderBroadcastRequest> {
  throw new Error("Exercise 6.2 not implemented yet: faultTolerantTwoPhaseCommit");
}
