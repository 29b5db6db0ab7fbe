/** A seeded broadcast workload for the broadcast tests: random broadcasts over a lossy, duplicating, reordering network. */
import { Simulation, latency, type AnyProtocol, type Trace } from "../../../../src/sim";

export const SEEDS = Array.from({ length: 50 }, (_, k) => `broadcast-${k}`);

export interface Workload {
  nodes?: string[];
  /** Broadcasts per node (default 4). */
  perNode?: number;
  loss?: number;
  duplicate?: number;
  /** Crash these nodes at the given times (crash-stop). */
  crashes?: [string, number][];
  untilMs?: number;
  /** Broadcasts happen in [0, spreadMs) (default 300). */
  spreadMs?: number;
}

export function runBroadcast(seed: string, protocol: AnyProtocol, w: Workload = {}): Trace {
  const nodes = w.nodes ?? ["A", "B", "C", "D"];
  const sim = new Simulation({
    seed,
    nodes,
    protocol,
    network: { model: "fair-loss", latency: latency.uniform(1, 60), loss: w.loss ?? 0.2, duplicate: w.duplicate ?? 0.1 },
  });
  // Request times from a tiny LCG on the seed, so the workload does not touch the run's streams.
  let x = [...seed].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 2147483647, 11);
  const next = () => (x = (x * 48271) % 2147483647);
  const spread = w.spreadMs ?? 300;
  for (const node of nodes) {
    for (let k = 0; k < (w.perNode ?? 4); k++) sim.request(node, { type: "broadcast", m: `${node}${k}` }, (next() % (spread * 10)) / 10);
  }
  for (const [node, atMs] of w.crashes ?? []) sim.crash(node, atMs);
  return sim.run({ untilMs: w.untilMs ?? 4000 }).trace;
}
