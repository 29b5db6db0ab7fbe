/**
 * The explorer's speed (part of `npm run bench`): distinct states per second on two generals and on
 * FIFO broadcast over 3 nodes (two broadcasts from A, every delivery order), and the number of new
 * states at each depth. Each search is run to exhaustion (or to its first violation), best of 3.
 */
import { explore, fifoOrder, noDuplicateDelivery, type ExploreOptions } from "../src/explore";
import { eagerReliableBroadcast } from "../src/protocols/broadcast/eager-reliable";
import { fifoBroadcast } from "../src/protocols/broadcast/fifo";
import { acknowledgementChain, kMessengers, twoGeneralsSearch } from "../src/protocols/generals/two-generals";
import { fairLossLink } from "../src/protocols/links/fair-loss-link";
import { stack } from "../src/protocols/stack";

function fifoOverThree(broadcasts: number): ExploreOptions {
  return {
    protocol: stack(fifoBroadcast(), stack(eagerReliableBroadcast(), fairLossLink())),
    nodes: ["A", "B", "C"],
    requests: Array.from({ length: broadcasts }, (_, k) => ({ node: "A", request: { type: "broadcast", m: `A${k}` } })),
    issueRequests: "start",
    network: { model: "reliable" },
    timers: { fire: "never" },
    invariants: [fifoOrder(), noDuplicateDelivery()],
    bounds: { maxDepth: 40, maxStates: 500_000 },
  };
}

export function benchExplorer(repeats = 3): { name: string; states: number; perSecond: number; verdict: string; statesAtDepth: readonly number[] }[] {
  const searches: [string, ExploreOptions][] = [
    ["two generals, 8 messengers (every loss pattern)", { ...twoGeneralsSearch(kMessengers(8)), invariants: [] }],
    ["two generals, acknowledgement chain of 12", { ...twoGeneralsSearch(acknowledgementChain(12)), invariants: [] }],
    ["FIFO broadcast, 3 nodes, 2 broadcasts", fifoOverThree(2)],
  ];
  const rows = [];
  for (const [name, options] of searches) {
    let best = 0;
    let last = explore(options);
    for (let k = 0; k < repeats; k++) {
      const started = process.hrtime.bigint();
      last = explore(options);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      best = Math.max(best, last.states / seconds);
    }
    rows.push({ name, states: last.states, perSecond: best, verdict: last.verdict, statesAtDepth: last.statesAtDepth });
  }
  return rows;
}

if (require.main === module) {
  for (const row of benchExplorer()) console.log(row);
}
