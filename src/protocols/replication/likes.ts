/**
 * Retrying state updates (lecture 5, slides "Retrying state updates" and "Idempotence"): a post's
 * likes, kept by a database replica, updated by a client over a network that loses messages.
 *
 *   likesCounter()  f(likeCount) = likeCount + 1     not idempotent: a repeated like counts twice
 *   likesSet()      f(likeSet) = likeSet ∪ {userID}   idempotent: a repeated like changes nothing
 *
 * and the client's retry behaviour, the slide's three choices:
 *
 *   retryingClient({ policy: "at-most-once" })   send the request, don't retry: the update may not happen
 *   retryingClient({ policy: "at-least-once" })  retry until acknowledged: the update may be repeated
 *   exactly-once = retry + idempotence (at-least-once against likesSet) or + deduplication by
 *                  request id (Exercise 5.1, ./exactly-once.ts)
 *
 * A replica delivers `{ applied: update, requestId }` to its application each time it applies an
 * update, so the trace counts applications; it labels the event with its state after the update.
 * The same replicas serve lecture 5's "Adding and then removing again": `unlike` is
 * g(likes) = likes \ {userID} (and likeCount − 1 for the counter).
 */
import type { NodeId, Protocol } from "../../sim/protocol";

export interface LikeUpdate {
  readonly op: "like" | "unlike";
  readonly userId: string;
}

export type LikesMessage =
  | { readonly type: "Update"; readonly requestId: string; readonly update: LikeUpdate }
  | { readonly type: "Ack"; readonly requestId: string };

/** What a replica delivers to its application each time it applies an update. */
export interface Applied {
  readonly applied: LikeUpdate;
  readonly requestId: string;
}

function checkUpdate(update: LikeUpdate, node: NodeId): void {
  if (update === null || typeof update !== "object" || (update.op !== "like" && update.op !== "unlike") || typeof update.userId !== "string") {
    throw new TypeError(`likes replica ${node}: an update must be { op: "like" | "unlike", userId: string }, got ${JSON.stringify(update)}`);
  }
}

export interface LikesCounterState {
  likeCount: number;
}

/** The not-idempotent replica: f(likeCount) = likeCount + 1 on every like it receives. */
export function likesCounter(): Protocol<LikesCounterState, LikesMessage> {
  return {
    name: "likes-counter",
    init: () => ({ likeCount: 0 }),
    receive: {
      // on receiving (Update, requestId, like) do: likeCount := likeCount + 1; reply Ack
      Update: (state, msg, from, ctx) => {
        checkUpdate(msg.update, ctx.nodeId);
        state.likeCount += msg.update.op === "like" ? 1 : -1;
        ctx.storage.set("likeCount", state.likeCount);
        ctx.label(`likeCount = ${state.likeCount}`);
        ctx.deliver({ applied: msg.update, requestId: msg.requestId } satisfies Applied);
        ctx.send(from, { type: "Ack", requestId: msg.requestId });
      },
      Ack: (_state, _msg, from, ctx) => ctx.log(`likes counter: ignored an Ack from ${from}`),
    },
    recover: (ctx) => ({ likeCount: ctx.storage.get<number>("likeCount") ?? 0 }),
  };
}

export interface LikesSetState {
  likeSet: Set<string>;
}

/** The idempotent replica: f(likeSet) = likeSet ∪ {userID}; g(likeSet) = likeSet \ {userID}. */
export function likesSet(): Protocol<LikesSetState, LikesMessage> {
  return {
    name: "likes-set",
    init: () => ({ likeSet: new Set() }),
    receive: {
      Update: (state, msg, from, ctx) => {
        checkUpdate(msg.update, ctx.nodeId);
        if (msg.update.op === "like") state.likeSet.add(msg.update.userId);
        else state.likeSet.delete(msg.update.userId);
        ctx.storage.set("likeSet", [...state.likeSet]);
        ctx.label(`{${[...state.likeSet].sort().join(", ")}}`);
        ctx.deliver({ applied: msg.update, requestId: msg.requestId } satisfies Applied);
        ctx.send(from, { type: "Ack", requestId: msg.requestId });
      },
      Ack: (_state, _msg, from, ctx) => ctx.log(`likes set: ignored an Ack from ${from}`),
    },
    recover: (ctx) => ({ likeSet: new Set(ctx.storage.get<string[]>("likeSet") ?? []) }),
  };
}

