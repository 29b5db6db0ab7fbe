/**
 * How the order checkers find broadcast messages in a trace. The convention is independent of any
 * broadcast implementation:
 *
 * - A **broadcast** is a `request` event whose request is `{ type: "broadcast", m }`: the
 *   application asked that node to broadcast m ("on request to broadcast m do").
 * - A **delivery** is an application-level `deliver` event (`app: true`) whose value is m: the top
 *   layer did "deliver m to the application".
 * - A message is identified by its payload: its `BroadcastId` is m itself when m is a string, else
 *   the canonical JSON of m (object keys sorted). So an application must broadcast distinct
 *   payloads ("m1", "m2", or `{ from: "A", n: 3 }`); two broadcasts with the same payload are an
 *   error. Pass `idOf` to identify messages differently, e.g. by a field of m.
 *
 * If a layer below the top also receives `{ type: "broadcast", ... }` requests, only those made by
 * the application count: the simulator records a request event for application requests only.
 */
import type { NodeId } from "../sim/protocol";
import type { DeliverEvent, RequestEvent, TraceEvent } from "../sim/trace-events";
import { eventsOf, nodesOf, type TraceLike } from "./trace-like";

/** Identifies one broadcast message across the trace. */
export type BroadcastId = string;

export interface BroadcastRecord {
  readonly id: BroadcastId;
  readonly sender: NodeId;
  /** 0 for the sender's first broadcast, 1 for its second, ... */
  readonly seq: number;
  /** Trace index of the request event. */
  readonly event: number;
  readonly m: unknown;
}

export interface DeliveryRecord {
  readonly id: BroadcastId;
  readonly node: NodeId;
  /** Trace index of the deliver event. */
  readonly event: number;
  readonly m: unknown;
}

export interface BroadcastHistory {
  readonly nodes: readonly NodeId[];
  /** In trace order. */
  readonly broadcasts: readonly BroadcastRecord[];
  readonly byId: ReadonlyMap<BroadcastId, BroadcastRecord>;
  /** Each node's deliveries in the order it made them (every node has an entry, maybe empty). */
  readonly deliveries: ReadonlyMap<NodeId, readonly DeliveryRecord[]>;
  /** Nodes that crashed at some point in the trace. */
  readonly crashed: ReadonlySet<NodeId>;
}

export interface HistoryOptions {
  /** How to identify a message from its payload m (default: canonicalId). */
  readonly idOf?: (m: unknown) => BroadcastId;
}

/** m itself if it is a string, else JSON with object keys sorted (so equal data gives equal ids). */
export function canonicalId(m: unknown): BroadcastId {
  if (typeof m === "string") return m;
  return JSON.stringify(sortKeys(m)) ?? String(m);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The payload of a `{ type: "broadcast", m }` request, or undefined for any other request. */
export function broadcastPayload(request: unknown): { m: unknown } | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const r = request as { type?: unknown; m?: unknown };
  if (r.type !== "broadcast" || !("m" in r)) return undefined;
  return { m: r.m };
}

export function broadcastHistory(trace: TraceLike | readonly TraceEvent[], options: HistoryOptions = {}): BroadcastHistory {
  const idOf = options.idOf ?? canonicalId;
  const nodes = nodesOf(trace);
  const broadcasts: BroadcastRecord[] = [];
  const byId = new Map<BroadcastId, BroadcastRecord>();
  const deliveries = new Map<NodeId, DeliveryRecord[]>(nodes.map((node) => [node, []]));
  const crashed = new Set<NodeId>();
  const seqOf = new Map<NodeId, number>();
  for (const e of eventsOf(trace)) {
    if (e.kind === "request") {
      const payload = broadcastPayload((e as RequestEvent).request);
      if (!payload) continue;
      const id = idOf(payload.m);
      const earlier = byId.get(id);
      if (earlier) {
        throw new RangeError(
          `message ${id} is broadcast twice (events ${earlier.event} and ${e.i}): broadcast payloads must be distinct, or pass idOf`,
        );
      }
      const seq = seqOf.get(e.node) ?? 0;
      seqOf.set(e.node, seq + 1);
      const record: BroadcastRecord = { id, sender: e.node, seq, event: e.i, m: payload.m };
      broadcasts.push(record);
      byId.set(id, record);
    } else if (e.kind === "deliver" && (e as DeliverEvent).app) {
      const d = e as DeliverEvent;
      deliveries.get(d.node)!.push({ id: idOf(d.value), node: d.node, event: d.i, m: d.value });
    } else if (e.kind === "crash") {
      crashed.add(e.node);
    }
  }
  return { nodes, broadcasts, byId, deliveries, crashed };
}
