/**
 * A replicated key-value store of last-writer-wins registers (lecture 5, slides "Timestamps and
 * tombstones", "Reconciling replicas", "Concurrent writes by different clients").
 *
 * Reads a trace where each replica takes requests { type: "put" | "delete" | "get", key, value? }
 * and delivers, one per request, { op: "put", key, value, t }, { op: "delete", key, t } or
 * { op: "get", key, found, value?, t } (t a [counter, node] timestamp, or null for a key never
 * written). With happens-before computed from the trace itself (lecture 3), it checks:
 *   - outputs answer their requests, in order, and each write's t is [c, its node], unique;
 *   - a write that happened after another write of the same key has the larger timestamp
 *     (Lamport timestamps: "a write that has seen another one wins over it");
 *   - every get returns the write of its key with the largest timestamp among those that happened
 *     before it: a delete it has seen is not undone by an older put ("deleted key x reappeared"),
 *     and the newest write it has seen is never replaced by an older one;
 *   - convergence: gets from `finalFromMs` on return the newest write of the key overall.
 * Events a replica handles while up only; every violation names the events that show it.
 */
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import { HappensBefore } from "./happens-before";
import { eventsOf, type TraceLike } from "./trace-like";

/** An event at a node, as this checker keeps it. */
type Ev = { readonly i: number; readonly t: number; readonly node: string; readonly kind: string; readonly msg?: unknown; readonly to?: string };
const nodeOf = (e: TraceEvent): string => ("node" in e && typeof e.node === "string" ? e.node : "");

export interface LwwCheckOptions {
  /** The replicas' node ids. */
  readonly replicas: readonly string[];
  /** Gets at or after this time must return the newest write of their key (the replicas have converged). */
  readonly finalFromMs?: number;
}

type Stamp = readonly [number, string];

interface Write {
  readonly e: Ev;
  readonly op: "put" | "delete";
  readonly key: string;
  readonly value: unknown;
  readonly t: Stamp;
}

