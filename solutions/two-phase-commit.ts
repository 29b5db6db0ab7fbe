/**
 * Reference solution of the 2PC exercise (lecture 6, slides "Two-phase commit (2PC)" and "The
 * coordinator in two-phase commit"). The library re-exports this file
 * (src/protocols/commit/two-phase-commit.ts).
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
import { ableToCommit, checkCannotCommit } from "../src/protocols/commit/types";
import type { CommitRequest, CoordinatorTxn, Outcome, TwoPhaseCommitMsg, TwoPhaseCommitOptions, TwoPhaseCommitState } from "../src/protocols/commit/types";

type Ctx = Context<TwoPhaseCommitMsg>;

/** The coordinator decides once every vote is in, or as soon as one is a no; the decision goes to disk first. */
export function decideIfReady(txn: CoordinatorTxn): Outcome | null {
  if (txn.decision !== null) return null;
  if (txn.R.some((r) => txn.votes[r] === false)) return "abort";
  if (txn.R.every((r) => txn.votes[r] === true)) return "commit";
  return null;
}

function learn(state: TwoPhaseCommitState, T: string, outcome: Outcome, ctx: Ctx): void {
  if (state.decided[T] !== undefined) return;
  state.decided[T] = outcome;
  ctx.storage.set(`decided/${T}`, outcome);
  ctx.label(`${outcome} ${T}`);
  ctx.deliver({ type: "decide", T, outcome });
}

/** The coordinator's decision: to disk first, then to itself and every participant. */
function decide(state: TwoPhaseCommitState, T: string, txn: CoordinatorTxn, decision: Outcome, ctx: Ctx): void {
  txn.decision = decision;
  ctx.storage.set(`decision/${T}`, decision);
  learn(state, T, decision, ctx);
  announce(T, txn, ctx);
}

function announce(T: string, txn: CoordinatorTxn, ctx: Ctx): void {
  for (const r of txn.R) if (r !== ctx.nodeId) ctx.send(r, { type: "Decision", T, outcome: txn.decision as Outcome });
}

export function twoPhaseCommit(options: TwoPhaseCommitOptions): Protocol<TwoPhaseCommitState, TwoPhaseCommitMsg, CommitRequest> {
  const { coordinator } = options;
  const cannotCommit = checkCannotCommit("twoPhaseCommit", options.cannotCommit);
  const voteTimeoutMs = options.voteTimeoutMs ?? 200;
  if (!(voteTimeoutMs > 0)) throw new RangeError(`twoPhaseCommit: voteTimeoutMs must be > 0, got ${voteTimeoutMs}`);
  if (typeof coordinator !== "string" || coordinator === "") throw new RangeError(`twoPhaseCommit: coordinator must be a node id, got ${String(coordinator)}`);
  return {
    name: "2pc",
    init: (ctx) => {
      if (!ctx.nodes.includes(coordinator)) throw new RangeError(`twoPhaseCommit: coordinator ${coordinator} is not one of the nodes ${ctx.nodes.join(", ")}`);
      return { coordinating: {}, voted: {}, decided: {} };
    },
    request: (state, req, ctx) => {
      if (req?.type !== "commit") throw new TypeError(`2pc at ${ctx.nodeId}: unknown request ${JSON.stringify(req)}`);
      if (ctx.nodeId !== coordinator) throw new RangeError(`2pc: a commit request must go to the coordinator ${coordinator}, not ${ctx.nodeId}`);
      if (typeof req.T !== "string" || !Array.isArray(req.R) || req.R.length === 0) throw new TypeError(`2pc: commit needs a transaction id T and a non-empty list R of participants, got ${JSON.stringify(req)}`);
      for (const r of req.R) if (!ctx.nodes.includes(r)) throw new RangeError(`2pc: participant ${r} of ${req.T} is not a node`);
      if (state.coordinating[req.T] !== undefined) throw new RangeError(`2pc: transaction ${req.T} was already requested`);
      const txn: CoordinatorTxn = { R: [...req.R], votes: {}, decision: null };
      state.coordinating[req.T] = txn;
      // Written to disk, so that a coordinator recovering with no decision knows to abort T.
      ctx.storage.set(`txn/${req.T}`, txn.R);
      for (const r of txn.R) ctx.send(r, { type: "Prepare", T: req.T });
      ctx.startTimer("voteTimeout", voteTimeoutMs, req.T);
    },
    timers: {
      voteTimeout: (state, data, ctx) => {
        const T = data as string;
        const txn = state.coordinating[T];
        if (txn === undefined || txn.decision !== null) return;
        decide(state, T, txn, "abort", ctx);
      },
    },
    receive: {
      Prepare: (state, msg, from, ctx) => {
        if (state.voted[msg.T] === undefined) {
          // ok := "is transaction T able to commit on this replica?"
          const ok = ableToCommit(cannotCommit, ctx.nodeId, msg.T);
          state.voted[msg.T] = ok;
          ctx.storage.set(`voted/${msg.T}`, ok);
          ctx.label(`vote ${ok ? "yes" : "no"}`);
          ctx.deliver({ type: "voted", T: msg.T, ok });
          // A participant that votes no may abort at once: T can no longer commit anywhere.
          if (!ok) learn(state, msg.T, "abort", ctx);
        }
        ctx.send(from, { type: "Vote", T: msg.T, replicaId: ctx.nodeId, ok: state.voted[msg.T] });
      },
      Vote: (state, msg, _from, ctx) => {
        const txn = state.coordinating[msg.T];
        if (txn === undefined || !txn.R.includes(msg.replicaId)) return;
        txn.votes[msg.replicaId] = msg.ok;
        const decision = decideIfReady(txn);
        if (decision !== null) decide(state, msg.T, txn, decision, ctx);
      },
      Decision: (state, msg, _from, ctx) => learn(state, msg.T, msg.outcome, ctx),
    },
    recover: (ctx) => {
      const state: TwoPhaseCommitState = { coordinating: {}, voted: {}, decided: {} };
      for (const key of ctx.storage.keys()) {
        const [kind, T] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
        if (kind === "voted") state.voted[T] = ctx.storage.get<boolean>(key) as boolean;
        if (kind === "decided") state.decided[T] = ctx.storage.get<Outcome>(key) as Outcome;
      }
      for (const key of ctx.storage.keys()) {
        if (!key.startsWith("txn/")) continue;
        const T = key.slice("txn/".length);
        const txn: CoordinatorTxn = { R: ctx.storage.get<NodeId[]>(key) as NodeId[], votes: {}, decision: ctx.storage.get<Outcome>(`decision/${T}`) ?? null };
        state.coordinating[T] = txn;
        // "read decision from disk and send it to replicas (or abort if no decision was made before crash)"
        if (txn.decision === null) {
          txn.decision = "abort";
          ctx.storage.set(`decision/${T}`, "abort");
        }
        learn(state, T, txn.decision, ctx);
        announce(T, txn, ctx);
      }
      return state;
    },
  };
}
