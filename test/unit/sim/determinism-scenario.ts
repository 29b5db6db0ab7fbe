/**
 * A scenario exercising every source of randomness (latency, loss, duplication, timing model,
 * pauses, crashes, partitions, drifting clocks, protocol randomness), for the determinism tests.
 * Run directly (`tsx determinism-scenario.ts N`), it prints the trace hashes of seeds 0..N-1.
 */
import { Simulation, latency } from "../../../src/sim";
import { pingPong } from "../../../src/protocols/ping-pong";

export function scenarioHash(seed: number): string {
  const sim = new Simulation({
    seed: `det-${seed}`,
    nodes: ["A", "B", "C", "D"],
    protocol: pingPong({ retryMs: 30, maxAttempts: 5 }),
    network: { model: "fair-loss", loss: 0.2, duplicate: 0.1, latency: latency.logNormal(8, 0.6) },
    timing: { model: "partially-synchronous", gstMs: 300, latencyMsMax: 40 },
    clocks: { B: { driftPpm: 200, offsetMs: 3 }, C: { driftPpm: (t) => 50 * Math.sin(t / 100), driftIntervalMs: 10 } },
  });
  const workload = sim.random("workload");
  for (let k = 0; k < 30; k++) {
    const from = workload.pick(["A", "B", "C", "D"]);
    const to = workload.pick(["A", "B", "C", "D"].filter((n) => n !== from));
    sim.request(from, { type: "ping", to }, workload.uniform(0, 500));
  }
  sim.crash("D", 100 + workload.uniform(0, 100), { recoverAtMs: 400 });
  sim.partition({ groups: [["A", "B"], ["C", "D"]], atMs: 200, healAtMs: 260 });
  return sim.run().trace.hash();
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? "100");
  for (let seed = 0; seed < n; seed++) console.log(scenarioHash(seed));
}
