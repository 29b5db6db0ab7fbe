/**
 * Trusted checks and inputs of the broadcast exercises (4.4-4.7): read the trace a driver returned,
 * make sure it is the run that was asked for, judge it with the kit's checkers (src/checks), and on a
 * failure return the checker's sentence and the run, the offending events marked, for the diagram.
 * Loaded only in the trusted process (it imports fast-check).
 */
import type * as fc from "fast-check";
import type { CheckResult } from "../../checks/check-result";
import type { Scenario } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { layerView } from "../../viz/layer-view";
import { fail, pass, type Verdict } from "../define";
import { readTrace, scenarios, type ScenarioShape } from "../scenarios";

/**
 * The first violation among the results (in the order given), as a verdict with the run's diagram
 * (src/viz/layer-view.ts), the violation's events marked ✗. By default it is drawn at the level the
 * exercise works at: the reliable links abstracted, so each arrow is one message of the broadcast
 * layers, from its first transmission to its receipt. With `receiptLayer` (e.g.
 * "eager-reliable-broadcast"), a diagram of "receiving versus delivering" (slide "Receiving versus
 * delivering") instead: an arrow for each message that layer hands to the layer above it, and the
 * deliveries to the application; the gap between the two is the time a message spent in a buffer.
 */
export function verdictOf(run: Scenario, trace: Trace, results: readonly CheckResult[], receiptLayer?: string): Verdict {
  for (const result of results) {
    if (result.ok) continue;
    const violation = result.violations[0];
    const more = result.violations.length > 1 ? ` (${result.violations.length - 1} more violation${result.violations.length > 2 ? "s" : ""} in this run)` : "";
    const events = layerView(trace, { receivedFrom: receiptLayer, marked: violation.events }).events;
    return fail(`${violation.property}: ${violation.message}${more} [run seed=${run.seed}]`, events);
  }
  return pass;
}

/** A trusted check of a run's trace: read it (readTrace), then judge it with the checkers (verdictOf). */
export function judgeRun(checkers: (trace: Trace) => CheckResult[], receiptLayer?: string): (run: Scenario, output: unknown) => Verdict {
  return (run, output) => {
    const trace = readTrace(run, output);
    return trace instanceof Trace ? verdictOf(run, trace, checkers(trace), receiptLayer) : trace;
  };
}

/** The shape of random broadcast runs (see ScenarioShape); only the first `senders` nodes broadcast (default: all). */
export type RunShape = Pick<ScenarioShape, "nodesMin" | "nodesMax" | "loss" | "duplicate" | "crashesMax" | "spreadMs" | "untilMs" | "senders"> & {
  readonly broadcastsMax: number;
};

/** Random broadcast scenarios: nodes, who broadcasts what when (A0 is A's first), the network's faults, crashes. */
export function broadcastRuns({ broadcastsMax, ...shape }: RunShape): fc.Arbitrary<Scenario> {
  return scenarios({ ...shape, requestsMax: broadcastsMax, request: (node, k) => ({ type: "broadcast", m: `${node}${k}` }), seedPrefix: "broadcast" });
}
