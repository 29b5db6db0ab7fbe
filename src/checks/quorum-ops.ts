/**
 * A quorum client over replicas that store (t, v) (lecture 5, slides "Quorum (2 out of 3)", "Read
 * and write quorums", "Read repair"), judged from the trace: what the client claims is checked
 * against the messages the replicas actually sent it.
 *
 * The client takes requests { type: "write", key, value } and { type: "read", key }; its k-th is
 * operation "<client>.<k>", and it delivers { op: "write", opId, key, value, t } or { op: "read",
 * opId, key, found, value?, t } when the operation completes. Replicas (the kit's quorumReplica)
 * answer Write with WriteAck and Read with ReadReply { stamped: { t, v } | null }. Checked:
 *   - a write is delivered after WriteAcks for its opId from w distinct replicas, and every Write the
 *     client sent for it carries the t and value it reports;
 *   - a read is delivered after ReadReplies for its opId from r distinct replicas, and returns the
 *     newest of the replies received by then (never a value no replica sent);
 *   - read repair: each replica whose reply (received before the read returned) was older than the
 *     result is sent a Write of the result afterwards;
 *   - optionally, read-after-write (checkStaleReads) and that every operation completed.
 */
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, combineResults, type CheckResult, type Violation } from "./check-result";
import { checkStaleReads, compareTimestamps, type QuorumHistoryEntry } from "./stale-reads";
import { eventsOf, type TraceLike } from "./trace-like";

/** An event at a node, as this checker keeps it. */
type Ev = { readonly i: number; readonly t: number; readonly node: string; readonly kind: string; readonly msg?: unknown; readonly to?: string };
const nodeOf = (e: TraceEvent): string => ("node" in e && typeof e.node === "string" ? e.node : "");

export interface QuorumClientCheckOptions {
  readonly clients: readonly string[];
  readonly replicas: readonly string[];
  readonly r: number;
  readonly w: number;
  /** Check read-after-write (meaningful when r + w > n). Default: r + w > n. */
  readonly readAfterWrite?: boolean;
  /** Every operation asked of a client must have completed by the end of the trace. Default false. */
  readonly complete?: boolean;
  /** Check read repair (default true). */
  readonly readRepair?: boolean;
}

type Stamp = readonly [number, string];
interface Stamped { readonly t: Stamp; readonly v: unknown }

const at = (e: Ev) => `${e.node} ${e.t.toFixed(1)} ms`;
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isStamp = (t: unknown): t is Stamp => Array.isArray(t) && t.length === 2 && Number.isSafeInteger(t[0]) && typeof t[1] === "string";
const isStamped = (s: unknown): s is Stamped => typeof s === "object" && s !== null && isStamp((s as Stamped).t) && "v" in s;
const stampText = (s: Stamped | null) => (s === null ? "nothing" : `(${JSON.stringify(s.t)}, ${show(s.v)})`);
/** a newer than b (null is older than everything). */
const newer = (a: Stamped | null, b: Stamped | null) => a !== null && (b === null || compareTimestamps(a.t, b.t) > 0);

