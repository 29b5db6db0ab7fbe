/**
 * Trusted checks and inputs of the broadcast exercises (4.4-4.7): read the trace a driver returned,
 * make sure it is the run that was asked for, judge it with the kit's checkers (src/checks), and on a
 * failure return the checker's sentence and the run, the offending events marked, for the diagram.
 * Loaded only in the trusted process (it imports fast-check).
 */
import type * as fc from "fast-check";
import type { CheckResult, Violation } from "../../checks/check-result";
import type { Scenario } from "../../sim/scenario";
import type { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { layerView } from "../../viz/layer-view";
import { fail, pass, type Verdict } from "../define";
import { scenarios } from "../scenarios";
import { broadcastRequest } from "./broadcast-runs";

export { readTrace } from "../scenarios";

/**
 * Events for the failure's diagram, drawn at the level the exercise works at (src/viz/layer-view.ts):
 * the reliable links abstracted, so each arrow is one message of the broadcast layers, from its first
 * transmission to its receipt; the violation's events marked ✗.
 */
export function diagramEvents(trace: Trace, violation: Violation | undefined, keep?: (e: TraceEvent) => boolean): TraceEvent[] {
  return [...layerView(trace, { ...(violation === undefined ? {} : { marked: violation.events }), ...(keep === undefined ? {} : { keep }) }).events];
}

/**
 * Events for a diagram of "receiving versus delivering" (slide "Receiving versus delivering"): an
 * arrow for each message `layer` (e.g. "eager-reliable-broadcast") hands to the layer above it, and
 * the deliveries to the application; the gap between the two is the time a message spent in a
 * buffer. The violation's events marked ✗.
 */
export function receiptEvents(trace: Trace, layer: string, violation?: Violation): TraceEvent[] {
  return [...layerView(trace, { receivedFrom: layer, ...(violation === undefined ? {} : { marked: violation.events }) }).events];
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
