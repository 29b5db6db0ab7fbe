/**
 * Graded tests of Exercise 2.3, an eventually perfect failure detector under partial synchrony
 * (lecture 2, slides "Failure detectors" and "Failure detection and partial synchrony").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import type { Scenario, ScenarioFault } from "../../sim/scenario";
import { checkEventuallyPerfect, type Suspicion } from "../../protocols/failure-detectors/check";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { drivers } from "./drivers/failure-detector";
import { crashesOf, preview, readTrace, scenarios } from "../scenarios";

/** The detector must have settled SETTLE_MS + SETTLE_PER_BOUND x the latency bound after both GST and the last crash... */
export const SETTLE_MS = 8000;
export const SETTLE_PER_BOUND = 8;
/** ...and stay right for this long, until the end of the run. */
export const WINDOW_MS = 4000;
/**
 * In a run that is synchronous from the start (GST at 0, so no delay before it has made any timeout
 * grow), the detector must have settled QUICK_SETTLE_MS + SETTLE_PER_BOUND x the bound after the last
 * crash. Beside the SLOW_MS runs this leaves no fixed timeout that passes: one long enough for a slow
 * network misses this deadline, one short enough for it suspects correct nodes on a slow network.
 */
export const QUICK_SETTLE_MS = 1000;
/**
 * The slowest latency bound after GST in the tests, ms. Every test has a run with it, so a fixed
 * timeout below it (e.g. the library's heartbeat detector with a timeout tuned to beat the smaller
 * bounds) earns nothing: it keeps suspecting correct nodes whenever a heartbeat is that late.
 */
export const SLOW_MS = 4000;

/**
 * A partially synchronous run: asynchronous until GST (delays, pauses), then every message within
 * boundMs over links that are congested now and then; crash-stop faults. It ends when the detector
 * has been right for WINDOW_MS.
 */
export function detectorScenario(
  seed: string,
  nodes: readonly string[],
  gstMs: number,
  boundMs: number,
  crashes: readonly (readonly [string, number])[],
  others: readonly ScenarioFault[] = [],
  settleMs: number = SETTLE_MS,
): Scenario {
  const faults: ScenarioFault[] = [...crashes.map(([node, atMs]): ScenarioFault => ({ kind: "crash", node, atMs })), ...others];
  return {
    seed,
    nodes,
    network: { latencyMs: { congested: boundMs } },
    timing: { model: "partially-synchronous", gstMs, latencyMsMax: boundMs, delayProbability: 0.2, delayMeanMs: 500, pausesPerSecond: 0.5, pauseMeanMs: 300 },
    faults,
    untilMs: settledAt(gstMs, faults) + settleMs + SETTLE_PER_BOUND * boundMs + WINDOW_MS,
  };
}

/**
 * When the system has settled: GST, the last crash, and the end of the last partition. (A clock
 * step is not a fault of the system model: a detector that measures time with the monotonic clock,
 * as the contract says, does not notice it, so a step may fall inside the observation window.)
 */
function settledAt(gstMs: number, faults: readonly ScenarioFault[]): number {
  const times = faults.flatMap((f) => (f.kind === "crash" ? [f.atMs] : f.kind === "partition" || f.kind === "cut" ? [f.healAtMs ?? Infinity] : []));
  return Math.max(gstMs, ...times);
}

/** Heartbeats allowed: one per other node every 20 ms, with slack for a node's first round. */
function sendsAllowed(n: number, endMs: number): number {
  return n * (n - 1) * (Math.ceil(endMs / 20) + 2);
}

