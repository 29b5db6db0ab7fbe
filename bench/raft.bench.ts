/**
 * The Raft campaign (issue 14; part of `npm run bench`): at least 1000 seeds of 5 nodes with crashes
 * and recoveries, partitions, loss, duplication and reordering (src/checks/raft-campaign.ts). Fails
 * (exit 1) on any safety violation, or a run with no leader or a missing delivery within the bound
 * after the faults stop; prints the distributions of the time to a leader and to every broadcast
 * delivered. Run alone: `node -r tsx/cjs bench/raft.bench.ts [seeds]`.
 */
import { raftCampaignRun, type CampaignRun } from "../src/checks/raft-campaign";
import { raft } from "../src/protocols/raft";

function quantiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const f = (x: number) => `${Math.round(x)} ms`;
  return `min ${f(sorted[0]!)}, median ${f(q(0.5))}, p90 ${f(q(0.9))}, p99 ${f(q(0.99))}, max ${f(sorted[sorted.length - 1]!)}`;
}

export function benchRaft(seeds: number): { runs: CampaignRun[]; seconds: number } {
  const started = process.hrtime.bigint();
  const runs: CampaignRun[] = [];
  for (let k = 0; k < seeds; k++) runs.push(raftCampaignRun(`raft-campaign-${k}`, raft()));
  return { runs, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

if (require.main === module) {
  const seeds = Number(process.argv[2] ?? 1000);
  if (!Number.isSafeInteger(seeds) || seeds < 1) throw new RangeError(`seeds must be a positive integer, got ${process.argv[2]}`);
  const { runs, seconds } = benchRaft(seeds);
  const bad = runs.filter((r) => r.violations.length > 0);
  const noLeader = runs.filter((r) => r.leaderAfterMs === undefined);
  const missing = runs.filter((r) => r.committedAfterMs === undefined);
  const sum = (f: (r: CampaignRun) => number) => runs.reduce((s, r) => s + f(r), 0);
  console.log(`raft campaign: ${runs.length} seeds in ${seconds.toFixed(1)} s; ${sum((r) => r.broadcasts)} broadcasts, ${sum((r) => r.crashes)} scheduled crashes, ${sum((r) => r.leaderCrashes)} leader crashes, ${sum((r) => r.voterCrashes)} crashes just after a vote, ${sum((r) => r.partitions)} partitions, ${sum((r) => r.events)} events; highest term ${Math.max(...runs.map((r) => r.maxTerm))}`);
  console.log(`  safety violations: ${bad.length} runs${bad.length > 0 ? ` (first: seed=${bad[0]!.seed}: ${bad[0]!.violations[0]!.message})` : ""}`);
  console.log(`  leader followed by all, after the faults stop: ${quantiles(runs.filter((r) => r.leaderAfterMs !== undefined).map((r) => r.leaderAfterMs!))}; none within the bound: ${noLeader.length}`);
  console.log(`  every broadcast delivered everywhere, after the faults stop: ${quantiles(runs.filter((r) => r.committedAfterMs !== undefined).map((r) => r.committedAfterMs!))}; not within the bound: ${missing.length}`);
  if (bad.length > 0 || noLeader.length > 0 || missing.length > 0) process.exitCode = 1;
}
