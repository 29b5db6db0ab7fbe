/**
 * Database leader replica (lecture 5, slide "Database leader replica"): the leader L executes each
 * transaction, commits it, and appends it to its transaction log; followers F apply the log in
 * commit order. The leader is what puts the transactions in one total order (it is total order
 * broadcast with L as the sequencer, as in lecture 4's single-leader algorithm).
 *
 *   on request to perform transaction T at node N do
 *       if N = L then commit T else send (Forward, T) to L
 *   on receiving (Forward, T) at L do: commit T
 *   commit T at L:
 *       apply T to the state; log := log + [T]
 *       for each follower F do send (Commit, |log|, T) to F
 *   on receiving (Commit, seq, T) at a follower do
 *       buffer it; while the entry numbered applied + 1 is buffered, apply it; applied := applied + 1
 *
 * A layer over point-to-point links (`stack(leaderReplica(...), reliableFifoLink())`); the state is
 * any ReplicatedType of ./state-machine.ts (its update function runs only on committed transactions).
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { LinkSendRequest } from "../links/reliable-link";
import type { ReplicatedType, UpdateRequest } from "./state-machine";

export type LeaderReplicaMessage =
  | { readonly type: "Forward"; readonly t: unknown }
  | { readonly type: "Commit"; readonly seq: number; readonly t: unknown };

export interface LeaderReplicaState<S> {
  value: S;
  /** Transactions applied here, in commit order (the leader's transaction log; a follower's copy). */
  log: unknown[];
  /** Commits received out of order, by sequence number. */
  buffer: Record<number, unknown>;
}

export interface LeaderReplicaOptions {
  readonly leader: NodeId;
}

/** Most commits a follower holds back: more means a gap that never closes. */
export const MAX_COMMITS_BUFFERED = 100_000;

export function leaderReplica<S, U>(
  type: ReplicatedType<S, U>,
  options: LeaderReplicaOptions,
): Protocol<LeaderReplicaState<S>, LeaderReplicaMessage, UpdateRequest<U>, LinkSendRequest> {
  const { leader } = options;
  if (typeof leader !== "string" || leader === "") throw new RangeError(`leaderReplica: leader must be a node id, got ${String(leader)}`);
  const apply = (state: LeaderReplicaState<S>, t: unknown, ctx: { deliver(value: unknown): void }) => {
    type.apply(state.value, t as U);
    state.log.push(t);
    ctx.deliver({ seq: state.log.length, t, view: type.view(state.value) });
  };
  return {
    name: `leader-replica-${type.name}`,
    init: (ctx) => {
      if (!ctx.nodes.includes(leader)) throw new RangeError(`leaderReplica: leader ${leader} is not one of the nodes ${ctx.nodes.join(", ")}`);
      return { value: type.init(), log: [], buffer: {} };
    },
    request: (state, req, ctx) => {
      if (req === null || typeof req !== "object" || req.type !== "update") throw new TypeError(`leaderReplica ${ctx.nodeId}: a request must be { type: "update", u }, got ${JSON.stringify(req)}`);
      if (ctx.nodeId !== leader) {
        ctx.lower({ type: "send", to: leader, m: { type: "Forward", t: req.u } satisfies LeaderReplicaMessage });
        return;
      }
      commit(state, req.u, ctx);
    },
    receive: {
      Forward: (state, msg, from, ctx) => {
        if (ctx.nodeId !== leader) {
          ctx.log(`leader replica: ${ctx.nodeId} is not the leader; ignored a transaction from ${from}`);
          return;
        }
        commit(state, msg.t, ctx);
      },
      Commit: (state, msg, _from, ctx) => {
        if (!Number.isInteger(msg.seq) || msg.seq < 1) throw new RangeError(`leaderReplica ${ctx.nodeId}: a commit's seq must be an integer >= 1, got ${String(msg.seq)}`);
        if (msg.seq <= state.log.length) return; // applied already (a duplicate)
        state.buffer[msg.seq] = msg.t;
        if (Object.keys(state.buffer).length > MAX_COMMITS_BUFFERED) throw new RangeError(`leaderReplica ${ctx.nodeId}: more than ${MAX_COMMITS_BUFFERED} commits held back`);
        // apply the log in commit order
        while (Object.prototype.hasOwnProperty.call(state.buffer, state.log.length + 1)) {
          const t = state.buffer[state.log.length + 1];
          delete state.buffer[state.log.length + 1];
          apply(state, t, ctx);
        }
      },
    },
  };

  function commit(state: LeaderReplicaState<S>, t: unknown, ctx: Parameters<NonNullable<Protocol<LeaderReplicaState<S>, LeaderReplicaMessage, UpdateRequest<U>, LinkSendRequest>["request"]>>[2]) {
    apply(state, t, ctx);
    for (const node of ctx.nodes) {
      if (node !== leader) ctx.lower({ type: "send", to: node, m: { type: "Commit", seq: state.log.length, t } satisfies LeaderReplicaMessage });
    }
  }
}
