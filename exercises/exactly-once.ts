/**
 * Exercise 5.1: exactly-once updates = retry + deduplication (lecture 5, slides "Retrying state
 * updates" and "Idempotence").
 *
 * The server is a likes counter, f(likeCount) = likeCount + 1: not idempotent, so applying a
 * retried request twice counts a like twice. Write both ends:
 *
 *   exactlyOnceClient(options)   (at the client nodes)
 *     on request { type: "update", to: server, update } do
 *       requestId := "<this node>.<k>" for the k-th request (k = 0, 1, ...; keep the next k in
 *                    ctx.storage so an id is never used twice, even after a crash)
 *       send (Update, requestId, update) to server; start a timer of timeoutMs
 *     on timeout of requestId, if not yet acknowledged, do
 *       send the same (Update, requestId, update) again (same id!) and wait twice as long as the
 *       last time, at most maxTimeoutMs (exponential backoff: 50, 100, 200, 400, 800, 800, ... ms
 *       with the defaults); keep retrying until acknowledged
 *     on receiving (Ack, requestId) do
 *       if requestId is still pending: ctx.deliver({ acknowledged: requestId }) (once per request)
 *
 *   exactlyOnceServer()          (at the server node)
 *     on receiving (Update, requestId, update) from client c do
 *       if requestId is not in the dedup table then
 *         likeCount := likeCount + 1 (op "like") or - 1 (op "unlike")
 *         add requestId to the dedup table
 *         ctx.deliver({ applied: update, requestId })          // the tests count these
 *       send (Ack, requestId) to c                             // also for a duplicate
 *     on recovery from crash do: rebuild the state from ctx.storage
 *
 * "Deduplicating requests requires that the database tracks which requests it has already seen (in
 * stable storage)": the server crashes and recovers in some runs, losing its memory, and a retry
 * may arrive after the recovery. Write the dedup table (and the count) to ctx.storage before the
 * Ack leaves (storage writes take effect at once, before the handler's messages).
 *
 * Messages are the kit's LikesMessage (src/protocols/replication/likes.ts):
 *   { type: "Update", requestId, update: { op: "like" | "unlike", userId } } and { type: "Ack", requestId }.
 *
 * What the tests observe (the trace of each run, written by the grader; each node runs in a
 * process of its own, so nodes share no memory and a crash really loses it): one or two clients
 * send updates to one server over a network that loses up to 30% and duplicates up to 30% of
 * messages, the server crashes and recovers (20-250 ms outages), and they check:
 *   - every request the client was asked for is applied exactly once by the end of the run (never
 *     twice, however often it was retried or duplicated; never lost), and only requests a client
 *     sent are applied;
 *   - request ids are "<client>.<k>", distinct per request (two likes of the same user are two
 *     requests);
 *   - the client delivers { acknowledged: id } once per request, only after the server applied it;
 *   - the retries of a request are spaced by the backoff: the k-th retry comes
 *     min(timeoutMs * 2^(k-1), maxTimeoutMs) after the previous send (the tests pass the options).
 *
 * Check it in the notebook:
 *   import { checkExercise } from "./src/grading/notebook";
 *   import * as myExactlyOnce from "./exercises/exactly-once";
 *   const exactlyOnceResults = await checkExercise("5.1", myExactlyOnce);
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { Applied, LikeUpdate, LikesMessage } from "../src/protocols/replication/likes";

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

/** The client's state (a suggestion: change the members as you like, keep the name). */
export interface ExactlyOnceClientState {
  /** Number of the next request id; in stable storage, so an id is never used twice. */
  nextRequest: number;
  /** Requests not yet acknowledged: requestId -> what to send, where, and the current wait. */
  pending: Record<string, { to: NodeId; update: LikeUpdate; attempts: number; waitMs: number }>;
}

/** The server's state (a suggestion). */
export interface ExactlyOnceServerState {
  /** The replica's value: f(likeCount) = likeCount + 1 (like), - 1 (unlike); not idempotent. */
  likeCount: number;
  /** The dedup table: the request ids already applied (keep it in ctx.storage too). */
  seen: Record<string, true>;
}

export const EXACTLY_ONCE_DEFAULTS = { timeoutMs: 50, maxTimeoutMs: 800 } as const;

export function exactlyOnceClient(options: ExactlyOnceClientOptions = {}): Protocol<ExactlyOnceClientState, LikesMessage, ExactlyOnceRequest> {
  const timeoutMs = options.timeoutMs ?? EXACTLY_ONCE_DEFAULTS.timeoutMs;
  const maxTimeoutMs = options.maxTimeoutMs ?? EXACTLY_ONCE_DEFAULTS.maxTimeoutMs;
  return {
    name: "exactly-once-client",
    init: () => ({ nextRequest: 0, pending: {} }),
    request: (state, req, ctx) => {
      throw new Error("Exercise 5.1 not implemented yet: exactlyOnceClient, on request");
    },
    receive: {
      Ack: (state, msg, from, ctx) => {
        throw new Error("Exercise 5.1 not implemented yet: exactlyOnceClient, on receiving Ack");
      },
      // A client never receives Updates; ignore any.
      Update: () => {},
    },
    timers: {
      retry: (state, data, ctx) => {
        throw new Error(`Exercise 5.1 not implemented yet: exactlyOnceClient, on timeout (timeoutMs ${timeoutMs}, maxTimeoutMs ${maxTimeoutMs})`);
      },
    },
  };
}

export function exactlyOnceServer(): Protocol<ExactlyOnceServerState, LikesMessage> {
  return {
    name: "exactly-once-server",
    init: () => ({ likeCount: 0, seen: {} }),
    receive: {
      Update: (state, msg, from, ctx) => {
        throw new Error("Exercise 5.1 not implemented yet: exactlyOnceServer, on receiving Update");
      },
      // A server never receives Acks; ignore any.
      Ack: () => {},
    },
    recover: (ctx) => {
      throw new Error("Exercise 5.1 not implemented yet: exactlyOnceServer, on recovery from crash");
    },
  };
}
