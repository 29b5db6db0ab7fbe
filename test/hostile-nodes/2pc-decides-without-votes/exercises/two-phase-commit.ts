// Hostile: two-phase commit without the two phases. Every node is given the same options, so the
// coordinator reads "is T able to commit there?" for every participant from options.cannotCommit and
// decides at once, on the request, without Prepare or votes; it also writes its decisions into a
// module-level table, and a participant looks there first (in one process it would decide without
// any message). Participants report a truthful vote when the Decision arrives. In a quiet run the
// outputs look right: the right outcome everywhere, votes that match the options. Expect: 0 points.
// The grader reads votes and decisions from its own trace with happens-before, so a commit before
// the yes votes, or an abort before any no vote or timeout, fails every run; the explorer sees the
// coordinator commit before anyone voted; and isolated nodes share no module memory.
import type { Context, Protocol } from "../../../../src/sim/protocol";
import type { CommitRequest, CoordinatorTxn, Outcome, TwoPhaseCommitMsg, TwoPhaseCommitOptions, TwoPhaseCommitState } from "../../../../src/protocols/commit/types";

const sharedDecisions: Record<string, Outcome> = {};

export function decideIfReady(txn: CoordinatorTxn): Outcome | null {
  if (txn.decision !== null) return null;
  if (txn.R.some((r) => txn.votes[r] === false)) return "abort";
  if (txn.R.every((r) => txn.votes[r] === true)) return "commit";
  return null;
}

export function twoPhaseCommit(options: TwoPhaseCommitOptions): Protocol<TwoPhaseCommitState, TwoPhaseCommitMsg, CommitRequest> {
  const able = (node: string, T: string) => !(options.cannotCommit?.[node] ?? []).includes(T);
  const learn = (state: TwoPhaseCommitState, T: string, outcome: Outcome, ctx: Context<TwoPhaseCommitMsg>) => {
    if (state.decided[T] !== undefined) return;
    if (ctx.nodeId !== options.coordinator && state.voted[T] === undefined) {
      state.voted[T] = able(ctx.nodeId, T);
      ctx.deliver({ type: "voted", T, ok: state.voted[T] });
    }
    state.decided[T] = outcome;
    ctx.storage.set(`decided/${T}`, outcome);
    ctx.deliver({ type: "decide", T, outcome });
  };
  return {
    name: "2pc",
    init: () => ({ coordinating: {}, voted: {}, decided: {} }),
    request: (state, req, ctx) => {
      const outcome: Outcome = req.R.every((r) => able(r, req.T)) ? "commit" : "abort";
      sharedDecisions[req.T] = outcome;
      state.coordinating[req.T] = { R: [...req.R], votes: {}, decision: outcome };
      ctx.storage.set(`decision/${req.T}`, outcome);
      learn(state, req.T, outcome, ctx);
      for (const r of req.R) ctx.send(r, { type: "Decision", T: req.T, outcome });
    },
    receive: {
      Prepare: (state, msg, _from, ctx) => {
        const shared = sharedDecisions[msg.T];
        if (shared !== undefined) learn(state, msg.T, shared, ctx);
      },
      Vote: () => {},
      Decision: (state, msg, _from, ctx) => learn(state, msg.T, sharedDecisions[msg.T] ?? msg.outcome, ctx),
    },
    recover: (ctx) => {
      const state: TwoPhaseCommitState = { coordinating: {}, voted: {}, decided: {} };
      for (const key of ctx.storage.keys()) if (key.startsWith("decided/")) state.decided[key.slice(8)] = ctx.storage.get<Outcome>(key) as Outcome;
      return state;
    },
  };
}
