/**
 * Broadcast workloads for the protocol exercises of lecture 4 (4.4-4.7): the driver side. A run
 * is plain data (so fast-check can draw and shrink it in the trusted process); this file turns it
 * into a simulation of the student's layer over the kit's lower layers and returns the trace.
 * Loaded in the grader's sandbox: it imports only the simulator and the kit's protocols.
 */
import { Simulation, latency, type AnyProtocol, type Trace } from "../../sim/index";

export interface BroadcastRun {
  readonly seed: string;
  /** The nodes, in the order of ctx.nodes. */
  readonly nodes: readonly string[];
  /** "on request to broadcast m": at which node, when (ms) and which payload (distinct strings). */
  readonly broadcasts: readonly { readonly node: string; readonly atMs: number; readonly m: string }[];
  /** fair-loss network: probabilities that a message is lost, or arrives twice. */
  readonly loss: number;
  readonly duplicate: number;
  /** One-way latency, uniform in [min, max] ms (so messages overtake each other). */
  readonly latencyMs: readonly [number, number];
  /** Directed links with a latency range of their own (e.g. one slow link). */
  readonly links?: readonly { readonly from: string; readonly to: string; readonly latencyMs: readonly [number, number] }[];
  /** Crash-stop faults. */
  readonly crashes: readonly { readonly node: string; readonly atMs: number }[];
  readonly untilMs: number;
}

/** Simulates `protocol` (the student's layer stacked on the kit's) on the run's workload. */
export function simulateBroadcast(protocol: AnyProtocol, run: BroadcastRun): Trace {
  const [low, high] = run.latencyMs;
  const sim = new Simulation({
    seed: run.seed,
    nodes: run.nodes,
    protocol,
    network: {
      model: "fair-loss",
      latency: latency.uniform(low, high),
      loss: run.loss,
      duplicate: run.duplicate,
      links: (run.links ?? []).map((l) => ({ from: l.from, to: l.to, latency: latency.uniform(l.latencyMs[0], l.latencyMs[1]) })),
    },
    description: `${protocol.name}: ${run.broadcasts.length} broadcasts, loss ${run.loss}, duplicate ${run.duplicate}`,
  });
  for (const b of run.broadcasts) sim.request(b.node, { type: "broadcast", m: b.m }, b.atMs);
  for (const c of run.crashes) sim.crash(c.node, c.atMs);
  return sim.run({ untilMs: run.untilMs }).trace;
}
