/**
 * What the map CRDTs of lecture 8 share (slides "Operation-based map CRDT" and "State-based map
 * CRDT"): a map from keys to values where the write with the greatest timestamp wins, whatever
 * order replicas hear of the writes in; timestamps are Lamport timestamps with the node's name, so
 * they are globally unique. The two algorithms are Exercises 8.1 and 8.2: their code lives in
 * solutions/op-map-crdt.ts and solutions/state-map-crdt.ts, re-exported by op-map-crdt.ts and
 * state-map-crdt.ts here (in the handout, the student's exercises are re-exported instead).
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

/** "t := newTimestamp()": the next Lamport counter, with this node's name. */
export function newTimestamp(state: MapState, nodeId: NodeId): Timestamp {
  state.clock += 1;
  return { L: state.clock, N: nodeId };
}

/** Requests name keys by strings; anything else is refused with the value shown. */
export function requireKey(k: unknown): void {
  if (typeof k !== "string") throw new TypeError(`a map key must be a string, got ${JSON.stringify(k)}`);
}

/** The operation-based map's message: (set, t, k, v). */
export type SetMsg = { readonly type: "Set"; readonly t: Timestamp; readonly k: string; readonly v: unknown };

/** The state-based map's message: the whole set `values`. */
export type StateMsg = { readonly type: "MapState"; readonly values: readonly MapEntry[] };
