/**
 * Read-after-write (lecture 5, "Read and write quorums"): if a write is acknowledged, a read that
 * starts afterwards must see that value or one that overwrote it. A read that returns an older
 * timestamp (or nothing) is **stale**.
 *
 * Works on a history of completed operations (plain data, from whatever client produced them), so
 * it judges any quorum client: each write names the timestamp it wrote, each read the timestamp of
 * the value it returned. Timestamps are totally ordered by `compare` (default: numbers, or
 * [counter, node] pairs compared counter first).
 */
import { formatNumber } from "../sim/format";
import { checkResult, type CheckResult, type Violation } from "./check-result";

export type OperationTimestamp = number | readonly [number, string];

export interface QuorumHistoryEntry {
  readonly kind: "read" | "write";
  /** The register's key ("" for a single register). */
  readonly key?: string;
  /** Who ran it, for messages. */
  readonly client?: string;
  readonly startMs: number;
  /** When it completed (acknowledged, or the read returned); undefined if it never did. */
  readonly endMs?: number;
  /** Write: the timestamp written. Read: the timestamp of the value returned (null: nothing found). */
  readonly timestamp: OperationTimestamp | null;
  readonly value?: unknown;
  /** Trace indices of the operation's events, for highlighting. */
  readonly events?: readonly number[];
}

/** Numbers by value; [counter, node] pairs by counter, then node. */
export function compareTimestamps(a: OperationTimestamp, b: OperationTimestamp): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (Array.isArray(a) && Array.isArray(b)) return a[0] !== b[0] ? a[0] - b[0] : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  throw new TypeError(`compareTimestamps: cannot compare ${JSON.stringify(a)} with ${JSON.stringify(b)} (both numbers, or both [counter, node])`);
}

/**
 * Every read that started after a write to the same key was acknowledged, yet returned an older
 * timestamp (or nothing): one violation each, naming the read, the write, and both timestamps.
 */
export function checkStaleReads(history: readonly QuorumHistoryEntry[], compare: (a: OperationTimestamp, b: OperationTimestamp) => number = compareTimestamps): CheckResult {
  const violations: Violation[] = [];
  history.forEach((op, k) => {
    if (op.kind !== "read" && op.kind !== "write") throw new TypeError(`checkStaleReads: operation ${k} has kind ${JSON.stringify(op.kind)}, expected "read" or "write"`);
    if (!Number.isFinite(op.startMs)) throw new TypeError(`checkStaleReads: operation ${k} has no startMs`);
  });
  const text = (t: OperationTimestamp | null) => (t === null ? "nothing" : JSON.stringify(t));
  for (const read of history) {
    if (read.kind !== "read" || read.endMs === undefined) continue;
    // The latest write to this key acknowledged before the read started.
    let latest: QuorumHistoryEntry | undefined;
    for (const write of history) {
      if (write.kind !== "write" || (write.key ?? "") !== (read.key ?? "") || write.endMs === undefined || write.endMs > read.startMs || write.timestamp === null) continue;
      if (latest === undefined || compare(write.timestamp, latest.timestamp!) > 0) latest = write;
    }
    if (latest === undefined) continue;
    if (read.timestamp !== null && compare(read.timestamp, latest.timestamp!) >= 0) continue;
    violations.push({
      property: "read-after-write",
      message: `${read.client ?? "a client"}'s read at ${formatNumber(read.startMs)} ms returned ${text(read.timestamp)}, older than the write of ${text(latest.timestamp)} acknowledged at ${formatNumber(latest.endMs!)} ms${read.key ? ` (key ${read.key})` : ""}`,
      events: [...(latest.events ?? []), ...(read.events ?? [])],
    });
  }
  return checkResult(violations);
}
