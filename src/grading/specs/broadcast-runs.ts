/**
 * Broadcast workloads for the protocol exercises of lecture 4 (4.4-4.7), as scenarios
 * (src/sim/scenario.ts): "on request to broadcast m" at given nodes and times. Loaded in the
 * grader's sandbox too: it imports only the simulator.
 */
import { simulate, type AnyProtocol, type Scenario, type ScenarioRequest, type Trace } from "../../sim/index";

/** The request the broadcast layers take: "broadcast m". */
export function broadcastRequest(m: string): { type: "broadcast"; m: string } {
  return { type: "broadcast", m };
}

/** Broadcasts as scenario requests: [node, atMs, m] each. */
export function broadcasts(list: readonly (readonly [string, number, string])[]): ScenarioRequest[] {
  return list.map(([node, atMs, m]) => ({ node, atMs, request: broadcastRequest(m) }));
}

/**
 * The older shape of a broadcast run, kept for notebook 04's demonstrations; `toScenario` turns it
 * into the one scenario format that everything runs.
 */
export interface BroadcastRun {
  readonly seed: string;
  readonly nodes: readonly string[];
  readonly broadcasts: readonly { readonly node: string; readonly atMs: number; readonly m: string }[];
  readonly loss: number;
  readonly duplicate: number;
  readonly latencyMs: readonly [number, number];
  readonly links?: readonly { readonly from: string; readonly to: string; readonly latencyMs: readonly [number, number] }[];
  readonly crashes: readonly { readonly node: string; readonly atMs: number }[];
  readonly untilMs: number;
}

export function toScenario(run: BroadcastRun): Scenario {
  return {
    seed: run.seed,
    nodes: run.nodes,
    network: { model: "fair-loss", loss: run.loss, duplicate: run.duplicate, latencyMs: run.latencyMs, links: run.links ?? [] },
    requests: run.broadcasts.map((b) => ({ node: b.node, atMs: b.atMs, request: broadcastRequest(b.m) })),
    faults: run.crashes.map((c) => ({ kind: "crash", node: c.node, atMs: c.atMs })),
    untilMs: run.untilMs,
  };
}

/** Simulates `protocol` on a broadcast run (notebook 04). */
export function simulateBroadcast(protocol: AnyProtocol, run: BroadcastRun): Trace {
  return simulate({ ...toScenario(run), description: `${protocol.name}: ${run.broadcasts.length} broadcasts, loss ${run.loss}, duplicate ${run.duplicate}` }, protocol).trace;
}
