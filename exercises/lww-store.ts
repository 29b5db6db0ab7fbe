/**
 * Exercise 5.2: a replicated key-value store of last-writer-wins (LWW) registers (lecture 5, slides
 * "Adding and then removing again", "Timestamps and tombstones", "Reconciling replicas" and
 * "Concurrent writes by different clients").
 *
 * Every node is a replica; the application's requests go to any replica:
 *   { type: "put", key, value }, { type: "delete", key }, { type: "get", key }.
 * Each record has the logical timestamp of its last write; a delete does not remove the key, it
 * keeps a **tombstone** (a record marked deleted, with the delete's timestamp). Timestamps are
 * Lamport timestamps [counter, nodeId], compared counter first, then node id (compareLww).
 *
 *   on request (put, key, value) or (delete, key) at replica N do
 *     clock := clock + 1; t := [clock, N]
 *     records[key] := (t, value) or (t, tombstone)
 *     ctx.deliver({ op: "put", key, value, t }) or ctx.deliver({ op: "delete", key, t })
 *   on request (get, key) do
 *     ctx.deliver({ op: "get", key, found: true, value, t })     if records[key] holds a value
 *     ctx.deliver({ op: "get", key, found: false, t })           t of the tombstone, or null if never written
 *   periodically (every antiEntropyMs) do                       // anti-entropy
 *     send (Sync, records) to every other replica               // all records, tombstones too
 *   on receiving (Sync, records) do
 *     for each (key, (t', ...)) in records:
 *       clock := max(clock, t'.counter)
 *       if key is not in my records or t' > my t for key then take the received record
 *   on recovery from crash do: rebuild from ctx.storage
 *
 * "Propagate the record with the latest timestamp, discard the records with earlier timestamps
 * (for a given key)". Keep the clock and the records in ctx.storage (replicas crash and recover in
 * some runs). The only message is { type: "Sync", records } (LwwMessage); answer a get from the
 * local records only (no messages).
 *
 * What the tests observe (the trace, written by the grader; every replica runs in a process of its
 * own): 2-4 replicas, puts, deletes and gets at random replicas and times over a network that loses,
 * duplicates and reorders messages, with partitions that heal and crash-recoveries; at the end, after
 * every fault has healed, a get of every key at every replica. They check:
 *   - timestamps: a write at N has t = [c, N], larger than every timestamp N delivered or received
 *     before it (Lamport: a write that has seen another write wins over it);
 *   - a get returns the value of a put of that key (or found: false), with that put's timestamp;
 *   - convergence: the final gets agree at every replica, and return the write (put or delete) with
 *     the largest timestamp: a deleted key stays deleted ("deleted key x reappeared at C" is a
 *     failure), and the newest write is never lost;
 *   - read-your-writes at one replica: a get at N after a write at N returns it or a newer one.
 *
 * Check it in the notebook:
 *   import { checkExercise } from "./src/grading/notebook";
 *   import * as myLww from "./exercises/lww-store";
 *   const lwwResults = await checkExercise("5.2", myLww);
 */
import type { NodeId, Protocol } from "../src/sim/protocol";

/** A Lamport timestamp (counter, node id): ordered by counter, then node id. */
export type LwwTimestamp = readonly [number, NodeId];

/** A record: the value of the key's last write and its timestamp; a delete leaves a tombstone. */
export type LwwRecord =
  | { readonly t: LwwTimestamp; readonly deleted: false; readonly value: unknown }
  | { readonly t: LwwTimestamp; readonly deleted: true };

export type LwwRequest =
  | { readonly type: "put"; readonly key: string; readonly value: unknown }
  | { readonly type: "delete"; readonly key: string }
  | { readonly type: "get"; readonly key: string };

export type LwwMessage = { readonly type: "Sync"; readonly records: Readonly<Record<string, LwwRecord>> };

/** What a replica delivers to its application: one per request. */
export type LwwOutput =
  | { readonly op: "put"; readonly key: string; readonly value: unknown; readonly t: LwwTimestamp }
  | { readonly op: "delete"; readonly key: string; readonly t: LwwTimestamp }
  | { readonly op: "get"; readonly key: string; readonly found: true; readonly value: unknown; readonly t: LwwTimestamp }
  | { readonly op: "get"; readonly key: string; readonly found: false; readonly t: LwwTimestamp | null };

export interface LwwStoreOptions {
  /** Period of anti-entropy (ms, node's monotonic clock). Default 50. */
  readonly antiEntropyMs?: number;
}

/** The replica's state (a suggestion: change the members as you like, keep the name). */
export interface LwwStoreState {
  /** Lamport clock: the largest counter this replica has made or seen. */
  clock: number;
  records: Record<string, LwwRecord>;
}

export const LWW_DEFAULTS = { antiEntropyMs: 50 } as const;

/** Counter first, then node id (given: not part of the exercise). */
export function compareLww(a: LwwTimestamp, b: LwwTimestamp): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

export function lwwStore(options: LwwStoreOptions = {}): Protocol<LwwStoreState, LwwMessage, LwwRequest> {
  const antiEntropyMs = options.antiEntropyMs ?? LWW_DEFAULTS.antiEntropyMs;
  return {
    name: "lww-store",
    init: () => ({ clock: 0, records: {} }),
    request: (state, req, ctx) => {
      throw new Error("Exercise 5.2 not implemented yet: lwwStore, on request (put, delete, get)");
    },
    receive: {
      Sync: (state, msg, from, ctx) => {
        throw new Error("Exercise 5.2 not implemented yet: lwwStore, on receiving Sync");
      },
    },
    periodically: {
      antiEntropy: {
        everyMs: antiEntropyMs,
        run: (state, ctx) => {
          throw new Error("Exercise 5.2 not implemented yet: lwwStore, periodically (anti-entropy)");
        },
      },
    },
    recover: (ctx) => {
      throw new Error("Exercise 5.2 not implemented yet: lwwStore, on recovery from crash");
    },
  };
}