export function checkQuorumClient(trace: TraceLike | readonly TraceEvent[], options: QuorumClientCheckOptions): CheckResult {
  const events = eventsOf(trace);
  const clients = new Set(options.clients);
  const replicas = new Set(options.replicas);
  const n = options.replicas.length;
  const violations: Violation[] = [];
  const requests = new Map<string, { e: Ev; type: unknown; key: unknown; value: unknown }>();
  const counts = new Map<string, number>();
  /** Per client and opId: replies/acks received (event, replica, stamped), sends of Write. */
  const acks = new Map<string, { e: Ev; from: string }[]>();
  const replies = new Map<string, { e: Ev; from: string; stamped: Stamped | null }[]>();
  const writesSent = new Map<string, Ev[]>();
  const delivered = new Map<string, Ev>();
  const history: QuorumHistoryEntry[] = [];
  const stamps = new Map<string, string>();
  const push = <T>(map: Map<string, T[]>, id: string, item: T) => {
    const list = map.get(id);
    if (list === undefined) map.set(id, [item]);
    else list.push(item);
  };
  for (const e of events) {
    if (!clients.has(nodeOf(e))) continue;
    if (e.kind === "request") {
      const k = counts.get(e.node) ?? 0;
      counts.set(e.node, k + 1);
      const r = (e.request ?? {}) as { type?: unknown; key?: unknown; value?: unknown };
      requests.set(`${e.node}.${k}`, { e, type: r.type, key: r.key, value: r.value });
    } else if (e.kind === "receive" && replicas.has(e.from)) {
      const m = e.msg as { type?: unknown; opId?: unknown; stamped?: unknown };
      if (typeof m.opId !== "string") continue;
      if (m.type === "WriteAck") push(acks, `${e.node} ${m.opId}`, { e, from: e.from });
      if (m.type === "ReadReply") push(replies, `${e.node} ${m.opId}`, { e, from: e.from, stamped: isStamped(m.stamped) ? m.stamped : null });
    } else if (e.kind === "send" && replicas.has(e.to) && (e.msg as { type?: unknown }).type === "Write") {
      push(writesSent, e.node, e);
    } else if (e.kind === "deliver" && e.app) {
      const out = e.value as { op?: unknown; opId?: unknown; key?: unknown; value?: unknown; t?: unknown; found?: unknown } | null;
      const opId = out?.opId;
      const request = typeof opId === "string" ? requests.get(opId) : undefined;
      if (out === null || typeof out !== "object" || typeof opId !== "string" || request === undefined || !opId.startsWith(`${e.node}.`)) {
        violations.push({ property: "outputs", message: `client ${e.node} delivered ${show(e.value)} at ${at(e)}, which answers none of its operations (opId "<client>.<k>" for its k-th request)`, events: [e.i] });
        continue;
      }
      if (delivered.has(opId)) {
        violations.push({ property: "outputs", message: `client ${e.node} completed operation ${opId} twice (at ${at(delivered.get(opId)!)} and ${at(e)})`, events: [delivered.get(opId)!.i, e.i] });
        continue;
      }
      delivered.set(opId, e);
      if (out.op !== request.type || out.key !== request.key || (out.op === "write" && !same(out.value, request.value))) {
        violations.push({ property: "outputs", message: `operation ${opId} was ${show({ type: request.type, key: request.key, value: request.value })}, but client ${e.node} delivered ${show(e.value)} at ${at(e)}`, events: [request.e.i, e.i] });
        continue;
      }
      const key = String(out.key);
      if (out.op === "write") {
        if (!isStamp(out.t) || out.t[1] !== e.node || out.t[0] < 1) {
          violations.push({ property: "timestamps", message: `write ${opId} at ${at(e)} reports timestamp ${show(out.t)}; a write by ${e.node} is stamped [counter >= 1, "${e.node}"]`, events: [e.i] });
          continue;
        }
        const twin = stamps.get(JSON.stringify(out.t));
        if (twin !== undefined) {
          violations.push({ property: "timestamps", message: `writes ${twin} and ${opId} both have timestamp ${JSON.stringify(out.t)}`, events: [e.i] });
          continue;
        }
        stamps.set(JSON.stringify(out.t), opId);
        const mine = (writesSent.get(e.node) ?? []).filter((s) => (s.msg as { opId?: unknown }).opId === opId);
        const wrong = mine.find((s) => !same((s.msg as { t?: unknown }).t, out.t) || !same((s.msg as { v?: unknown }).v, out.value) || (s.msg as { key?: unknown }).key !== key);
        if (wrong !== undefined) {
          violations.push({ property: "write quorum", message: `write ${opId} reports (${JSON.stringify(out.t)}, ${show(out.value)}) but client ${e.node} sent ${show(wrong.msg)} to ${(wrong as { to?: string }).to} at ${wrong.t.toFixed(1)} ms`, events: [wrong.i, e.i] });
          continue;
        }
        const ackers = [...new Set((acks.get(`${e.node} ${opId}`) ?? []).filter((a) => a.e.i < e.i).map((a) => a.from))];
        if (ackers.length < options.w) {
          violations.push({
            property: "write quorum",
            message: `write ${opId} (${key}=${show(out.value)}) was reported acknowledged at ${at(e)} after WriteAcks from ${ackers.length === 0 ? "no replica" : ackers.join(", ")}: w = ${options.w} distinct replicas must acknowledge it first`,
            events: [request.e.i, ...(acks.get(`${e.node} ${opId}`) ?? []).filter((a) => a.e.i < e.i).map((a) => a.e.i), e.i],
          });
          continue;
        }
        history.push({ kind: "write", key, client: e.node, startMs: request.e.t, endMs: e.t, timestamp: out.t, value: out.value, events: [request.e.i, e.i] });
      } else if (out.op === "read") {
        const received = (replies.get(`${e.node} ${opId}`) ?? []).filter((r) => r.e.i < e.i);
        const repliers = [...new Set(received.map((r) => r.from))];
        let best: Stamped | null = null;
        for (const r of received) if (newer(r.stamped, best)) best = r.stamped;
        const result: Stamped | null = out.found === true && isStamp(out.t) ? { t: out.t, v: out.value } : out.found === false && out.t === null ? null : { t: [-1, "?"], v: undefined };
        if (result !== null && result.t[0] === -1) {
          violations.push({ property: "outputs", message: `read ${opId} at ${at(e)} delivered ${show(e.value)}: found: true with t and value, or found: false with t: null`, events: [e.i] });
          continue;
        }
        if (!(result === null ? best === null : best !== null && same(result.t, best.t) && same(result.v, best.v))) {
          violations.push({
            property: "newest reply",
            message: `read ${opId} of ${key} at ${at(e)} returned ${stampText(result)}, but the newest of the replies it had received (${received.map((r) => `${r.from}: ${stampText(r.stamped)}`).join("; ")}) is ${stampText(best)}`,
            events: [...received.map((r) => r.e.i), e.i],
          });
          continue;
        }
        history.push({ kind: "read", key, client: e.node, startMs: request.e.t, endMs: e.t, timestamp: best === null ? null : best.t, value: best?.v, events: [request.e.i, e.i] });
        // Counted after the read joined the history, so that a read from too few replicas also shows as the stale read it can cause.
        if (repliers.length < options.r) {
          violations.push({
            property: "read quorum",
            message: `read ${opId} of ${key} returned at ${at(e)} after ReadReplies from ${repliers.length === 0 ? "no replica" : repliers.join(", ")}: r = ${options.r} distinct replicas must reply first`,
            events: [request.e.i, ...received.map((r) => r.e.i), e.i],
          });
          continue;
        }
        if (options.readRepair !== false && best !== null) {
          const stale = received.filter((r, k) => received.findIndex((o) => o.from === r.from) === k && newer(best, r.stamped));
          for (const r of stale) {
            const repaired = events.some(
              (s) => s.kind === "send" && s.node === e.node && s.to === r.from && s.i > r.e.i && (s.msg as { type?: unknown }).type === "Write" &&
                (s.msg as { key?: unknown }).key === key && same((s.msg as { t?: unknown }).t, best!.t) && same((s.msg as { v?: unknown }).v, best!.v),
            );
            if (!repaired) {
              violations.push({
                property: "read repair",
                message: `replica ${r.from} replied ${stampText(r.stamped)} to read ${opId} of ${key} (received at ${at(r.e)}), older than the result ${stampText(best)}, but was never sent a Write of the result`,
                events: [r.e.i, e.i],
              });
            }
          }
        }
      }
    }
  }
  if (options.complete === true) {
    for (const [opId, request] of requests) {
      if (delivered.has(opId)) continue;
      violations.push({ property: "completion", message: `operation ${opId} (${show({ type: request.type, key: request.key, value: request.value })}, asked of ${request.e.node} at ${request.e.t.toFixed(1)} ms) never completed, though enough replicas were reachable once the faults healed`, events: [request.e.i] });
    }
  }
  const results = [checkResult(violations)];
  if (options.readAfterWrite ?? options.r + options.w > n) results.push(checkStaleReads(history));
  return combineResults(...results);
}
