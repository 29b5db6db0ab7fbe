/**
 * A quorum client's operations read back from a trace (lecture 5, "Read and write quorums"): when
 * each started and completed, which replicas it reached before completing, what each replica
 * answered a read, and the timestamp it wrote or returned. For the quorum picture
 * (src/viz/replication.ts) and for checkStaleReads (./stale-reads.ts).
 *
 * It relies only on the messages and outputs of Exercise 5.4's contract: the k-th request of
 * client c has opId "c.k"; replicas answer with WriteAck / ReadReply carrying the opId; the client
 * delivers { op, opId, t, ... } when an operation completes.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import type { QuorumHistoryEntry } from "./stale-reads";
import { eventsOf, type TraceLike } from "./trace-like";

type Stamp = readonly [number, string];

export interface QuorumOperationRecord {
  readonly opId: string;
  readonly kind: "read" | "write";
  readonly key: string;
  readonly client: NodeId;
  readonly startMs: number;
  /** When the client delivered the result; undefined if it never did. */
  readonly endMs?: number;
  /** A write's timestamp; a read's result's (null: nothing found); undefined while incomplete. */
  readonly t?: Stamp | null;
  readonly value?: unknown;
  /** Replicas whose answer (WriteAck or ReadReply) the client received up to completion, first answer first. */
  readonly reached: NodeId[];
  /** For reads: each replica's (t, v) or null, as received. */
  readonly replies: Record<NodeId, { t: Stamp; v: unknown } | null>;
  /** Trace indices: the request, the answers counted, the delivery. */
  readonly events: number[];
}

/** Every operation of `client` in the trace, in request order. */
export function quorumOperations(trace: TraceLike | readonly TraceEvent[], client: NodeId): QuorumOperationRecord[] {
  const events = eventsOf(trace);
  const ops: (QuorumOperationRecord & { endMs?: number })[] = [];
  const byId = new Map<string, (typeof ops)[number]>();
  for (const e of events) {
    if (!("node" in e) || e.node !== client) continue;
    if (e.kind === "request") {
      const req = e.request as { type?: unknown; key?: unknown; value?: unknown };
      if (req?.type !== "read" && req?.type !== "write") continue;
      const opId = `${client}.${ops.length}`;
      const op = { opId, kind: req.type, key: String(req.key), client, startMs: e.t, reached: [], replies: {}, events: [e.i], ...(req.type === "write" ? { value: req.value } : {}) } as QuorumOperationRecord;
      ops.push(op);
      byId.set(opId, op);
    } else if (e.kind === "receive") {
      const msg = e.msg as { type: string; opId?: string; stamped?: { t: Stamp; v: unknown } | null };
      const op = msg.opId === undefined ? undefined : byId.get(msg.opId);
      if (op === undefined || op.endMs !== undefined || op.reached.includes(e.from)) continue;
      if ((op.kind === "write" && msg.type !== "WriteAck") || (op.kind === "read" && msg.type !== "ReadReply")) continue;
      op.reached.push(e.from);
      op.events.push(e.i);
      if (op.kind === "read") op.replies[e.from] = msg.stamped ?? null;
    } else if (e.kind === "deliver") {
      const out = e.value as { opId?: string; t?: Stamp | null; value?: unknown };
      const op = out?.opId === undefined ? undefined : byId.get(out.opId);
      if (op === undefined || op.endMs !== undefined) continue;
      const done = op as { endMs?: number; t?: Stamp | null; value?: unknown };
      done.endMs = e.t;
      done.t = out.t ?? null;
      if (op.kind === "read") done.value = out.value;
      op.events.push(e.i);
    }
  }
  return ops;
}

/** The operations as a history for checkStaleReads. */
export function quorumHistory(ops: readonly QuorumOperationRecord[]): QuorumHistoryEntry[] {
  return ops.map((op) => ({ kind: op.kind, key: op.key, client: op.client, startMs: op.startMs, endMs: op.endMs, timestamp: op.t ?? null, value: op.value, events: op.events }));
}
