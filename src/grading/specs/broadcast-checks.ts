/**
 * Trusted checks and inputs of the broadcast exercises (4.4-4.7): read the trace a driver returned,
 * make sure it is the run that was asked for, judge it with the kit's checkers (src/checks), and on a
 * failure return the checker's sentence and the run, the offending events marked, for the diagram.
 * Loaded only in the trusted process (it imports fast-check).
 */
import type * as fc from "fast-check";
import { canonicalId } from "../../checks/broadcast-history";
import type { CheckResult, Violation } from "../../checks/check-result";
import type { Scenario } from "../../sim/scenario";
import type { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { fail, pass, type Verdict } from "../define";
import { scenarios } from "../scenarios";
import { broadcastRequest } from "./broadcast-runs";

export { readTrace } from "../scenarios";

const linkLayers = new Set(["reliable-link", "reliable-fifo-link"]);

/**
 * Events for the failure's diagram, drawn at the level the exercise works at: the reliable links
 * are abstracted, so each arrow is one message of the broadcast layers, from its first
 * transmission to its delivery by the link (retransmissions, lost copies and acknowledgements are
 * left out). Only the violation's events are labelled (✗ and the message), so that the labels of
 * nearby events do not overlap; every other event shows its message on hover.
 */
export function diagramEvents(trace: Trace, violation: Violation | undefined, keep: (e: TraceEvent) => boolean = () => true): TraceEvent[] {
  const marked = new Set(violation?.events ?? []);
  const events = trace.events;
  const firstSend = new Map<string, TraceEvent>(); // "from to seq" -> first RlData send
  const lastReceive = new Map<string, TraceEvent>(); // node -> its latest receive event
  const fifoCount = new Map<string, number>(); // "from to" -> link deliveries so far (FIFO links)
  const out: { key: number; event: TraceEvent }[] = [];
  const label = (e: TraceEvent, text: string | undefined) => (marked.has(e.i) ? ({ ...e, label: `✗ ${text ?? e.kind}` } as TraceEvent) : e);
  for (const e of events) {
    if (e.kind === "send" && e.msg.type === "RlData") {
      const key = `${e.node} ${e.to} ${(e.msg as unknown as { seq: number }).seq}`;
      if (!firstSend.has(key)) firstSend.set(key, e);
      continue;
    }
    if (e.kind === "receive") lastReceive.set(e.node, e);
    if (!keep(e)) continue;
    if (e.kind === "request") {
      const m = (e.request as { m?: unknown } | null)?.m;
      out.push({ key: e.i, event: label(e, `bcast ${shortId(m)}`) });
    } else if (e.kind === "deliver" && e.app) {
      out.push({ key: e.i, event: label(e, shortId(e.value)) });
    } else if (e.kind === "deliver" && linkLayers.has(e.layer) && e.from !== undefined) {
      let seq: number | undefined;
      if (e.layer === "reliable-fifo-link") {
        const pair = `${e.from} ${e.node}`;
        seq = fifoCount.get(pair) ?? 0;
        fifoCount.set(pair, seq + 1);
      } else {
        const cause = lastReceive.get(e.node);
        seq = cause?.kind === "receive" ? (cause.msg as unknown as { seq?: number }).seq : undefined;
      }
      const sent = firstSend.get(`${e.from} ${e.node} ${seq}`);
      if (sent === undefined || sent.kind !== "send") continue;
      const msg = (typeof e.value === "object" && e.value !== null ? e.value : { type: "value", value: e.value }) as { type: string };
      out.push({ key: sent.i, event: { ...sent, msg, layer: "link" } as TraceEvent });
      out.push({ key: e.i, event: label({ i: e.i, t: e.t, node: e.node, local: e.local, kind: "receive", msgId: sent.msgId, from: e.from, msg, copy: 0 } as TraceEvent, "received") });
    } else if (e.kind === "crash" || e.kind === "recover" || e.kind === "pause") {
      out.push({ key: e.i, event: label(e, undefined) });
    }
  }
  out.sort((a, b) => a.key - b.key);
  return out.map(({ event }, i) => ({ ...event, i }) as TraceEvent);
}

/**
 * Events for a diagram of "receiving versus delivering" (slide "Receiving versus delivering"): one
 * arrow per node from a message's broadcast to its receipt by the layer under study, i.e. the
 * moment `layer` (the layer below it, e.g. "eager-reliable-broadcast") handed it up, and a diamond
 * where the layer delivered it to the application. The gap between the two is the time it spent in
 * a buffer. Only the violation's events are labelled (✗).
 */
export function receiptEvents(trace: Trace, layer: string, violation?: Violation): TraceEvent[] {
  const marked = new Set(violation?.events ?? []);
  const label = (e: TraceEvent, text: string) => (marked.has(e.i) ? ({ ...e, label: `✗ ${text}` } as TraceEvent) : e);
  const requestOf = new Map<string, TraceEvent & { kind: "request" }>();
  const sendsSoFar = new Map<number, number>(); // request index -> synthetic sends placed after it
  const out: { key: number; event: TraceEvent }[] = [];
  let nextMsgId = 0;
  for (const e of trace.events) {
    if (e.kind === "request") {
      const id = canonicalId((e.request as { m?: unknown } | null)?.m);
      requestOf.set(id, e);
      out.push({ key: e.i, event: label(e, `bcast ${shortId(id)}`) });
    } else if (e.kind === "deliver" && e.app) {
      out.push({ key: e.i, event: label(e, shortId(e.value)) });
    } else if (e.kind === "deliver" && e.layer === layer && typeof e.value === "object" && e.value !== null && "m" in e.value) {
      const request = requestOf.get(canonicalId((e.value as { m: unknown }).m));
      if (request === undefined || request.node === e.node) continue;
      const k = (sendsSoFar.get(request.i) ?? 0) + 1;
      sendsSoFar.set(request.i, k);
      const msgId = nextMsgId++;
      const msg = e.value as unknown as { type: string };
      out.push({ key: request.i + k / 1e4, event: { kind: "send", i: request.i, t: request.t, node: request.node, local: request.local, msgId, to: e.node, msg, layer } as TraceEvent });
      out.push({ key: e.i, event: { kind: "receive", i: e.i, t: e.t, node: e.node, local: e.local, msgId, from: request.node, msg, copy: 0 } as TraceEvent });
    } else if (e.kind === "crash" || e.kind === "recover") {
      out.push({ key: e.i, event: label(e, e.kind) });
    }
  }
  out.sort((a, b) => a.key - b.key);
  return out.map(({ event }, i) => ({ ...event, i }) as TraceEvent);
}

function shortId(m: unknown): string {
  const id = canonicalId(m);
  return id.length > 12 ? `${id.slice(0, 11)}…` : id;
}

/**
 * The first violation among the results (in the order given), as a verdict with the run's diagram:
 * receipts from `receiptLayer` against deliveries (receiptEvents) when given, else the run at the
 * broadcast layers' level (diagramEvents).
 */
export function verdictOf(run: Scenario, trace: Trace, results: readonly CheckResult[], receiptLayer?: string): Verdict {
  for (const result of results) {
    if (result.ok) continue;
    const violation = result.violations[0];
    const more = result.violations.length > 1 ? ` (${result.violations.length - 1} more violation${result.violations.length > 2 ? "s" : ""} in this run)` : "";
    const events = receiptLayer === undefined ? diagramEvents(trace, violation) : receiptEvents(trace, receiptLayer, violation);
    return fail(`${violation.property}: ${violation.message}${more} [run seed=${run.seed}]`, events);
  }
  return pass;
}

export interface RunShape {
  readonly nodesMin: number;
  readonly nodesMax: number;
  readonly broadcastsMax: number;
  readonly loss: readonly number[];
  readonly duplicate: readonly number[];
  /** At most this many crash-stop faults (each at a different node, never all nodes). */
  readonly crashesMax: number;
  /** Broadcasts happen in [0, spreadMs). */
  readonly spreadMs: number;
  readonly untilMs: number;
  /** Only the first `senders` nodes broadcast (default: all). */
  readonly senders?: number;
}

/** Random broadcast scenarios: nodes, who broadcasts what when (A0 is A's first), the network's faults, crashes. */
export function broadcastRuns(shape: RunShape): fc.Arbitrary<Scenario> {
  return scenarios({
    nodesMin: shape.nodesMin,
    nodesMax: shape.nodesMax,
    requestsMax: shape.broadcastsMax,
    spreadMs: shape.spreadMs,
    untilMs: shape.untilMs,
    request: (node, k) => broadcastRequest(`${node}${k}`),
    ...(shape.senders === undefined ? {} : { senders: shape.senders }),
    loss: shape.loss,
    duplicate: shape.duplicate,
    crashesMax: shape.crashesMax,
    seedPrefix: "broadcast",
  });
}