/** Trusted check: strong completeness and eventual strong accuracy over [fromMs, endMs]. */
export function checkDetector(scenario: Scenario, output: unknown): Verdict {
  const trace = readTrace(scenario, output);
  if (!(trace instanceof Trace)) return trace;
  const events = trace.events;
  const nodes = [...scenario.nodes];
  const { gstMs, latencyMsMax: boundMs } = scenario.timing as { gstMs: number; latencyMsMax: number };
  const crashed = new Map(crashesOf(scenario));
  // The properties must hold over [fromMs, endMs], the run's last WINDOW_MS.
  const endMs = scenario.untilMs;
  const fromMs = endMs - WINDOW_MS;
  const suspicions: Suspicion[] = [];
  let sends = 0;
  for (const e of events) {
    if (e.kind === "send") sends += 1;
    if (e.kind !== "deliver" || !e.app) continue;
    const v = e.value as { type?: unknown; node?: unknown } | null;
    if (v === null || typeof v !== "object" || (v.type !== "suspect" && v.type !== "restore") || typeof v.node !== "string" || !nodes.includes(v.node) || v.node === e.node) {
      return fail(`at ${e.t.toFixed(1)} ms ${e.node} delivered ${preview(e.value)}; expected { type: "suspect" | "restore", node } naming another node (${nodes.join(", ")})`, events);
    }
    suspicions.push({ t: e.t, monitor: e.node, node: v.node, suspected: v.type === "suspect" });
  }
  if (sends > sendsAllowed(nodes.length, endMs)) {
    return fail(`${sends} messages sent in ${(endMs / 1000).toFixed(1)} s by ${nodes.length} nodes: more than one heartbeat to each node every 20 ms`);
  }
  const violations = checkEventuallyPerfect({ nodes, suspicions, crashed, fromMs, endMs });
  if (violations.length === 0) return pass;
  const v = violations[0];
  const at = Number(v.atMs.toFixed(1));
  const what = v.property === "strong completeness"
    ? `${v.monitor} does not suspect ${v.node} at ${at} ms, although ${v.node} crashed at ${crashed.get(v.node)} ms`
    : `${v.monitor} suspects ${v.node} at ${at} ms, although ${v.node} has not crashed`;
  const context = `GST at ${gstMs} ms, latency at most ${boundMs} ms after it` +
    (crashed.size === 0 ? ", no crashes" : `, ${[...crashed].map(([n, t]) => `${n} crashed at ${t} ms`).join(", ")}`) +
    `; the detector must be right from ${fromMs} ms to ${endMs} ms`;
  return fail(`${v.property} violated: ${what} (${context})`, aroundViolation(events, v.monitor, v.atMs));
}

/**
 * The trace to draw for a violation: every event except messages, plus the messages the monitor
 * received in the 2 s around the violation (thousands of heartbeats would hide it).
 */
function aroundViolation(events: readonly TraceEvent[], monitor: string, atMs: number): TraceEvent[] {
  const shown = new Set<number>();
  for (const e of events) {
    if (e.kind === "send" && e.to === monitor && e.t >= atMs - 1500 && e.t <= atMs + 500) shown.add(e.msgId);
  }
  return events.filter((e) => (e.kind !== "send" && e.kind !== "receive" && e.kind !== "drop") || shown.has(e.msgId));
}

/**
 * Random partially synchronous runs: 3-4 nodes, GST at 0.5-3 s, a bound from `latencies`, up to
 * min(crashesMax, n - 1) crashes at 0-5 s; with `synchronousToo`, one run in four is synchronous from
 * the start instead (GST at 0, a bound of 50 or 200 ms) and must settle within QUICK_SETTLE_MS.
 */
export function detectorScenarios(options: { crashesMax: number; latencies: readonly number[]; synchronousToo?: boolean }): fc.Arbitrary<Scenario> {
  const runs = scenarios({ nodesMin: 3, nodesMax: 4, requestsMax: 0, spreadMs: 4900, untilMs: 4900, crashesMax: options.crashesMax, seedPrefix: "failure-detector" });
  const partiallySynchronous = fc
    .tuple(runs, fc.integer({ min: 500, max: 3000 }), fc.constantFrom(...options.latencies))
    .map(([run, gstMs, boundMs]) => detectorScenario(run.seed, run.nodes, gstMs, boundMs, crashesOf(run)));
  if (options.synchronousToo !== true) return partiallySynchronous;
  const synchronous = fc.tuple(runs, fc.constantFrom(50, 200)).map(([run, boundMs]) => detectorScenario(run.seed, run.nodes, 0, boundMs, crashesOf(run), [], QUICK_SETTLE_MS));
  return fc.oneof({ arbitrary: partiallySynchronous, weight: 3 }, { arbitrary: synchronous, weight: 1 });
}

