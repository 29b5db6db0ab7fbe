/**
 * State machine replication (lecture 5, slides "State machine replication" and "Replication using
 * causal (and weaker) broadcast"):
 *
 *   on request to perform update u do
 *       send u via FIFO-total order broadcast
 *   end on
 *   on delivering u through FIFO-total order broadcast do
 *       update state using arbitrary deterministic logic!
 *   end on
 *
 * `stateMachineReplica(type)` is that layer; stack it on any broadcast of lecture 4
 * (src/protocols/broadcast/stacks.ts): on total order broadcast it is the slide's SMR, on causal,
 * reliable or best-effort broadcast it is the slide's table:
 *
 *   broadcast     assumptions about the state update function
 *   total order   deterministic (SMR)
 *   causal        deterministic, concurrent updates commute
 *   reliable      deterministic, all updates commute
 *   best-effort   deterministic, commutative, idempotent, tolerates message loss
 *
 * and the replicated data types below each fit one row: `appendLog` (deterministic only),
 * `observedRemoveSet` (concurrent updates commute), `counter` (all updates commute, not idempotent),
 * `addOnlySet` (commutative and idempotent, not tolerant of loss) and `stateSyncSet` (all four: every
 * message carries the sender's whole set, and replicas re-send it periodically).
 */
import type { Protocol } from "../../sim/protocol";
import type { BroadcastRequest } from "../broadcast/requests";

/** A replicated data type: its state, its deterministic update function, and what a replica shows. */
export interface ReplicatedType<S, U> {
  readonly name: string;
  /** The initial state (plain data). */
  init(): S;
  /** The update function: deterministic, changes `state` in place. */
  apply(state: S, update: U): void;
  /**
   * The update to broadcast for the application's request (default: the request's update as it is).
   * Runs at the requesting node; `unique` is an id no other request anywhere has (node and count).
   */
  prepare?(state: S, update: U, unique: string): U;
  /** If present, the update to re-broadcast periodically (anti-entropy), or undefined for none. */
  resend?(state: S): U | undefined;
  /** The state as a reader sees it (plain data): replicas agree when their views are equal. */
  view(state: S): unknown;
}

/** The application's request: "perform update u". */
export interface UpdateRequest<U = unknown> {
  readonly type: "update";
  readonly u: U;
}

/** What travels through the broadcast: the update, tagged so the layer above the broadcast receives it. */
export type SmrMessage = { readonly type: "Update"; readonly u: unknown };

export interface ReplicaState<S> {
  value: S;
  /** Requests this node has made (for unique ids). */
  requests: number;
}

export interface StateMachineOptions {
  /** Re-broadcast `type.resend(state)` this often, ms (only for types with `resend`). */
  readonly resendEveryMs?: number;
}

/** The slide's state machine replica, as a layer over a broadcast protocol. */
export function stateMachineReplica<S, U>(
  type: ReplicatedType<S, U>,
  options: StateMachineOptions = {},
): Protocol<ReplicaState<S>, SmrMessage, UpdateRequest<U>, BroadcastRequest> {
  const resendEveryMs = options.resendEveryMs;
  if (resendEveryMs !== undefined && !(resendEveryMs > 0)) throw new RangeError(`stateMachineReplica: resendEveryMs must be > 0, got ${resendEveryMs}`);
  if (resendEveryMs !== undefined && type.resend === undefined) throw new RangeError(`stateMachineReplica: ${type.name} has no resend(), so resendEveryMs means nothing`);
  const broadcastUpdate = (u: U): BroadcastRequest => ({ type: "broadcast", m: { type: "Update", u } satisfies SmrMessage });
  return {
    name: `smr-${type.name}`,
    init: () => ({ value: type.init(), requests: 0 }),
    // on request to perform update u do: send u via (FIFO-total order) broadcast
    request: (state, req, ctx) => {
      if (req === null || typeof req !== "object" || req.type !== "update" || !("u" in req)) {
        throw new TypeError(`stateMachineReplica ${ctx.nodeId}: a request must be { type: "update", u }, got ${JSON.stringify(req)}`);
      }
      const unique = `${ctx.nodeId}.${state.requests}`;
      state.requests += 1;
      ctx.lower(broadcastUpdate(type.prepare === undefined ? req.u : type.prepare(state.value, req.u, unique)));
    },
    receive: {
      // on delivering u through broadcast do: update state using deterministic logic
      Update: (state, msg, _from, ctx) => {
        type.apply(state.value, msg.u as U);
        ctx.annotate({ view: type.view(state.value) });
        ctx.deliver({ u: msg.u, view: type.view(state.value) });
      },
    },
    ...(resendEveryMs === undefined
      ? {}
      : {
          periodically: {
            resend: {
              everyMs: resendEveryMs,
              run: (state, ctx) => {
                const u = type.resend!(state.value);
                if (u !== undefined) ctx.lower(broadcastUpdate(u));
              },
            },
          },
        }),
  };
}

