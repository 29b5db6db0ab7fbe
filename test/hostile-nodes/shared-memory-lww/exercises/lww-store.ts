// Hostile: every replica reads and writes one module-level table, and sends nothing. In one shared
// process every get sees every put at once, as if replication were instant. Expect: each replica in
// a process of its own has a table of its own; nothing reaches the other replicas, which never
// converge, and gets return writes that had not reached them only in a shared process. 0 points.
import type { NodeId, Protocol } from "../../../../src/sim/protocol";

export type LwwTimestamp = readonly [number, NodeId];
export type LwwRecord =
  | { readonly t: LwwTimestamp; readonly deleted: false; readonly value: unknown }
  | { readonly t: LwwTimestamp; readonly deleted: true };
export type LwwRequest =
  | { readonly type: "put"; readonly key: string; readonly value: unknown }
  | { readonly type: "delete"; readonly key: string }
  | { readonly type: "get"; readonly key: string };
export type LwwMessage = { readonly type: "Sync"; readonly records: Readonly<Record<string, LwwRecord>> };
export type LwwOutput =
  | { readonly op: "put"; readonly key: string; readonly value: unknown; readonly t: LwwTimestamp }
  | { readonly op: "delete"; readonly key: string; readonly t: LwwTimestamp }
  | { readonly op: "get"; readonly key: string; readonly found: true; readonly value: unknown; readonly t: LwwTimestamp }
  | { readonly op: "get"; readonly key: string; readonly found: false; readonly t: LwwTimestamp | null };
export interface LwwStoreOptions { readonly antiEntropyMs?: number }
export interface LwwStoreState { clock: number; records: Record<string, LwwRecord> }
export const LWW_DEFAULTS = { antiEntropyMs: 50 } as const;
export function compareLww(a: LwwTimestamp, b: LwwTimestamp): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

const shared: { clock: number; records: Record<string, LwwRecord> } = { clock: 0, records: {} };

export function lwwStore(options: LwwStoreOptions = {}): Protocol<LwwStoreState, LwwMessage, LwwRequest> {
  return {
    name: "lww-store",
    init: (ctx) => {
      if (ctx.nodeId === ctx.nodes[0]) {
        shared.clock = 0;
        shared.records = {};
      }
      return shared;
    },
    request: (_state, req, ctx) => {
      if (req.type === "get") {
        const r = shared.records[req.key];
        ctx.deliver(r === undefined ? { op: "get", key: req.key, found: false, t: null } : r.deleted ? { op: "get", key: req.key, found: false, t: r.t } : { op: "get", key: req.key, found: true, value: r.value, t: r.t });
        return;
      }
      shared.clock += 1;
      const t: LwwTimestamp = [shared.clock, ctx.nodeId];
      shared.records[req.key] = req.type === "put" ? { t, deleted: false, value: req.value } : { t, deleted: true };
      ctx.deliver(req.type === "put" ? { op: "put", key: req.key, value: req.value, t } : { op: "delete", key: req.key, t });
    },
    receive: { Sync: () => {} },
    periodically: { antiEntropy: { everyMs: options.antiEntropyMs ?? 50, run: () => {} } },
  };
}
