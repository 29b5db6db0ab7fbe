// Hostile: fault-tolerant 2PC without total order broadcast. Votes go into a module-level table
// instead (in one process, every node would see every vote at once, in the same order, and decide
// alike); a suspicion writes a no into the table for the suspect unless it has voted, and the
// suspecting node decides from its table. Expect: 0 of 12 points. Isolated nodes share no module
// memory, so each node sees only its own vote and never commits; and the grader reads which votes
// total order broadcast delivered to each node (the kit's layer, in the grader's trace), so an abort
// decided on a local suspicion, with no no vote delivered, fails too.
import type { Context, NodeId, Protocol } from "../../../../src/sim/protocol";
import type { FtCommitRequest, FtTwoPhaseCommitMsg, FtTwoPhaseCommitOptions, FtTwoPhaseCommitState, TotalOrderBroadcastRequest } from "../../../../src/protocols/commit/types";

type Ctx = Context<FtTwoPhaseCommitMsg, TotalOrderBroadcastRequest>;
const table: Record<string, Record<NodeId, boolean>> = {};

function decideFromTable(state: FtTwoPhaseCommitState, T: string, ctx: Ctx): void {
  const votes = table[T] ?? {};
  const R = state.replicas[T] ?? [];
  if (state.decided[T] || R.length === 0) return;
  if (R.some((r) => votes[r] === false)) {
    state.decided[T] = true;
    ctx.deliver({ type: "decide", T, outcome: "abort" });
  } else if (R.every((r) => votes[r] === true)) {
    state.decided[T] = true;
    ctx.deliver({ type: "decide", T, outcome: "commit" });
  }
}

export function onSuspect(state: FtTwoPhaseCommitState, replicaId: NodeId, ctx: Ctx): void {
  for (const T of Object.keys(state.replicas)) {
    if (!state.replicas[T]!.includes(replicaId)) continue;
    table[T] ??= {};
    if (table[T]![replicaId] === undefined) table[T]![replicaId] = false;
    decideFromTable(state, T, ctx);
  }
}

export function faultTolerantTwoPhaseCommit(options: FtTwoPhaseCommitOptions = {}): Protocol<FtTwoPhaseCommitState, FtTwoPhaseCommitMsg, FtCommitRequest, TotalOrderBroadcastRequest> {
  const heartbeatMs = options.heartbeatMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 100;
  return {
    name: "ft-2pc",
    init: (ctx) => {
      const lastHeard: Record<NodeId, number> = {};
      for (const q of ctx.nodes) if (q !== ctx.nodeId) lastHeard[q] = ctx.clock.monotonic();
      return { commitVotes: {}, replicas: {}, decided: {}, lastHeard, suspected: [] };
    },
    request: (_state, req, ctx) => {
      for (const r of req.R) ctx.send(r, { type: "Prepare", T: req.T, R: req.R });
    },
    receive: {
      Prepare: (state, msg, _from, ctx) => {
        state.replicas[msg.T] = [...msg.R];
        state.decided[msg.T] ??= false;
        const ok = !(options.cannotCommit?.[ctx.nodeId] ?? []).includes(msg.T);
        ctx.deliver({ type: "voted", T: msg.T, ok });
        table[msg.T] ??= {};
        if (table[msg.T]![ctx.nodeId] === undefined) table[msg.T]![ctx.nodeId] = ok;
        decideFromTable(state, msg.T, ctx);
      },
      Vote: () => {},
      Alive: (state, _msg, from, ctx) => {
        state.lastHeard[from] = ctx.clock.monotonic();
        for (const T of Object.keys(state.replicas)) decideFromTable(state, T, ctx);
      },
    },
    periodically: {
      heartbeat: {
        everyMs: heartbeatMs,
        run: (state, ctx) => {
          for (const q of ctx.nodes) if (q !== ctx.nodeId) ctx.send(q, { type: "Alive" });
          for (const q of Object.keys(state.lastHeard)) {
            if (state.suspected.includes(q) || ctx.clock.monotonic() - state.lastHeard[q]! <= timeoutMs) continue;
            state.suspected.push(q);
            onSuspect(state, q, ctx);
          }
        },
      },
    },
  };
}