/** The application's request to the client: send `update` to one replica or to several. */
export interface LikesRequest {
  readonly type: "update";
  readonly to: NodeId | readonly NodeId[];
  readonly update: LikeUpdate;
}

export type RetryPolicy = "at-most-once" | "at-least-once";

export interface RetryingClientOptions {
  readonly policy: RetryPolicy;
  /** Wait this long for an Ack before resending (at-least-once), ms on the node's monotonic clock. Default 100. */
  readonly timeoutMs?: number;
  /** Give up after this many attempts per replica (a bound, not a policy; default 50). */
  readonly maxAttempts?: number;
}

export interface RetryingClientState {
  nextRequest: number;
  /** requestId -> the update and the replicas that have not acknowledged it yet, with attempts so far. */
  pending: Record<string, { update: LikeUpdate; waiting: NodeId[]; attempts: number }>;
}

/**
 * The client: each update gets a fresh request id `<node>.<k>` (kept in stable storage, so a
 * restarted client never reuses one). It delivers `{ acknowledged: requestId }` once every replica
 * named has acknowledged, or `{ gaveUp: requestId }` when it stops trying.
 */
export function retryingClient(options: RetryingClientOptions): Protocol<RetryingClientState, LikesMessage, LikesRequest> {
  const { policy } = options;
  const timeoutMs = options.timeoutMs ?? 100;
  const maxAttempts = options.maxAttempts ?? 50;
  if (policy !== "at-most-once" && policy !== "at-least-once") throw new RangeError(`retryingClient: policy must be "at-most-once" or "at-least-once", got ${String(policy)}`);
  if (!(timeoutMs > 0)) throw new RangeError(`retryingClient: timeoutMs must be > 0, got ${timeoutMs}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`retryingClient: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  const attemptsAllowed = policy === "at-most-once" ? 1 : maxAttempts;
  return {
    name: `client-${policy}`,
    init: () => ({ nextRequest: 0, pending: {} }),
    // on request to perform update u do: send it to each replica (and start a timer, to retry)
    request: (state, req, ctx) => {
      const replicas = typeof req.to === "string" ? [req.to] : [...req.to];
      if (replicas.length === 0 || replicas.some((r) => !ctx.nodes.includes(r))) throw new RangeError(`retryingClient ${ctx.nodeId}: 'to' must name nodes of the run, got ${JSON.stringify(req.to)}`);
      checkUpdate(req.update, ctx.nodeId);
      const requestId = `${ctx.nodeId}.${state.nextRequest}`;
      state.nextRequest += 1;
      ctx.storage.set("nextRequest", state.nextRequest);
      state.pending[requestId] = { update: req.update, waiting: replicas, attempts: 1 };
      for (const replica of replicas) ctx.send(replica, { type: "Update", requestId, update: req.update });
      ctx.startTimer("timeout", timeoutMs, { requestId });
    },
    receive: {
      Ack: (state, msg, from, ctx) => {
        const pending = state.pending[msg.requestId];
        if (pending === undefined) return; // a duplicate, or an Ack after giving up
        pending.waiting = pending.waiting.filter((r) => r !== from);
        if (pending.waiting.length === 0) {
          delete state.pending[msg.requestId];
          ctx.deliver({ acknowledged: msg.requestId });
        }
      },
      Update: (_state, _msg, from, ctx) => ctx.log(`client: ignored an Update from ${from}`),
    },
    timers: {
      // on timeout: at-most-once gives up; at-least-once resends to the replicas still silent
      timeout: (state, data, ctx) => {
        const { requestId } = data as { requestId: string };
        const pending = state.pending[requestId];
        if (pending === undefined) return;
        if (pending.attempts >= attemptsAllowed) {
          delete state.pending[requestId];
          ctx.deliver({ gaveUp: requestId });
          return;
        }
        pending.attempts += 1;
        ctx.label(`retry ${requestId}`);
        for (const replica of pending.waiting) ctx.send(replica, { type: "Update", requestId, update: pending.update });
        ctx.startTimer("timeout", timeoutMs, { requestId });
      },
    },
    // Updates in flight are forgotten after a crash; request ids stay unique.
    recover: (ctx) => ({ nextRequest: ctx.storage.get<number>("nextRequest") ?? 0, pending: {} }),
  };
}