export const failureDetector = defineExercise({
  id: "2.3",
  title: "Eventually perfect failure detector",
  slide: "Failure detection and partial synchrony",
  module: "failure-detector",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "no crashes: eventually nobody is suspected",
      points: 1,
      category: "basic",
      description: `3 nodes, GST at 1 s, latency up to 50 ms, 600 ms or 4 s after it: from ${SETTLE_MS / 1000} s + ${SETTLE_PER_BOUND} x the bound after GST on, no node suspects another.`,
      driver: "run",
      inputs: [
        detectorScenario("failure-detector-1", ["A", "B", "C"], 1000, 50, []),
        detectorScenario("failure-detector-2", ["A", "B", "C"], 1000, 600, []),
        detectorScenario("failure-detector-slow-1", ["A", "B", "C"], 1000, SLOW_MS, []),
      ],
      check: checkDetector,
    },
    {
      name: "a crash: eventually suspected by everyone, for ever",
      points: 1,
      category: "crashes",
      description: `3 nodes, C crashes before or after GST (latency up to 200 ms or 4 s after it): the others end up suspecting C, and only C, for good. In a run synchronous from the start (GST at 0, latency up to 50 ms), they must suspect C within ${QUICK_SETTLE_MS / 1000} s + ${SETTLE_PER_BOUND} x the bound of its crash.`,
      driver: "run",
      inputs: [
        detectorScenario("failure-detector-quick-1", ["A", "B", "C"], 0, 50, [["C", 2000]], [], QUICK_SETTLE_MS),
        detectorScenario("failure-detector-3", ["A", "B", "C"], 1000, 200, [["C", 400]]),
        detectorScenario("failure-detector-4", ["A", "B", "C"], 1000, 200, [["C", 2500]]),
        detectorScenario("failure-detector-slow-2", ["A", "B", "C"], 1000, SLOW_MS, [["C", 3000]]),
      ],
      check: checkDetector,
    },
    {
      name: "partial synchrony: strong completeness and eventual strong accuracy",
      points: 4,
      category: "randomised",
      description: `Random seeds, 3-4 nodes, GST at 0.5-3 s, a latency bound of 50, 200 or 600 ms or 4 s after GST, up to n - 1 crashes at 0-5 s: from ${SETTLE_MS / 1000} s + ${SETTLE_PER_BOUND} x the bound after both GST and the last crash, for ${WINDOW_MS / 1000} s, each correct node suspects exactly the crashed nodes. One run in four is synchronous from the start (GST at 0, a bound of 50 or 200 ms) and must be right from ${QUICK_SETTLE_MS / 1000} s + ${SETTLE_PER_BOUND} x the bound after the last crash: no fixed timeout suits both kinds of run.`,
      driver: "run",
      arbitrary: detectorScenarios({ crashesMax: 3, latencies: [50, 200, 600, SLOW_MS], synchronousToo: true }),
      runs: 20,
      check: checkDetector,
    },
    {
      name: "a partition heals after both sides suspect each other: both restore",
      points: 1,
      category: "unreliable network",
      description: "Before GST, A is cut off from B and C for 3 s (long enough for both sides to suspect the other), then the partition heals: eventually nobody suspects anybody. A detector that stops heartbeating to the nodes it suspects never finds out it was wrong.",
      driver: "run",
      inputs: [
        detectorScenario("failure-detector-heal-1", ["A", "B", "C"], 6000, 50, [], [{ kind: "partition", groups: [["A"], ["B", "C"]], atMs: 1000, healAtMs: 4000 }]),
        detectorScenario("failure-detector-heal-2", ["A", "B", "C", "D"], 6000, 200, [["D", 7000]], [{ kind: "partition", groups: [["A", "B"], ["C", "D"]], atMs: 500, healAtMs: 5000 }]),
        detectorScenario("failure-detector-heal-3", ["A", "B", "C"], 6000, SLOW_MS, [], [{ kind: "partition", groups: [["A"], ["B", "C"]], atMs: 1000, healAtMs: 4000 }]),
      ],
      check: checkDetector,
    },
    {
      name: "Monotonic and time-of-day clocks: an NTP step of the time-of-day clock changes nothing",
      points: 1,
      category: "clocks",
      description: "Inside the observation window, NTP steps A's time-of-day clock forward by a minute, and B's back by a minute. Timeouts measured with ctx.clock.monotonic(), as the contract says, do not notice; timeouts measured with the time-of-day clock see a minute of silence (a false suspicion) or none at all.",
      driver: "run",
      inputs: [
        detectorScenario("failure-detector-step-1", ["A", "B", "C"], 1000, 50, [], [
          { kind: "clock-step", node: "A", atMs: 11_000, deltaMs: 60_000 },
          { kind: "clock-step", node: "B", atMs: 11_500, deltaMs: -60_000 },
        ]),
        detectorScenario("failure-detector-step-2", ["A", "B", "C"], 1000, 200, [["C", 10_600]], [{ kind: "clock-step", node: "B", atMs: 10_500, deltaMs: -60_000 }]),
        detectorScenario("failure-detector-step-3", ["A", "B", "C"], 1000, SLOW_MS, [], [{ kind: "clock-step", node: "C", atMs: 42_000, deltaMs: 60_000 }]),
      ],
      check: checkDetector,
    },
  ],
});
