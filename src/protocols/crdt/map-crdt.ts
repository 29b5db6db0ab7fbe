/**
 * Map CRDTs (lecture 8, slides "Operation-based map CRDT" and "State-based map CRDT"): a map from
 * keys to values where the write with the greatest timestamp wins, whatever order replicas hear of
 * the writes in. Timestamps are Lamport timestamps with the node's name, so they are globally unique.
 *
 * Both are layers over a broadcast (src/protocols/broadcast/stacks.ts): the operation-based one
 * over reliable broadcast (each set travels once), the state-based one over best-effort broadcast
 * (each set sends the whole map; merging tolerates loss and duplication).
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { BroadcastRequest } from "../broadcast/requests";

/** A Lamport timestamp (L) made unique by its node (N). */
export interface Timestamp {
  readonly L: number;
  readonly N: NodeId;
}

/** t1 < t2: by counter, then by node name. */
export function timestampLess(t1: Timestamp, t2: Timestamp): boolean {
  return t1.L < t2.L || (t1.L === t2.L && t1.N < t2.N);
}

/** One triple (t, k, v) of the slides' set `values`. */
export interface MapEntry {
  readonly t: Timestamp;
  readonly k: string;
  readonly v: unknown;
}

/** The application's requests: set key k to v; read key k (answered by delivering `{ read: k, value }`). */
export type MapRequest = { readonly type: "set"; readonly k: string; readonly v: unknown } | { readonly type: "read"; readonly k: string };

/** What a read delivers to the application. */
export interface MapRead {
  readonly read: string;
  readonly value: unknown;
}

export interface MapState {
  values: MapEntry[];
  /** The Lamport counter behind newTimestamp(): above every timestamp this replica has seen. */
  clock: number;
}

/** "if ∃ t, v. (t, k, v) ∈ values then return v else return null". */
export function readKey(values: readonly MapEntry[], k: string): unknown {
  const entry = values.find((e) => e.k === k);
  return entry === undefined ? null : entry.v;
}

/** The map as a plain object, for display and for comparing replicas. */
export function mapView(values: readonly MapEntry[]): { [k: string]: unknown } {
  const view: { [k: string]: unknown } = {};
  for (const e of [...values].sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))) view[e.k] = e.v;
  return view;
}

function newTimestamp(state: MapState, nodeId: NodeId): Timestamp {
  state.clock += 1;
  return { L: state.clock, N: nodeId };
}

function requireKey(k: unknown): void {
  if (typeof k !== "string") throw new TypeError(`a map key must be a string, got ${JSON.stringify(k)}`);
}

export type SetMsg = { readonly type: "Set"; readonly t: Timestamp; readonly k: string; readonly v: unknown };

/** Slide "Operation-based map CRDT": stack it on reliable broadcast (which delivers to the sender too). */
export function opBasedMap(): Protocol<MapState, SetMsg, MapRequest, BroadcastRequest> {
  return {
    name: "op-based-map",
    init: () => ({ values: [], clock: 0 }),
    request: (state, req, ctx) => {
      requireKey(req.k);
      if (req.type === "read") {
        ctx.deliver({ read: req.k, value: readKey(state.values, req.k) } satisfies MapRead);
        return;
      }
      // on request to set key k to value v: t := newTimestamp(); broadcast (set, t, k, v) by reliable broadcast
      const t = newTimestamp(state, ctx.nodeId);
      ctx.lower({ type: "broadcast", m: { type: "Set", t, k: req.k, v: req.v } satisfies SetMsg });
    },
    receive: {
      // on delivering (set, t, k, v) by reliable broadcast
      Set: (state, { t, k, v }) => {
        state.clock = Math.max(state.clock, t.L);
        const previous = state.values.filter((e) => e.k === k);
        if (previous.length === 0 || previous.every((e) => timestampLess(e.t, t))) {
          state.values = state.values.filter((e) => e.k !== k).concat([{ t, k, v }]);
        }
      },
    },
  };
}

/**
 * The slide's merge s1 ⊔ s2: every triple of s1 ∪ s2 for which no triple with the same key has a
 * greater timestamp. Commutative, associative and idempotent (the test checks the three laws).
 */
export function mergeMaps(s1: readonly MapEntry[], s2: readonly MapEntry[]): MapEntry[] {
  const union = [...s1, ...s2];
  const merged: MapEntry[] = [];
  for (const e of union) {
    const beaten = union.some((other) => other.k === e.k && timestampLess(e.t, other.t));
    const already = merged.some((m) => m.k === e.k && m.t.L === e.t.L && m.t.N === e.t.N);
    if (!beaten && !already) merged.push(e);
  }
  return merged.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}

export type StateMsg = { readonly type: "MapState"; readonly values: readonly MapEntry[] };

/**
 * Slide "State-based map CRDT": stack it on best-effort broadcast. `resendEveryMs` adds what the
 * slide leaves to the reader: re-broadcasting the state periodically, so a lost message is made up for.
 */
export function stateBasedMap(options: { readonly resendEveryMs?: number } = {}): Protocol<MapState, StateMsg, MapRequest, BroadcastRequest> {
  const { resendEveryMs } = options;
  if (resendEveryMs !== undefined && !(resendEveryMs > 0)) throw new RangeError(`stateBasedMap: resendEveryMs must be > 0, got ${resendEveryMs}`);
  return {
    name: "state-based-map",
    init: () => ({ values: [], clock: 0 }),
    request: (state, req, ctx) => {
      requireKey(req.k);
      if (req.type === "read") {
        ctx.deliver({ read: req.k, value: readKey(state.values, req.k) } satisfies MapRead);
        return;
      }
      // t := newTimestamp(); values := {(t', k', v') ∈ values | k' ≠ k} ∪ {(t, k, v)}; broadcast values
      const t = newTimestamp(state, ctx.nodeId);
      state.values = state.values.filter((e) => e.k !== req.k).concat([{ t, k: req.k, v: req.v }]);
      ctx.lower({ type: "broadcast", m: { type: "MapState", values: state.values } satisfies StateMsg });
    },
    receive: {
      // on delivering V by best-effort broadcast: values := values ⊔ V
      MapState: (state, { values }) => {
        state.values = mergeMaps(state.values, values);
        for (const e of values) state.clock = Math.max(state.clock, e.t.L);
      },
    },
    periodically: resendEveryMs === undefined ? {} : {
      // periodically do: broadcast values (anti-entropy: makes up for lost messages)
      resend: {
        everyMs: resendEveryMs,
        run: (state, ctx) => {
          if (state.values.length > 0) ctx.lower({ type: "broadcast", m: { type: "MapState", values: state.values } satisfies StateMsg });
        },
      },
    },
  };
}
