/**
 * The multi-value register (lecture 5, slide "Concurrent writes by different clients": with vector
 * clocks, "v2 replaces v1 if t2 > t1; preserve both {v1, v2} if t1 || t2").
 *
 * Reads a trace where each replica takes requests { type: "write", value } and { type: "read" } and
 * delivers, one per request, { op: "write", value, clock } or { op: "read", siblings: [{ value,
 * clock }] }. Written values are distinct. With happens-before computed from the trace itself
 * (lecture 3), it checks:
 *   - the writes' vector clocks order them as happens-before does (w1 -> w2 iff clock1 < clock2);
 *   - each read returns exactly the writes that happened before it and are not superseded by
 *     another write that also happened before it (the siblings are exactly the concurrent writes:
 *     none discarded, none superseded kept), each with its write's clock;
 *   - convergence: reads from `finalFromMs` on return the maximal writes of the whole run.
 */
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import { HappensBefore } from "./happens-before";
import { eventsOf, type TraceLike } from "./trace-like";

/** An event at a node, as this checker keeps it. */
type Ev = { readonly i: number; readonly t: number; readonly node: string; readonly kind: string; readonly msg?: unknown; readonly to?: string };
const nodeOf = (e: TraceEvent): string => ("node" in e && typeof e.node === "string" ? e.node : "");

export interface MultiValueCheckOptions {
  readonly replicas: readonly string[];
  /** Reads at or after this time must return the maximal writes of the whole run. */
  readonly finalFromMs?: number;
}

type Clock = Readonly<Record<string, number>>;

interface Write {
  readonly e: Ev;
  readonly value: unknown;
  readonly clock: Clock;
}

const at = (e: Ev) => `${e.node} ${e.t.toFixed(1)} ms`;
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const key = (v: unknown) => JSON.stringify(v) ?? "undefined";
const isClock = (c: unknown): c is Clock =>
  typeof c === "object" && c !== null && !Array.isArray(c) && Object.values(c).every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
const leq = (a: Clock, b: Clock) => Object.entries(a).every(([n, k]) => k <= (b[n] ?? 0));
const sameClock = (a: Clock, b: Clock) => leq(a, b) && leq(b, a);
const set = (values: readonly unknown[]) => `{${values.map(show).join(", ")}}`;

