/**
 * Exactly-once updates (lecture 5, slides "Retrying state updates" and "Idempotence"): a client
 * retries each request until acknowledged, and the server deduplicates by request id, so each
 * request is applied once, never twice, never lost.
 *
 * Reads a trace of clients that take requests { type: "update", to, update } and a server that
 * delivers { applied: update, requestId } each time it applies one; a client delivers
 * { acknowledged: requestId } when its request is done. The k-th request taken by client c is
 * "c.k". Every violation names the events (trace indices) that show it.
 */
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import { eventsOf, type TraceLike } from "./trace-like";

/** An event at a node, as this checker keeps it. */
type Ev = { readonly i: number; readonly t: number; readonly node: string; readonly kind: string; readonly msg?: unknown; readonly to?: string };
const nodeOf = (e: TraceEvent): string => ("node" in e && typeof e.node === "string" ? e.node : "");

export interface ExactlyOnceOptions {
  /** The server's node id. */
  readonly server: string;
  /** The clients' node ids (the requests they take are numbered c.0, c.1, ...). */
  readonly clients: readonly string[];
  /**
   * Check the spacing of retries: the k-th resend of a request (k = 1, 2, ...) comes
   * min(timeoutMs * 2^(k-1), maxTimeoutMs) after the send before it (within toleranceMs).
   */
  readonly backoff?: { readonly timeoutMs: number; readonly maxTimeoutMs: number; readonly toleranceMs?: number };
  /** Require every request to be applied and acknowledged by the end of the trace (default true). */
  readonly complete?: boolean;
}

const at = (e: Ev) => `${e.node} ${e.t.toFixed(1)} ms`;
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

export function checkExactlyOnce(trace: TraceLike | readonly TraceEvent[], options: ExactlyOnceOptions): CheckResult {
  const events = eventsOf(trace);
  const violations: Violation[] = [];
  const clients = new Set(options.clients);
  if (clients.has(options.server)) throw new RangeError(`checkExactlyOnce: ${options.server} is both the server and a client`);
  /** requestId -> the request event and what it asked for. */
  const requests = new Map<string, { e: Ev; update: unknown; client: string }>();
  const counts = new Map<string, number>();
  const applied = new Map<string, Ev[]>();
  const acknowledged = new Map<string, Ev[]>();
  const sends = new Map<string, Ev[]>();
  for (const e of events) {
    if (e.kind === "request" && clients.has(e.node)) {
      const k = counts.get(e.node) ?? 0;
      counts.set(e.node, k + 1);
      requests.set(`${e.node}.${k}`, { e, update: (e.request as { update?: unknown } | null)?.update, client: e.node });
    } else if (e.kind === "deliver" && e.app && e.node === options.server) {
      const v = e.value as { applied?: unknown; requestId?: unknown } | null;
      if (v === null || typeof v !== "object" || typeof v.requestId !== "string" || !("applied" in v)) {
        violations.push({ property: "server output", message: `the server delivered ${show(e.value)} at ${at(e)}; it delivers only { applied: update, requestId }`, events: [e.i] });
        continue;
      }
      const request = requests.get(v.requestId);
      if (request === undefined) {
        violations.push({ property: "no invented updates", message: `the server applied request ${v.requestId} at ${at(e)}, which no client had been asked for by then`, events: [e.i] });
        continue;
      }
      if (JSON.stringify(v.applied) !== JSON.stringify(request.update)) {
        violations.push({ property: "no invented updates", message: `request ${v.requestId} asked for ${show(request.update)}, but the server applied ${show(v.applied)} at ${at(e)}`, events: [request.e.i, e.i] });
      }
      if (!applied.has(v.requestId)) applied.set(v.requestId, []);
      applied.get(v.requestId)!.push(e);
    } else if (e.kind === "deliver" && e.app && clients.has(e.node)) {
      const v = e.value as { acknowledged?: unknown } | null;
      if (v === null || typeof v !== "object" || typeof v.acknowledged !== "string") {
        violations.push({ property: "client output", message: `client ${e.node} delivered ${show(e.value)} at ${at(e)}; it delivers only { acknowledged: requestId }`, events: [e.i] });
        continue;
      }
      const request = requests.get(v.acknowledged);
      if (request === undefined || request.client !== e.node) {
        violations.push({ property: "honest acknowledgements", message: `client ${e.node} delivered { acknowledged: ${v.acknowledged} } at ${at(e)}, which is not one of its requests`, events: [e.i] });
        continue;
      }
      if (!acknowledged.has(v.acknowledged)) acknowledged.set(v.acknowledged, []);
      acknowledged.get(v.acknowledged)!.push(e);
    } else if (e.kind === "send" && clients.has(e.node) && e.to === options.server) {
      const id = (e.msg as { requestId?: unknown }).requestId;
      if (typeof id === "string") {
        if (!sends.has(id)) sends.set(id, []);
        sends.get(id)!.push(e);
      }
    }
  }
  const complete = options.complete ?? true;
  for (const [id, request] of requests) {
    const applications = applied.get(id) ?? [];
    if (applications.length > 1) {
      violations.push({
        property: "exactly once",
        message: `request ${id} applied ${applications.length === 2 ? "twice" : `${applications.length} times`}, at ${applications.map(at).join(" and ")}`,
        events: applications.map((a) => a.i),
      });
    } else if (applications.length === 0 && complete) {
      violations.push({ property: "exactly once", message: `request ${id} (${show(request.update)}, asked of ${request.client} at ${request.e.t.toFixed(1)} ms) was never applied`, events: [request.e.i] });
    }
    const acks = acknowledged.get(id) ?? [];
    if (acks.length > 1) {
      violations.push({ property: "honest acknowledgements", message: `client ${request.client} delivered { acknowledged: ${id} } ${acks.length} times (${acks.map(at).join(", ")}); once per request`, events: acks.map((a) => a.i) });
    }
    const firstAck = acks[0];
    if (firstAck !== undefined && (applications[0] === undefined || applications[0].i > firstAck.i)) {
      violations.push({ property: "honest acknowledgements", message: `client ${request.client} delivered { acknowledged: ${id} } at ${at(firstAck)}, before the server had applied it`, events: [firstAck.i] });
    }
    if (firstAck === undefined && applications.length > 0 && complete) {
      violations.push({ property: "retry until acknowledged", message: `request ${id} was applied at ${at(applications[0]!)}, but client ${request.client} never delivered { acknowledged: ${id} }`, events: [applications[0]!.i] });
    }
    if (options.backoff !== undefined) {
      const { timeoutMs, maxTimeoutMs } = options.backoff;
      const tolerance = options.backoff.toleranceMs ?? 0.5;
      const list = (sends.get(id) ?? []).filter((s) => s.node === request.client);
      for (let k = 1; k < list.length; k++) {
        const expected = Math.min(timeoutMs * 2 ** (k - 1), maxTimeoutMs);
        const gap = list[k]!.t - list[k - 1]!.t;
        if (Math.abs(gap - expected) > tolerance) {
          violations.push({
            property: "backoff",
            message: `retry ${k} of request ${id} was sent at ${at(list[k]!)}, ${gap.toFixed(1)} ms after the send before it; with backoff it comes ${expected} ms after (min(${timeoutMs} * 2^${k - 1}, ${maxTimeoutMs}))`,
            events: [list[k - 1]!.i, list[k]!.i],
          });
          break;
        }
      }
    }
  }
  return checkResult(violations);
}
