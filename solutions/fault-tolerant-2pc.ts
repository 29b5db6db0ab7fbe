/**
 * Reference solution of the fault-tolerant 2PC exercise (lecture 6, slides "Fault-tolerant
 * two-phase commit (1/2)" and "(2/2)"), the slides' pseudocode with its names. The library
 * re-exports this file (src/protocols/commit/fault-tolerant-2pc.ts).
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
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import { ableToCommit, checkCannotCommit } from "../src/protocols/commit/types";
import type { FtCommitRequest, FtTwoPhaseCommitMsg, FtTwoPhaseCommitOptions, FtTwoPhaseCommitState, TotalOrderBroadcastRequest } from "../src/protocols/commit/types";

type Ctx = Context<FtTwoPhaseCommitMsg, TotalOrderBroadcastRequest>;

// "on initialisation for transaction T do commitVotes[T] := {}; replicas[T] := {}; decided[T] := false"
function initTransaction(state: FtTwoPhaseCommitState, T: string): void {
  if (state.commitVotes[T] !== undefined) return;
  state.commitVotes[T] = [];
  state.replicas[T] = [];
  state.decided[T] = false;
}

function sameSet(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

// "on a node suspects node replicaId to have crashed do"
export function onSuspect(state: FtTwoPhaseCommitState, replicaId: NodeId, ctx: Ctx): void {
  // "for each transaction T in which replicaId participated do"
  for (const T of Object.keys(state.replicas)) {
    if (!state.replicas[T].includes(replicaId)) continue;
    // "total order broadcast (Vote, T, replicaId, false) to replicas[T]"
    ctx.lower({ type: "broadcast", m: { type: "Vote", T, replicaId, ok: false } });
  }
}

export function faultTolerantTwoPhaseCommit(
  options: FtTwoPhaseCommitOptions = {},
): Protocol<FtTwoPhaseCommitState, FtTwoPhaseCommitMsg, FtCommitRequest, TotalOrderBroadcastRequest> {
  const cannotCommit = checkCannotCommit("faultTolerantTwoPhaseCommit", options.cannotCommit);
  const heartbeatMs = options.heartbeatMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 100;
  if (!(heartbeatMs > 0) || !(timeoutMs > heartbeatMs)) throw new RangeError(`faultTolerantTwoPhaseCommit: need 0 < heartbeatMs < timeoutMs, got ${heartbeatMs} and ${timeoutMs}`);
  return {
    name: "ft-2pc",
    init: (ctx) => {
      const lastHeard: Record<NodeId, number> = {};
      for (const q of ctx.nodes) if (q !== ctx.nodeId) lastHeard[q] = ctx.clock.monotonic();
      return { commitVotes: {}, replicas: {}, decided: {}, lastHeard, suspected: [] };
    },
    // "on request to commit transaction T with participating nodes R do"
    request: (_state, req, ctx) => {
      if (req?.type !== "commit" || typeof req.T !== "string" || !Array.isArray(req.R) || req.R.length === 0) {
        throw new TypeError(`ft-2pc at ${ctx.nodeId}: expected { type: "commit", T, R: [nodes] }, got ${JSON.stringify(req)}`);
      }
      for (const r of req.R) if (!ctx.nodes.includes(r)) throw new RangeError(`ft-2pc: participant ${r} of ${req.T} is not a node`);
      // "for each r ∈ R do send (Prepare, T, R) to r"
      for (const r of req.R) ctx.send(r, { type: "Prepare", T: req.T, R: req.R });
    },
    receive: {
      // "on receiving (Prepare, T, R) at node replicaId do"
      Prepare: (state, msg, _from, ctx) => {
        const replicaId = ctx.nodeId;
        initTransaction(state, msg.T);
        state.replicas[msg.T] = [...msg.R];
        // ok = "is transaction T able to commit on this replica?"
        const ok = ableToCommit(cannotCommit, replicaId, msg.T);
        ctx.label(`vote ${ok ? "yes" : "no"}`);
        ctx.deliver({ type: "voted", T: msg.T, ok });
        // "total order broadcast (Vote, T, replicaId, ok) to replicas[T]"
        ctx.lower({ type: "broadcast", m: { type: "Vote", T: msg.T, replicaId, ok } });
      },
      // "on delivering (Vote, T, replicaId, ok) by total order broadcast do"
      Vote: (state, msg, _from, ctx) => {
        const { T, replicaId, ok } = msg;
        initTransaction(state, T);
        if (!state.commitVotes[T].includes(replicaId) && state.replicas[T].includes(replicaId) && !state.decided[T]) {
          if (ok === true) {
            state.commitVotes[T] = [...state.commitVotes[T], replicaId];
            if (sameSet(state.commitVotes[T], state.replicas[T])) {
              state.decided[T] = true;
              // "commit transaction T at this node"
              ctx.label(`commit ${T}`);
              ctx.deliver({ type: "decide", T, outcome: "commit" });
            }
          } else {
            state.decided[T] = true;
            // "abort transaction T at this node"
            ctx.label(`abort ${T}`);
            ctx.deliver({ type: "decide", T, outcome: "abort" });
          }
        }
      },
      Alive: (state, _msg, from, ctx) => {
        state.lastHeard[from] = ctx.clock.monotonic();
      },
    },
    periodically: {
      heartbeat: {
        everyMs: heartbeatMs,
        run: (state, ctx) => {
          for (const q of ctx.nodes) if (q !== ctx.nodeId) ctx.send(q, { type: "Alive" });
          for (const q of Object.keys(state.lastHeard)) {
            if (state.suspected.includes(q) || ctx.clock.monotonic() - state.lastHeard[q] <= timeoutMs) continue;
            state.suspected.push(q);
            ctx.log(`ft-2pc: ${ctx.nodeId} suspects ${q}`);
            onSuspect(state, q, ctx);
          }
        },
      },
    },
  };
}