/** A short text for a view, for diagram labels. */
export function describeView(view: unknown): string {
  if (Array.isArray(view)) return `[${view.map(String).join(", ")}]`;
  if (typeof view === "object" && view !== null) return JSON.stringify(view);
  return String(view);
}

// ---- Replicated data types for the table's rows ---------------------------------------------------

/** Deterministic but not commutative: append to a list. Needs total order. */
export function appendLog(): ReplicatedType<string[], { append: string }> {
  return {
    name: "append-log",
    init: () => [],
    apply: (log, u) => {
      if (typeof u?.append !== "string") throw new TypeError(`append-log: an update must be { append: string }, got ${JSON.stringify(u)}`);
      log.push(u.append);
    },
    view: (log) => log.slice(),
  };
}

export type OrSetUpdate = { add: string; tag?: string } | { remove: string; tags?: string[] };

/**
 * Observed-remove set: an add gets a unique tag; a remove removes the tags its node has seen for
 * that element. Concurrent add and remove touch different tags, so concurrent updates commute; a
 * remove does not commute with the add it observed, so it needs causal order.
 */
export function observedRemoveSet(): ReplicatedType<{ tags: Record<string, string> }, OrSetUpdate> {
  return {
    name: "or-set",
    init: () => ({ tags: {} }),
    prepare: (state, u, unique) => {
      if ("add" in u) return { add: u.add, tag: unique };
      if ("remove" in u) return { remove: u.remove, tags: Object.keys(state.tags).filter((t) => state.tags[t] === u.remove).sort() };
      throw new TypeError(`or-set: an update must be { add: x } or { remove: x }, got ${JSON.stringify(u)}`);
    },
    apply: (state, u) => {
      if ("add" in u && typeof u.tag === "string") state.tags[u.tag] = u.add;
      else if ("remove" in u && Array.isArray(u.tags)) for (const tag of u.tags) delete state.tags[tag];
      else throw new TypeError(`or-set: a broadcast update must carry its tag(s), got ${JSON.stringify(u)}`);
    },
    view: (state) => [...new Set(Object.values(state.tags))].sort(),
  };
}

/** All updates commute (addition), but it is not idempotent: a duplicate counts twice. */
export function counter(): ReplicatedType<{ count: number }, { add: number }> {
  return {
    name: "counter",
    init: () => ({ count: 0 }),
    apply: (state, u) => {
      if (typeof u?.add !== "number" || !Number.isFinite(u.add)) throw new TypeError(`counter: an update must be { add: number }, got ${JSON.stringify(u)}`);
      state.count += u.add;
    },
    view: (state) => state.count,
  };
}

/** Commutative and idempotent (set union of one element), but a lost message is never repaired. */
export function addOnlySet(): ReplicatedType<{ elements: string[] }, { add: string[] }> {
  return {
    name: "add-only-set",
    init: () => ({ elements: [] }),
    apply: (state, u) => {
      if (!Array.isArray(u?.add)) throw new TypeError(`add-only-set: an update must be { add: string[] }, got ${JSON.stringify(u)}`);
      state.elements = [...new Set([...state.elements, ...u.add])].sort();
    },
    view: (state) => state.elements.slice(),
  };
}

/**
 * The same set, made tolerant of message loss: each update carries the sender's whole set (union
 * is commutative and idempotent), and replicas re-broadcast their set periodically
 * (`stateMachineReplica(stateSyncSet(), { resendEveryMs })`), so a lost message is made up by a later one.
 */
export function stateSyncSet(): ReplicatedType<{ elements: string[] }, { add: string[] }> {
  const base = addOnlySet();
  return {
    ...base,
    name: "state-sync-set",
    prepare: (state, u) => ({ add: [...new Set([...state.elements, ...u.add])].sort() }),
    resend: (state) => (state.elements.length === 0 ? undefined : { add: state.elements.slice() }),
  };
}
