/**
 * The replica side shared by lecture 6's quorum registers (plain quorums and ABD): each node stores,
 * per key, a value with the timestamp of the write that put it there, (t, v), in stable storage; a
 * write is applied only if its timestamp is newer, so replicas never go back in time (lecture 5,
 * "Read and write quorums"). Timestamps are [counter, node] pairs, counter first.
 */
import type { Context, NodeId, StableStorage } from "../../sim/protocol";

/** [counter, node]: compared counter first, then node. */
export type AbdTimestamp = readonly [number, NodeId];

export interface AbdStamped {
  readonly t: AbdTimestamp;
  readonly v: unknown;
}

export type AbdMsg =
  | { readonly type: "Read"; readonly opId: string; readonly key: string }
  | { readonly type: "ReadReply"; readonly opId: string; readonly stamped: AbdStamped | null }
  | { readonly type: "Write"; readonly opId: string; readonly key: string; readonly stamped: AbdStamped }
  | { readonly type: "WriteAck"; readonly opId: string };

export type AbdRequest =
  | { readonly type: "get"; readonly opId: string; readonly key: string }
  | { readonly type: "set"; readonly opId: string; readonly key: string; readonly value: unknown };

export function compareAbdTimestamp(a: AbdTimestamp, b: AbdTimestamp): number {
  const byCounter = a[0] - b[0];
  if (byCounter !== 0) return byCounter;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

/** floor(n/2) + 1: any two quorums of n nodes overlap. */
export function quorumSize(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`quorumSize: n must be a positive integer, got ${String(n)}`);
  return Math.floor(n / 2) + 1;
}

/** on receiving (Read, opId, key) from c: send (ReadReply, opId, stored[key]) to c. */
export function replicaRead(stored: Record<string, AbdStamped>, msg: Extract<AbdMsg, { type: "Read" }>, from: NodeId, ctx: Context<AbdMsg>): void {
  ctx.send(from, { type: "ReadReply", opId: msg.opId, stamped: stored[msg.key] ?? null });
}

/** on receiving (Write, opId, key, (t, v)) from c: store it if t is newer (to disk too); ack. */
export function replicaWrite(stored: Record<string, AbdStamped>, msg: Extract<AbdMsg, { type: "Write" }>, from: NodeId, ctx: Context<AbdMsg>): void {
  const current = stored[msg.key];
  if (current === undefined || compareAbdTimestamp(msg.stamped.t, current.t) > 0) {
    stored[msg.key] = msg.stamped;
    ctx.storage.set(`stored/${msg.key}`, msg.stamped);
  }
  ctx.send(from, { type: "WriteAck", opId: msg.opId });
}

/** "on recovery from crash": the stored values from stable storage. */
export function storedFromStorage(storage: StableStorage): Record<string, AbdStamped> {
  const stored: Record<string, AbdStamped> = {};
  for (const name of storage.keys()) if (name.startsWith("stored/")) stored[name.slice("stored/".length)] = storage.get<AbdStamped>(name) as AbdStamped;
  return stored;
}
