/**
 * What a link promises (lecture 2, "System model: network behaviour"), checked on a run's trace. The
 * application's requests `{ type: "send", to, m }` at each sender are the messages sent; the
 * application deliveries at each receiver (with the original sender) are what arrived. Violations
 * name the nodes, the message, the time and the trace indices of the events concerned. FIFO order is
 * the one implementation in fifo-order.ts (fifoBreaches), per sender -> receiver pair.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { fifoBreaches, type StreamMessage } from "./fifo-order";

export type LinkViolationKind = "duplicate" | "out-of-order" | "missing" | "unexpected";

export interface LinkViolation {
  readonly kind: LinkViolationKind;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The message concerned (as JSON). */
  readonly message: string;
  /** Global time of the delivery concerned (for "missing": the end of the trace). */
  readonly atMs: number;
  readonly description: string;
  /** Trace indices of the events that show the violation (send requests and deliveries). */
  readonly events: readonly number[];
}

export interface LinkCheckOptions {
  /** Check FIFO order (each sender's messages delivered in the order sent). Default true. */
  readonly fifo?: boolean;
  /** Require every sent message to have been delivered by the end of the trace. Default true. */
  readonly complete?: boolean;
}

const key = (value: unknown) => JSON.stringify(value);

/**
 * Checks reliable (and optionally FIFO) delivery: no duplicates, nothing delivered that was not sent,
 * every message sent delivered (if `complete`), and in sending order (if `fifo`). Messages are
 * identified by value, so a test should send distinct values.
 */
export function checkLinkDeliveries(events: readonly TraceEvent[], options: LinkCheckOptions = {}): LinkViolation[] {
  const fifo = options.fifo ?? true;
  const complete = options.complete ?? true;
  const sent = new Map<string, StreamMessage[]>(); // "from->to" -> messages in sending order
  const delivered = new Map<string, StreamMessage[]>();
  const timeOf = new Map<number, number>(); // event index -> t
  let endMs = 0;
  for (const e of events) {
    endMs = Math.max(endMs, e.t);
    if (e.kind === "request") {
      const r = e.request as { type?: unknown; to?: unknown; m?: unknown };
      if (r !== null && typeof r === "object" && r.type === "send" && typeof r.to === "string") {
        const k = `${e.node}->${r.to}`;
        if (!sent.has(k)) sent.set(k, []);
        sent.get(k)!.push({ id: key(r.m), event: e.i });
      }
    } else if (e.kind === "deliver" && e.app) {
      const k = `${e.from ?? "?"}->${e.node}`;
      if (!delivered.has(k)) delivered.set(k, []);
      delivered.get(k)!.push({ id: key(e.value), event: e.i });
      timeOf.set(e.i, e.t);
    }
  }
  const violations: LinkViolation[] = [];
  const pairs = [...new Set([...sent.keys(), ...delivered.keys()])].sort();
  for (const pair of pairs) {
    const [from, to] = pair.split("->") as [NodeId, NodeId];
    const out = sent.get(pair) ?? [];
    const got = delivered.get(pair) ?? [];
    const sendOf = new Map(out.map((m, k) => [m.id, { ...m, position: k }]));
    // FIFO breaches are reported at the late delivery of the overtaken message, or, if it never
    // came, at the delivery that overtook it.
    const outOfOrder = new Map<number, LinkViolation[]>();
    if (fifo) {
      for (const b of fifoBreaches(from, to, out, got)) {
        const at = b.lateDelivery ?? b.delivery;
        const t = timeOf.get(at)!;
        const v: LinkViolation =
          b.lateDelivery !== undefined
            ? { kind: "out-of-order", from, to, message: b.earlier.id, atMs: t, events: [b.earlier.event, b.later.event, b.delivery, b.lateDelivery],
                description: `delivered ${b.earlier.id} (message #${b.earlier.position}) after message #${b.later.position} (${from} -> ${to}, at ${t} ms)` }
            : { kind: "out-of-order", from, to, message: b.later.id, atMs: t, events: [b.earlier.event, b.later.event, b.delivery],
                description: `delivered ${b.later.id} (message #${b.later.position}) without message #${b.earlier.position} before it (${from} -> ${to}, at ${t} ms)` };
        outOfOrder.set(at, [...(outOfOrder.get(at) ?? []), v]);
      }
    }
    const seen = new Set<string>();
    for (const d of got) {
      const t = timeOf.get(d.event)!;
      const s = sendOf.get(d.id);
      const add = (kind: LinkViolationKind, description: string, events: number[]) =>
        violations.push({ kind, from, to, message: d.id, atMs: t, events, description: `${description} (${from} -> ${to}, at ${t} ms)` });
      if (s === undefined) add("unexpected", `delivered ${d.id}, which was never sent`, [d.event]);
      else if (seen.has(d.id)) add("duplicate", `delivered ${d.id} a second time`, [s.event, d.event]);
      seen.add(d.id);
      violations.push(...(outOfOrder.get(d.event) ?? []));
    }
    if (complete) {
      for (const m of out) {
        if (!seen.has(m.id)) {
          violations.push({ kind: "missing", from, to, message: m.id, atMs: endMs, events: [m.event],
            description: `${m.id} was sent but never delivered (${from} -> ${to}, by ${endMs} ms)` });
        }
      }
    }
  }
  return violations;
}
