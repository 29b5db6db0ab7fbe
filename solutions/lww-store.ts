/**
 * Reference solution of Exercise 5.2 (the contract is in exercises/lww-store.ts): a replicated
 * key-value store of last-writer-wins registers with Lamport timestamps, tombstones and anti-entropy
 * (lecture 5, slides "Timestamps and tombstones", "Reconciling replicas", "Concurrent writes by
 * different clients").
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

export interface LwwStoreState {
  /** Lamport clock: the largest counter this replica has made or seen. */
  clock: number;
  records: Record<string, LwwRecord>;
}

export const LWW_DEFAULTS = { antiEntropyMs: 50 } as const;

/** Counter first, then node id (the stub hands this helper over as it is). */
export function compareLww(a: LwwTimestamp, b: LwwTimestamp): number {
  const [countA, nodeA] = a;
  const [countB, nodeB] = b;
  return countA - countB || (nodeA === nodeB ? 0 : nodeA < nodeB ? -1 : 1);
}

export function lwwStore(options: LwwStoreOptions = {}): Protocol<LwwStoreState, LwwMessage, LwwRequest> {
  const antiEntropyMs = options.antiEntropyMs ?? LWW_DEFAULTS.antiEntropyMs;
  if (!(Number.isFinite(antiEntropyMs) && antiEntropyMs > 0)) throw new RangeError(`lwwStore: antiEntropyMs must be a number > 0, got ${String(antiEntropyMs)}`);

  /** A local write: the next Lamport timestamp, the record stored (memory and disk). */
  function write(state: LwwStoreState, key: string, record: (t: LwwTimestamp) => LwwRecord, ctx: { nodeId: NodeId; storage: { set(k: string, v: unknown): void } }): LwwTimestamp {
    state.clock += 1;
    const t: LwwTimestamp = [state.clock, ctx.nodeId];
    state.records[key] = record(t);
    ctx.storage.set("clock", state.clock);
    ctx.storage.set(`record/${key}`, state.records[key]);
    return t;
  }

  return {
    name: "lww-store",
    init: () => ({ clock: 0, records: {} }),
    request: (state, req, ctx) => {
      if (req === null || typeof req !== "object" || typeof req.key !== "string") {
        throw new TypeError(`lwwStore ${ctx.nodeId}: expected { type: "put" | "delete" | "get", key: string, ... }, got ${JSON.stringify(req)}`);
      }
      switch (req.type) {
        case "put": {
          const t = write(state, req.key, (t) => ({ t, deleted: false, value: req.value }), ctx);
          ctx.label(`put ${req.key}=${JSON.stringify(req.value)} @${t[0]}`);
          ctx.deliver({ op: "put", key: req.key, value: req.value, t } satisfies LwwOutput);
          return;
        }
        case "delete": {
          // Slide "Timestamps and tombstones": remove(x) labels x as deleted, with a timestamp.
          const t = write(state, req.key, (t) => ({ t, deleted: true }), ctx);
          ctx.label(`delete ${req.key} @${t[0]}`);
          ctx.deliver({ op: "delete", key: req.key, t } satisfies LwwOutput);
          return;
        }
        case "get": {
          const record = state.records[req.key];
          const out: LwwOutput = record === undefined
            ? { op: "get", key: req.key, found: false, t: null }
            : record.deleted
              ? { op: "get", key: req.key, found: false, t: record.t }
              : { op: "get", key: req.key, found: true, value: (record as { value: unknown }).value, t: record.t };
          ctx.deliver(out);
          return;
        }
        default:
          throw new TypeError(`lwwStore ${ctx.nodeId}: unknown request type ${JSON.stringify((req as { type?: unknown }).type)}`);
      }
    },
    receive: {
      // Slide "Reconciling replicas": keep, per key, the record with the latest timestamp.
      Sync: (state, msg, _from, ctx) => {
        for (const [key, incoming] of Object.entries(msg.records)) {
          state.clock = Math.max(state.clock, incoming.t[0]);
          const mine = state.records[key];
          if (mine === undefined || compareLww(incoming.t, mine.t) > 0) {
            state.records[key] = incoming;
            ctx.storage.set(`record/${key}`, incoming);
          }
        }
        ctx.storage.set("clock", state.clock);
      },
    },
    periodically: {
      // "Replicas periodically communicate among themselves": send every record, tombstones included.
      antiEntropy: {
        everyMs: antiEntropyMs,
        run: (state, ctx) => {
          for (const other of ctx.nodes) if (other !== ctx.nodeId) ctx.send(other, { type: "Sync", records: state.records });
        },
      },
    },
    // on recovery from crash do: the clock and the records come back from stable storage
    recover: (ctx) => {
      const records: Record<string, LwwRecord> = {};
      for (const name of ctx.storage.keys()) if (name.startsWith("record/")) records[name.slice("record/".length)] = ctx.storage.get<LwwRecord>(name)!;
      return { clock: ctx.storage.get<number>("clock") ?? 0, records };
    },
  };
}
