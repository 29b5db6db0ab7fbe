/**
 * Measuring a timeout-based failure detector (lecture 2, "Failure detectors": it "cannot tell the
 * difference between crashed node, temporarily unresponsive node, lost message, and delayed
 * message"). Runs the heartbeat detector on two nodes over many seeds and reports how often the
 * monitor falsely suspected a live node, and how long it took to suspect a crashed one, for a given
 * timeout and latency distribution: the trade-off a notebook can plot against the timeout.
 *
 * This helper drives the simulator through its public API (src/sim), like a notebook does.
 */
import { Simulation, type Latency } from "../../sim/index";
import { heartbeatFailureDetector, type HeartbeatOptions } from "./heartbeat";
import { suspicionsFromTrace } from "./check";

export interface DetectorMeasurement {
  readonly timeoutMs: number;
  readonly runs: number;
  /** False suspicions of the live node, summed over all runs (before it crashed). */
  readonly falseSuspicions: number;
  /** Mean false suspicions per run. */
  readonly falseSuspicionsPerRun: number;
  /** Per run: ms from the crash until the monitor suspected the node (undefined: never, within the run). */
  readonly detectionTimesMs: readonly (number | undefined)[];
  /** Mean of the detection times that happened. */
  readonly meanDetectionMs: number;
}

export interface MeasureOptions {
  readonly timeoutMs: number;
  readonly latency: Latency;
  readonly seeds: readonly string[];
  /** Fair-loss probability of each heartbeat. Default 0. */
  readonly loss?: number;
  /** When the monitored node crashes, ms. Default 5000. */
  readonly crashAtMs?: number;
  /** How long to observe after the crash, ms. Default 2000. */
  readonly afterCrashMs?: number;
  readonly detector?: Omit<HeartbeatOptions, "timeoutMs">;
}

/** Monitor "A" watches "B"; B crashes at crashAtMs. */
export function measureHeartbeatDetector(options: MeasureOptions): DetectorMeasurement {
  const crashAtMs = options.crashAtMs ?? 5000;
  const afterCrashMs = options.afterCrashMs ?? 2000;
  if (options.seeds.length === 0) throw new RangeError("measureHeartbeatDetector: need at least one seed");
  let falseSuspicions = 0;
  const detectionTimesMs: (number | undefined)[] = [];
  for (const seed of options.seeds) {
    const sim = new Simulation({
      seed,
      nodes: ["A", "B"],
      protocol: heartbeatFailureDetector({ ...options.detector, timeoutMs: options.timeoutMs }),
      network: { model: options.loss ? "fair-loss" : "reliable", latency: options.latency, ...(options.loss ? { loss: options.loss } : {}) },
    });
    sim.crash("B", crashAtMs);
    const result = sim.run({ untilMs: crashAtMs + afterCrashMs });
    const ofB = suspicionsFromTrace(result.trace.events).filter((s) => s.monitor === "A" && s.node === "B" && s.suspected);
    falseSuspicions += ofB.filter((s) => s.t < crashAtMs).length;
    const detected = ofB.find((s) => s.t >= crashAtMs);
    detectionTimesMs.push(detected === undefined ? undefined : detected.t - crashAtMs);
  }
  const seen = detectionTimesMs.filter((d): d is number => d !== undefined);
  return {
    timeoutMs: options.timeoutMs,
    runs: options.seeds.length,
    falseSuspicions,
    falseSuspicionsPerRun: falseSuspicions / options.seeds.length,
    detectionTimesMs,
    meanDetectionMs: seen.length === 0 ? NaN : seen.reduce((a, b) => a + b, 0) / seen.length,
  };
}
