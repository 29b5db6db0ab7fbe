/**
 * What a link promises, checked on a run's trace. The application's requests
 * `{ type: "send", to, m }` at each sender are the messages sent; the application deliveries at each
 * receiver are what arrived. Violations name the nodes, the message and the time.
 */
import type { NodeId } from "../../sim/protocol";
import type { TraceEvent } from "../../sim/trace-events";

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
  const sent = new Map<string, unknown[]>(); // "from->to" -> messages in sending order
  const delivered = new Map<string, { m: unknown; t: number }[]>();
  let endMs = 0;
  for (const e of events) {
    endMs = Math.max(endMs, e.t);
    if (e.kind === "request") {
      const r = e.request as { type?: unknown; to?: unknown; m?: unknown };
      if (r !== null && typeof r === "object" && r.type === "send" && typeof r.to === "string") {
        const k = `${e.node}->${r.to}`;
        if (!sent.has(k)) sent.set(k, []);
        sent.get(k)!.push(r.m);
      }
    } else if (e.kind === "deliver" && e.app) {
      const k = `${e.from ?? "?"}->${e.node}`;
      if (!delivered.has(k)) delivered.set(k, []);
      delivered.get(k)!.push({ m: e.value, t: e.t });
    }
  }
  const violations: LinkViolation[] = [];
  const pairs = [...new Set([...sent.keys(), ...delivered.keys()])].sort();
  for (const pair of pairs) {
    const [from, to] = pair.split("->");
    const order = (sent.get(pair) ?? []).map(key);
    const position = new Map(order.map((m, i) => [m, i]));
    const seen = new Set<string>();
    let lastPosition = -1;
    for (const d of delivered.get(pair) ?? []) {
      const m = key(d.m);
      const at = position.get(m);
      const add = (kind: LinkViolationKind, description: string) =>
        violations.push({ kind, from, to, message: m, atMs: d.t, description: `${description} (${from} -> ${to}, at ${d.t} ms)` });
      if (at === undefined) add("unexpected", `delivered ${m}, which was never sent`);
      else if (seen.has(m)) add("duplicate", `delivered ${m} a second time`);
      else if (fifo && at < lastPosition) add("out-of-order", `delivered ${m} (message #${at}) after message #${lastPosition}`);
      seen.add(m);
      if (at !== undefined) lastPosition = Math.max(lastPosition, at);
    }
    if (complete) {
      for (const m of order) {
        if (!seen.has(m)) {
          violations.push({ kind: "missing", from, to, message: m, atMs: endMs, description: `${m} was sent but never delivered (${from} -> ${to}, by ${endMs} ms)` });
        }
      }
    }
  }
  return violations;
}