export function checkMultiValueRegister(trace: TraceLike | readonly TraceEvent[], options: MultiValueCheckOptions): CheckResult {
  const events = eventsOf(trace);
  const replicas = new Set(options.replicas);
  const violations: Violation[] = [];
  const hb = new HappensBefore(trace);
  const writes: Write[] = [];
  const byValue = new Map<string, Write>();
  const reads: { e: Ev; siblings: { value: unknown; clock: unknown }[] }[] = [];
  const waiting = new Map<string, { e: Ev; request: { type?: unknown; value?: unknown } }[]>();
  for (const e of events) {
    if (!replicas.has(nodeOf(e))) continue;
    if (e.kind === "request") {
      const list = waiting.get(e.node) ?? [];
      list.push({ e, request: (e.request ?? {}) as { type?: unknown; value?: unknown } });
      waiting.set(e.node, list);
    } else if (e.kind === "crash") {
      waiting.set(e.node, []);
    } else if (e.kind === "deliver" && e.app) {
      const out = e.value as { op?: unknown; value?: unknown; clock?: unknown; siblings?: unknown } | null;
      const request = waiting.get(e.node)?.shift();
      if (request === undefined) {
        violations.push({ property: "outputs", message: `replica ${e.node} delivered ${show(e.value)} at ${at(e)} without a request to answer`, events: [e.i] });
        continue;
      }
      const r = request.request;
      if (out === null || typeof out !== "object" || out.op !== r.type || (r.type === "write" && key(out.value) !== key(r.value))) {
        violations.push({ property: "outputs", message: `replica ${e.node} answered the request ${show(r)} (at ${request.e.t.toFixed(1)} ms) with ${show(e.value)} at ${at(e)}`, events: [request.e.i, e.i] });
        continue;
      }
      if (out.op === "write") {
        if (!isClock(out.clock)) {
          violations.push({ property: "vector clocks", message: `the write of ${show(out.value)} at ${at(e)} has clock ${show(out.clock)}; a vector clock is { node: count >= 0, ... }`, events: [e.i] });
          continue;
        }
        const w: Write = { e, value: out.value, clock: out.clock };
        if (byValue.has(key(w.value))) throw new RangeError(`checkMultiValueRegister: the value ${show(w.value)} is written twice; the runs must write distinct values`);
        byValue.set(key(w.value), w);
        writes.push(w);
      } else {
        if (!Array.isArray(out.siblings) || out.siblings.some((s) => typeof s !== "object" || s === null || !("value" in s))) {
          violations.push({ property: "outputs", message: `the read at ${at(e)} returned ${show(out.siblings)}; siblings are a list of { value, clock }`, events: [e.i] });
          continue;
        }
        reads.push({ e, siblings: out.siblings as { value: unknown; clock: unknown }[] });
      }
    }
  }
  // Vector clocks order the writes as happens-before does.
  outer: for (const w1 of writes) {
    for (const w2 of writes) {
      if (w1 === w2) continue;
      const before = hb.happensBefore(w1.e.i, w2.e.i);
      const smaller = leq(w1.clock, w2.clock) && !sameClock(w1.clock, w2.clock);
      if (before === smaller) continue;
      violations.push({
        property: "vector clocks",
        message: before
          ? `the write of ${show(w1.value)} at ${at(w1.e)} happened before the write of ${show(w2.value)} at ${at(w2.e)}, but its clock ${show(w1.clock)} is not less than ${show(w2.clock)}`
          : `the write of ${show(w1.value)} at ${at(w1.e)} did not happen before the write of ${show(w2.value)} at ${at(w2.e)}, but its clock ${show(w1.clock)} is less than ${show(w2.clock)}`,
        events: [w1.e.i, w2.e.i],
      });
      break outer;
    }
  }
  /** The writes among `list` that no other write in `list` happened after. */
  const maximal = (list: readonly Write[]) => list.filter((w) => !list.some((o) => o !== w && hb.happensBefore(w.e.i, o.e.i)));
  for (const read of reads) {
    const final = options.finalFromMs !== undefined && read.e.t >= options.finalFromMs;
    const seen = writes.filter((w) => hb.happensBefore(w.e.i, read.e.i));
    const expected = maximal(final ? writes : seen);
    const returned = read.siblings.map((s) => s.value);
    const text = set(returned);
    const expectedText = set(expected.map((w) => w.value));
    const counts = new Map<string, number>();
    for (const v of returned) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
    const twice = [...counts].find(([, n]) => n > 1);
    if (twice !== undefined) {
      violations.push({ property: "siblings", message: `the read at ${at(read.e)} returned ${text}: ${twice[0]} appears ${twice[1]} times`, events: [read.e.i] });
      continue;
    }
    const unknown = read.siblings.find((s) => !byValue.has(key(s.value)));
    if (unknown !== undefined) {
      violations.push({ property: "no invented values", message: `the read at ${at(read.e)} returned ${text}, but ${show(unknown.value)} was never written`, events: [read.e.i] });
      continue;
    }
    const wrongClock = read.siblings.find((s) => !isClock(s.clock) || !sameClock(s.clock, byValue.get(key(s.value))!.clock));
    if (wrongClock !== undefined) {
      const w = byValue.get(key(wrongClock.value))!;
      violations.push({ property: "siblings", message: `the read at ${at(read.e)} returned ${show(wrongClock.value)} with clock ${show(wrongClock.clock)}, but its write at ${at(w.e)} had clock ${show(w.clock)}`, events: [w.e.i, read.e.i] });
      continue;
    }
    const missing = expected.find((w) => !counts.has(key(w.value)));
    const extra = read.siblings.map((s) => byValue.get(key(s.value))!).find((w) => !expected.includes(w));
    if (missing === undefined && extra === undefined) continue;
    if (final && (missing !== undefined && !seen.includes(missing))) {
      violations.push({ property: "convergence", message: `after every fault had healed, the read at ${at(read.e)} returned ${text}, but the register's values are ${expectedText}: the write of ${show(missing.value)} at ${at(missing.e)} never reached ${read.e.node}`, events: [missing.e.i, read.e.i] });
    } else if (missing !== undefined) {
      const concurrent = returned.length > 0 ? `, concurrent with ${set(returned)}` : "";
      violations.push({
        property: "siblings",
        message: `the read at ${at(read.e)} returned ${text}, but the write of ${show(missing.value)} at ${at(missing.e)} happened before it and no write that happened before the read superseded it${concurrent}: the siblings should be ${expectedText}`,
        events: [missing.e.i, read.e.i],
      });
    } else if (extra !== undefined) {
      const newer = (final ? writes : seen).find((o) => hb.happensBefore(extra.e.i, o.e.i));
      violations.push({
        property: "siblings",
        message: newer !== undefined
          ? `the read at ${at(read.e)} returned ${text}, but ${show(extra.value)} (written at ${at(extra.e)}) was superseded by the write of ${show(newer.value)} at ${at(newer.e)}, which happened after it and before the read: the siblings should be ${expectedText}`
          : `the read at ${at(read.e)} returned ${text}, but the write of ${show(extra.value)} at ${at(extra.e)} had not reached ${read.e.node} (it did not happen before the read)`,
        events: newer !== undefined ? [extra.e.i, newer.e.i, read.e.i] : [extra.e.i, read.e.i],
      });
    }
  }
  return checkResult(violations);
}
