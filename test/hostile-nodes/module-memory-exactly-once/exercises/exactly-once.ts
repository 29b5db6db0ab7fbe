// Hostile: the reference client, and the reference server except that its dedup table lives in a
// module variable (cleared in init) instead of ctx.storage. In one shared process the module
// survives a simulated crash, so retries after a crash are still recognised. Expect: each node in a
// process of its own, and a fresh one after a crash, so the crash tests fail (a retry applied twice).
/**
 * Based on the reference solution of Exercise 5.1 (the contract is in exercises/exactly-once.ts): exactly-once =
 * retry + deduplication (lecture 5, slides "Retrying state updates" and "Idempotence").
 */
import type { NodeId, Protocol } from "../../../../src/sim/protocol";
import type { Applied, LikeUpdate, LikesMessage } from "../../../../src/protocols/replication/likes";

export type { Applied, LikeUpdate, LikesMessage };

/** The application's request to the client: apply `update` at the server `to`. */
export interface ExactlyOnceRequest {
  readonly type: "update";
  readonly to: NodeId;
  readonly update: LikeUpdate;
}

export interface ExactlyOnceClientOptions {
  /** Wait this long for the Ack before the first retry (ms, node's monotonic clock). Default 50. */
  readonly timeoutMs?: number;
  /** Each later wait is twice the one before, up to this (ms). Default 800. */
  readonly maxTimeoutMs?: number;
}

export interface ExactlyOnceClientState {
  /** Number of the next request id; in stable storage, so an id is never used twice. */
  nextRequest: number;
  /** Requests not yet acknowledged: requestId -> what to send, where, and the current wait. */
  pending: Record<string, { to: NodeId; update: LikeUpdate; attempts: number; waitMs: number }>;
}

export interface ExactlyOnceServerState {
  /** The replica's value: f(likeCount) = likeCount + 1 (like), - 1 (unlike); not idempotent. */
  likeCount: number;
  /** The dedup table: the request ids already applied (mirrored in stable storage, "seen/<id>"). */
  seen: Record<string, true>;
}

export const EXACTLY_ONCE_DEFAULTS = { timeoutMs: 50, maxTimeoutMs: 800 } as const;

export function exactlyOnceClient(options: ExactlyOnceClientOptions = {}): Protocol<ExactlyOnceClientState, LikesMessage, ExactlyOnceRequest> {
  const timeoutMs = options.timeoutMs ?? EXACTLY_ONCE_DEFAULTS.timeoutMs;
  const maxTimeoutMs = options.maxTimeoutMs ?? EXACTLY_ONCE_DEFAULTS.maxTimeoutMs;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`exactlyOnceClient: timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
  if (!(Number.isFinite(maxTimeoutMs) && maxTimeoutMs >= timeoutMs)) throw new RangeError(`exactlyOnceClient: maxTimeoutMs must be a number >= timeoutMs (${timeoutMs}), got ${String(maxTimeoutMs)}`);
  return {
    name: "exactly-once-client",
    init: () => ({ nextRequest: 0, pending: {} }),
    // on request to perform update u at server s do: a fresh request id, send, wait for the Ack
    request: (state, req, ctx) => {
      if (req === null || typeof req !== "object" || req.type !== "update" || !ctx.nodes.includes(req.to)) {
        throw new TypeError(`exactlyOnceClient ${ctx.nodeId}: expected { type: "update", to: <a node>, update }, got ${JSON.stringify(req)}`);
      }
      const requestId = `${ctx.nodeId}.${state.nextRequest}`;
      state.nextRequest += 1;
      ctx.storage.set("nextRequest", state.nextRequest);
      state.pending[requestId] = { to: req.to, update: req.update, attempts: 1, waitMs: timeoutMs };
      ctx.send(req.to, { type: "Update", requestId, update: req.update });
      ctx.startTimer("retry", timeoutMs, { requestId });
    },
    receive: {
      // on receiving (Ack, requestId) do: done (a duplicate or late Ack changes nothing)
      Ack: (state, msg, _from, ctx) => {
        if (state.pending[msg.requestId] === undefined) return;
        delete state.pending[msg.requestId];
        ctx.deliver({ acknowledged: msg.requestId });
      },
      Update: (_state, _msg, from, ctx) => ctx.log(`exactly-once client: ignored an Update from ${from}`),
    },
    timers: {
      // on timeout of requestId do: resend the same request (same id), then wait twice as long
      retry: (state, data, ctx) => {
        const { requestId } = data as { requestId: string };
        const pending = state.pending[requestId];
        if (pending === undefined) return;
        pending.attempts += 1;
        pending.waitMs = Math.min(2 * pending.waitMs, maxTimeoutMs);
        ctx.label(`retry ${requestId}`);
        ctx.send(pending.to, { type: "Update", requestId, update: pending.update });
        ctx.startTimer("retry", pending.waitMs, { requestId });
      },
    },
    // Request ids stay unique after a crash; requests in flight are forgotten.
    recover: (ctx) => ({ nextRequest: ctx.storage.get<number>("nextRequest") ?? 0, pending: {} }),
  };
}

const seenInMemory = new Set<string>();

export function exactlyOnceServer(): Protocol<ExactlyOnceServerState, LikesMessage> {
  return {
    name: "exactly-once-server",
    init: () => {
      seenInMemory.clear();
      return { likeCount: 0, seen: {} };
    },
    receive: {
      // on receiving (Update, requestId, u) from client c do
      Update: (state, msg, from, ctx) => {
        if (!seenInMemory.has(msg.requestId)) {
          // Slide "Retrying state updates": the database tracks the requests it has seen, in stable
          // storage; the update and its dedup record are written before the Ack leaves.
          state.likeCount += msg.update.op === "like" ? 1 : -1;
          seenInMemory.add(msg.requestId);
          ctx.storage.set("likeCount", state.likeCount);
          ctx.label(`likeCount = ${state.likeCount}`);
          ctx.deliver({ applied: msg.update, requestId: msg.requestId } satisfies Applied);
        } else {
          ctx.label(`duplicate ${msg.requestId}`);
        }
        ctx.send(from, { type: "Ack", requestId: msg.requestId });
      },
      Ack: (_state, _msg, from, ctx) => ctx.log(`exactly-once server: ignored an Ack from ${from}`),
    },
    // on recovery from crash do: the count and the dedup table come back from stable storage
    recover: (ctx) => {
      return { likeCount: ctx.storage.get<number>("likeCount") ?? 0, seen: {} };
    },
  };
}