const at = (e: Ev) => `${e.node} ${e.t.toFixed(1)} ms`;
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const compare = (a: Stamp, b: Stamp) => (a[0] !== b[0] ? a[0] - b[0] : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const isStamp = (t: unknown): t is Stamp => Array.isArray(t) && t.length === 2 && Number.isSafeInteger(t[0]) && typeof t[1] === "string";
const describe = (w: Write) => `${w.op === "put" ? `the put ${w.key}=${show(w.value)}` : `the delete of ${w.key}`} ${JSON.stringify(w.t)} at ${at(w.e)}`;

export function checkLwwStore(trace: TraceLike | readonly TraceEvent[], options: LwwCheckOptions): CheckResult {
  const events = eventsOf(trace);
  const replicas = new Set(options.replicas);
  const violations: Violation[] = [];
  const hb = new HappensBefore(trace);
  const writes: Write[] = [];
  const gets: { e: Ev; key: string; found: boolean; value: unknown; t: Stamp | null }[] = [];
  const byStamp = new Map<string, Write>();
  /** Per replica: requests not yet answered, in order. */
  const waiting = new Map<string, { e: Ev; request: { type?: unknown; key?: unknown; value?: unknown } }[]>();
  for (const e of events) {
    if (!replicas.has(nodeOf(e))) continue;
    if (e.kind === "request") {
      const list = waiting.get(e.node) ?? [];
      list.push({ e, request: (e.request ?? {}) as { type?: unknown; key?: unknown; value?: unknown } });
      waiting.set(e.node, list);
    } else if (e.kind === "crash") {
      waiting.set(e.node, []); // a request the replica did not finish before crashing goes unanswered
    } else if (e.kind === "deliver" && e.app) {
      const out = e.value as { op?: unknown; key?: unknown; value?: unknown; t?: unknown; found?: unknown } | null;
      const request = waiting.get(e.node)?.shift();
      if (request === undefined) {
        violations.push({ property: "outputs", message: `replica ${e.node} delivered ${show(e.value)} at ${at(e)} without a request to answer`, events: [e.i] });
        continue;
      }
      const r = request.request;
      if (out === null || typeof out !== "object" || out.op !== r.type || out.key !== r.key || (r.type === "put" && !same(out.value, r.value))) {
        violations.push({ property: "outputs", message: `replica ${e.node} answered the request ${show(r)} (at ${request.e.t.toFixed(1)} ms) with ${show(e.value)} at ${at(e)}`, events: [request.e.i, e.i] });
        continue;
      }
      const key = out.key as string;
      if (out.op === "put" || out.op === "delete") {
        if (!isStamp(out.t) || out.t[1] !== e.node || out.t[0] < 1) {
          violations.push({ property: "timestamps", message: `the ${out.op} of ${key} at ${at(e)} has timestamp ${show(out.t)}; a write at ${e.node} has a Lamport timestamp [counter >= 1, "${e.node}"]`, events: [e.i] });
          continue;
        }
        const w: Write = { e, op: out.op, key, value: out.op === "put" ? out.value : undefined, t: out.t };
        const twin = byStamp.get(JSON.stringify(w.t));
        if (twin !== undefined) {
          violations.push({ property: "timestamps", message: `${describe(w)} has the same timestamp as ${describe(twin)}: each write needs its own`, events: [twin.e.i, e.i] });
          continue;
        }
        byStamp.set(JSON.stringify(w.t), w);
        writes.push(w);
      } else if (out.op === "get") {
        if (out.found !== true && out.found !== false) {
          violations.push({ property: "outputs", message: `the get of ${key} at ${at(e)} returned ${show(e.value)}: found must be true or false`, events: [e.i] });
          continue;
        }
        if (out.t !== null && !isStamp(out.t)) {
          violations.push({ property: "outputs", message: `the get of ${key} at ${at(e)} returned timestamp ${show(out.t)}: a [counter, node] pair or null`, events: [e.i] });
          continue;
        }
        gets.push({ e, key, found: out.found, value: out.value, t: out.t as Stamp | null });
      }
    }
  }
  // Lamport: a write that happened after another write of the same key has the larger timestamp.
  for (const w2 of writes) {
    for (const w1 of writes) {
      if (w1.key !== w2.key || !hb.happensBefore(w1.e.i, w2.e.i) || compare(w1.t, w2.t) < 0) continue;
      violations.push({
        property: "Lamport timestamps",
        message: `${describe(w2)} is not later than ${describe(w1)}, which happened before it: the newer write would lose`,
        events: [w1.e.i, w2.e.i],
      });
      break;
    }
  }
  const newest = (list: readonly Write[]) => list.reduce<Write | undefined>((best, w) => (best === undefined || compare(w.t, best.t) > 0 ? w : best), undefined);
  for (const g of gets) {
    const seen = newest(writes.filter((w) => w.key === g.key && hb.happensBefore(w.e.i, g.e.i)));
    const final = options.finalFromMs !== undefined && g.e.t >= options.finalFromMs;
    const expected = final ? newest(writes.filter((w) => w.key === g.key)) : seen;
    const returned = g.t === null ? undefined : byStamp.get(JSON.stringify(g.t));
    const text = `${g.found ? `${g.key}=${show(g.value)}` : "not found"}${g.t === null ? "" : ` ${JSON.stringify(g.t)}`}`;
    if (g.t !== null && (returned === undefined || returned.key !== g.key)) {
      violations.push({ property: "no invented values", message: `the get of ${g.key} at ${at(g.e)} returned ${text}, but no write of ${g.key} has that timestamp`, events: [g.e.i] });
      continue;
    }
    if (returned !== undefined && (g.found !== (returned.op === "put") || (g.found && !same(g.value, returned.value)))) {
      violations.push({ property: "no invented values", message: `the get of ${g.key} at ${at(g.e)} returned ${text}, but the write with that timestamp is ${describe(returned)}`, events: [returned.e.i, g.e.i] });
      continue;
    }
    if (expected === returned) continue;
    const marked = [...(expected === undefined ? [] : [expected.e.i]), ...(returned === undefined ? [] : [returned.e.i]), g.e.i];
    if (final && expected !== seen) {
      violations.push({
        property: "convergence",
        message: `after every fault had healed, the get of ${g.key} at ${at(g.e)} returned ${text}, but the newest write of ${g.key} is ${describe(expected!)}: anti-entropy did not bring it to ${g.e.node}`,
        events: marked,
      });
    } else if (expected !== undefined && expected.op === "delete" && g.found) {
      violations.push({
        property: "tombstones",
        message: `deleted key ${g.key} reappeared at ${g.e.node}: the get at ${g.e.t.toFixed(1)} ms returned ${text}, but ${describe(expected)} happened before it and is newer`,
        events: marked,
      });
    } else if (expected !== undefined && (returned === undefined || compare(returned.t, expected.t) < 0)) {
      violations.push({
        property: "last writer wins",
        message: `the get of ${g.key} at ${at(g.e)} returned ${text}, but ${describe(expected)} happened before it and has a later timestamp`,
        events: marked,
      });
    } else {
      violations.push({
        property: "last writer wins",
        message: `the get of ${g.key} at ${at(g.e)} returned ${text}, a write that had not reached ${g.e.node}${expected === undefined ? "" : `; the newest it had seen is ${describe(expected)}`}`,
        events: marked,
      });
    }
  }
  return checkResult(violations);
}
