/** Drivers of Exercise 2.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/failure-detector";
import { latency, type Latency } from "../../../sim/network";
import { Simulation } from "../../../sim/simulation";
import { Trace } from "../../../sim/trace";

type Module = typeof Student;

export const NODE_NAMES = ["A", "B", "C", "D"];
/** The detector must have settled SETTLE_MS + SETTLE_PER_BOUND x the latency bound after both GST and the last crash... */
export const SETTLE_MS = 8000;
export const SETTLE_PER_BOUND = 8;
/** ...and stay right for this long, until the end of the run. */
export const WINDOW_MS = 4000;

/** A partially synchronous run: GST, the latency bound after it, and crash-stop faults (node indices). */
export interface DetectorScenario {
  readonly seed: number;
  readonly nodes: number;
  readonly gstMs: number;
  readonly latencyMsMax: number;
  readonly crashes: readonly { readonly node: number; readonly atMs: number }[];
}

/** When the properties must hold: [fromMs, endMs]. */
export function observation(input: DetectorScenario): { fromMs: number; endMs: number } {
  const settled = Math.max(input.gstMs, ...input.crashes.map((c) => c.atMs));
  const fromMs = settled + SETTLE_MS + SETTLE_PER_BOUND * input.latencyMsMax;
  return { fromMs, endMs: fromMs + WINDOW_MS };
}

/**
 * Links that are sometimes congested ("congestion/contention causing queueing", lecture 2): each
 * directed link alternates between fast periods (1-3 ms latency) and congested ones (within 5 ms of the
 * bound), each lasting a little longer than the bound. At the start of each congested
 * period, heartbeats stop arriving for about the bound: the longest gap a detector will see after
 * GST, and it sees it every time, so a detector that adapts to it does so within a few periods.
 */
export function congestedLinks(now: () => number, latencyMsMax: number): Latency {
  const phases = new Map<string, { congested: boolean; untilMs: number }>();
  return latency.fn((random, from, to) => {
    const link = `${from}>${to}`;
    let phase = phases.get(link);
    if (phase === undefined) {
      phase = { congested: false, untilMs: now() + random.exponential(300) };
      phases.set(link, phase);
    }
    // Bounded: each step moves untilMs forward by more than the bound.
    for (let steps = 0; now() >= phase.untilMs; steps++) {
      if (steps > 1e6) throw new Error("congestedLinks: phase bound exceeded");
      phase.congested = !phase.congested;
      // A fast period outlasts the bound, so the congested period's messages have all arrived before the next one.
      phase.untilMs += latencyMsMax + (phase.congested ? random.uniform(100, 300) : 50 + random.exponential(300));
    }
    return phase.congested ? random.uniform(latencyMsMax - 5, latencyMsMax) : random.uniform(1, 3);
  }, `congested links (bound ${latencyMsMax} ms)`);
}

export const drivers = {
  /** Your detector at every node under partial synchrony with crashes; the trace (without timer events) as JSON. */
  run: (student: Module, input: DetectorScenario): string => {
    const nodes = NODE_NAMES.slice(0, input.nodes);
    const sim: Simulation = new Simulation({
      seed: `failure-detector-${input.seed}`,
      nodes,
      protocol: student.eventuallyPerfectFailureDetector(),
      network: { model: "reliable", latency: congestedLinks((): number => sim.now, input.latencyMsMax) },
      timing: {
        model: "partially-synchronous",
        gstMs: input.gstMs,
        latencyMsMax: input.latencyMsMax,
        delayProbability: 0.2,
        delayMeanMs: 500,
        pausesPerSecond: 0.5,
        pauseMeanMs: 300,
      },
    });
    for (const crash of input.crashes) sim.crash(nodes[crash.node], crash.atMs);
    const result = sim.run({ untilMs: observation(input).endMs });
    // Timer events are most of a run and say nothing the checks need: leave them out.
    const events = result.trace.events.filter((e) => e.kind !== "timer");
    return new Trace({ seed: result.trace.seed, nodes: result.trace.nodes, description: result.trace.description }, events).toJSON();
  },
};
