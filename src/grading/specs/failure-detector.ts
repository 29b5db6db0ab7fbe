/**
 * Graded tests of Exercise 2.3, an eventually perfect failure detector under partial synchrony
 * (lecture 2, slides "Failure detectors" and "Failure detection and partial synchrony").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { checkEventuallyPerfect, type Suspicion } from "../../protocols/failure-detectors/check";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { NODE_NAMES, SETTLE_MS, SETTLE_PER_BOUND, WINDOW_MS, drivers, observation, type DetectorScenario } from "./drivers/failure-detector";
import { preview } from "../scenarios";
import { parseTrace } from "./trace-output";

/** Heartbeats allowed: one per other node every 20 ms, with slack for a node's first round. */
function sendsAllowed(n: number, endMs: number): number {
  return n * (n - 1) * (Math.ceil(endMs / 20) + 2);
}

/** Trusted check: strong completeness and eventual strong accuracy over [fromMs, endMs]. */
export function checkDetector(input: DetectorScenario, output: unknown): Verdict {
  const trace = parseTrace(output);
  if (!(trace instanceof Trace)) return trace;
  const events = trace.events;
  const nodes = NODE_NAMES.slice(0, input.nodes);
  const { fromMs, endMs } = observation(input);
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
  const crashed = new Map<string, number>(input.crashes.map((c) => [nodes[c.node], c.atMs]));
  const violations = checkEventuallyPerfect({ nodes, suspicions, crashed, fromMs, endMs });
  if (violations.length === 0) return pass;
  const v = violations[0];
  const at = Number(v.atMs.toFixed(1));
  const what = v.property === "strong completeness"
    ? `${v.monitor} does not suspect ${v.node} at ${at} ms, although ${v.node} crashed at ${crashed.get(v.node)} ms`
    : `${v.monitor} suspects ${v.node} at ${at} ms, although ${v.node} has not crashed`;
  const context = `GST at ${input.gstMs} ms, latency at most ${input.latencyMsMax} ms after it` +
    (input.crashes.length === 0 ? ", no crashes" : `, ${[...crashed].map(([n, t]) => `${n} crashed at ${t} ms`).join(", ")}`) +
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

/** Random partially synchronous runs with 0 to n - 1 crashes. */
export function detectorScenarios(options: { crashesMax: number; latencies: readonly number[] }): fc.Arbitrary<DetectorScenario> {
  return fc.integer({ min: 3, max: 4 }).chain((n) =>
    fc.record({
      seed: fc.nat(),
      nodes: fc.constant(n),
      gstMs: fc.integer({ min: 500, max: 3000 }),
      latencyMsMax: fc.constantFrom(...options.latencies),
      crashes: fc.uniqueArray(fc.record({ node: fc.nat(n - 1), atMs: fc.integer({ min: 0, max: 5000 }) }), {
        maxLength: Math.min(options.crashesMax, n - 1),
        selector: (c) => c.node,
      }),
    }),
  );
}

export const failureDetector = defineExercise({
  id: "2.3",
  title: "Eventually perfect failure detector",
  slide: "Failure detection and partial synchrony",
  module: "failure-detector",
  drivers,
  tests: [
    {
      name: "no crashes: eventually nobody is suspected",
      points: 1,
      category: "basic",
      description: `3 nodes, GST at 1 s, latency up to 50 or 600 ms after it: from ${SETTLE_MS / 1000} s + ${SETTLE_PER_BOUND} x the bound after GST on, no node suspects another.`,
      driver: "run",
      inputs: [
        { seed: 1, nodes: 3, gstMs: 1000, latencyMsMax: 50, crashes: [] },
        { seed: 2, nodes: 3, gstMs: 1000, latencyMsMax: 600, crashes: [] },
      ],
      check: checkDetector,
    },
    {
      name: "a crash: eventually suspected by everyone, for ever",
      points: 1,
      category: "crashes",
      description: "3 nodes, C crashes before or after GST: the others end up suspecting C, and only C, for good.",
      driver: "run",
      inputs: [
        { seed: 3, nodes: 3, gstMs: 1000, latencyMsMax: 200, crashes: [{ node: 2, atMs: 400 }] },
        { seed: 4, nodes: 3, gstMs: 1000, latencyMsMax: 200, crashes: [{ node: 2, atMs: 2500 }] },
      ],
      check: checkDetector,
    },
    {
      name: "partial synchrony: strong completeness and eventual strong accuracy",
      points: 4,
      category: "randomised",
      description: `Random seeds, 3-4 nodes, GST at 0.5-3 s, a latency bound of 50, 200 or 600 ms after GST, up to n - 1 crashes at 0-5 s: from ${SETTLE_MS / 1000} s + ${SETTLE_PER_BOUND} x the bound after both GST and the last crash, for ${WINDOW_MS / 1000} s, each correct node suspects exactly the crashed nodes.`,
      driver: "run",
      arbitrary: detectorScenarios({ crashesMax: 3, latencies: [50, 200, 600] }),
      runs: 25,
      check: checkDetector,
    },
  ],
});
