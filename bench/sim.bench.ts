/**
 * Simulator throughput: deliveries per second for 5, 100 and 1000 nodes passing tokens around,
 * with tracing off and on, each beside a bare JavaScript baseline (a binary-heap message loop
 * doing the same handler work and the same random draws) run in the same process.
 *
 *   npm run bench            (writes bench/results/sim.json, which git ignores)
 *
 * Work per delivery, in both: count the token, draw the next node and a latency from a seeded
 * stream, send the token on.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import seedrandom from "seedrandom";
import { Simulation, latency } from "../src/sim";
import type { Protocol } from "../src/sim/protocol";
import { benchExplorer } from "./explore.bench";

type Token = { type: "Token"; id: number; hops: number };
interface TokenState { received: number }

function tokenRing(maxHops: number): Protocol<TokenState, Token, { tokens: number }> {
  return {
    name: "tokens",
    init: () => ({ received: 0 }),
    receive: {
      Token: (s, m, _from, ctx) => {
        s.received++;
        if (m.hops >= maxHops) return;
        const nodes = ctx.nodes;
        ctx.send(nodes[Math.floor(ctx.random.next() * nodes.length)], { type: "Token", id: m.id, hops: m.hops + 1 });
      },
    },
    request: (_s, r, ctx) => {
      for (let id = 0; id < r.tokens; id++) ctx.send(ctx.nodes[id % ctx.nodes.length], { type: "Token", id, hops: 0 });
    },
  };
}

function nodeIds(n: number): string[] {
  return Array.from({ length: n }, (_v, k) => `n${k}`);
}

function simulator(n: number, deliveries: number, trace: boolean): number {
  const tokens = 64;
  const maxHops = Math.ceil(deliveries / tokens) - 1;
  const sim = new Simulation({
    seed: "bench",
    nodes: nodeIds(n),
    protocol: tokenRing(maxHops),
    network: { latency: latency.uniform(1, 10) },
    trace,
    limits: { maxEvents: deliveries * 2 + 1000, maxQueued: 1_000_000 },
  });
  sim.request("n0", { tokens });
  sim.run();
  let received = 0;
  for (const id of sim.nodeIds) received += sim.state<TokenState>(id).received;
  return received;
}

/** The baseline: the same token passing as a bare binary-heap loop. */
function baseline(n: number, deliveries: number): number {
  const tokens = 64;
  const maxHops = Math.ceil(deliveries / tokens) - 1;
  const nodeRandom = nodeIds(n).map((id) => seedrandom.alea(`bench/${id}`));
  const netRandom = seedrandom.alea("bench/network");
  const received = new Array(n).fill(0);
  type Ev = { time: number; seq: number; to: number; id: number; hops: number };
  const heap: Ev[] = [];
  let seq = 0;
  const push = (e: Ev) => {
    let k = heap.length;
    heap.push(e);
    while (k > 0) {
      const p = (k - 1) >> 1;
      const q = heap[p];
      if (q.time < e.time || (q.time === e.time && q.seq < e.seq)) break;
      heap[k] = q;
      k = p;
    }
    heap[k] = e;
  };
  const pop = (): Ev | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      let k = 0;
      const size = heap.length;
      for (;;) {
        let c = 2 * k + 1;
        if (c >= size) break;
        if (c + 1 < size && (heap[c + 1].time < heap[c].time || (heap[c + 1].time === heap[c].time && heap[c + 1].seq < heap[c].seq))) c++;
        if (last.time < heap[c].time || (last.time === heap[c].time && last.seq < heap[c].seq)) break;
        heap[k] = heap[c];
        k = c;
      }
      heap[k] = last;
    }
    return top;
  };
  for (let id = 0; id < tokens; id++) push({ time: 1 + 9 * netRandom(), seq: seq++, to: id % n, id, hops: 0 });
  for (let e = pop(); e !== undefined; e = pop()) {
    received[e.to]++;
    if (e.hops >= maxHops) continue;
    const next = Math.floor(nodeRandom[e.to]() * n);
    push({ time: e.time + 1 + 9 * netRandom(), seq: seq++, to: next, id: e.id, hops: e.hops + 1 });
  }
  return received.reduce((a: number, b: number) => a + b, 0);
}

/** Collects garbage between measurements when node runs with --expose-gc (npm run bench does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function rate(fn: () => number, repeats: number): { perSecond: number; count: number } {
  let best = 0;
  let count = 0;
  for (let k = 0; k < repeats; k++) {
    collectGarbage();
    const start = process.hrtime.bigint();
    count = fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, count / seconds);
  }
  return { perSecond: best, count };
}

function main(): void {
  const deliveries = Number(process.env.BENCH_DELIVERIES ?? 1_000_000);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const rows: Record<string, number | string>[] = [];
  console.log(`Simulator throughput, ${deliveries.toLocaleString("en")} deliveries per run, best of ${repeats} (node ${process.version})\n`);
  console.log("nodes | baseline (deliveries/s) | tracing off | off/baseline | tracing on | on/baseline");
  console.log("----: | ----------------------: | ----------: | -----------: | ---------: | ----------:");
  for (const n of [5, 100, 1000]) {
    simulator(n, 50_000, false); // warm up
    baseline(n, 50_000);
    const base = rate(() => baseline(n, deliveries), repeats);
    const off = rate(() => simulator(n, deliveries, false), repeats);
    const on = rate(() => simulator(n, deliveries, true), repeats);
    const expected = 64 * Math.ceil(deliveries / 64);
    if (base.count !== expected || off.count !== expected || on.count !== expected) {
      throw new Error(`delivery counts differ: baseline ${base.count}, off ${off.count}, on ${on.count}, wanted ${expected}`);
    }
    const row = { nodes: n, baseline: base.perSecond, tracingOff: off.perSecond, offRatio: off.perSecond / base.perSecond, tracingOn: on.perSecond, onRatio: on.perSecond / base.perSecond };
    rows.push(row);
    const m = (x: number) => `${(x / 1e6).toFixed(2)} M`;
    console.log(`${n} | ${m(row.baseline)} | ${m(row.tracingOff)} | ${row.offRatio.toFixed(2)}x | ${m(row.tracingOn)} | ${row.onRatio.toFixed(2)}x`);
  }
  const five = rows[0];
  const goals = [
    `tracing off >= 0.5x baseline: ${rows.every((r) => (r.offRatio as number) >= 0.5) ? "met" : "NOT met"}`,
    `tracing on >= 1.5 M deliveries/s at 5 nodes: ${(five.tracingOn as number) >= 1.5e6 ? "met" : "NOT met"}`,
  ];
  console.log(`\n${goals.join("\n")}`);
  console.log("\nExplorer (src/explore), distinct states per second, best of 3:");
  console.log("search | verdict | states | states/s | new states at each depth");
  console.log(":----- | :------ | -----: | -------: | :-----------------------");
  const explorer = benchExplorer(Number(process.env.BENCH_REPEATS ?? 3));
  for (const row of explorer) {
    console.log(`${row.name} | ${row.verdict} | ${row.states.toLocaleString("en")} | ${Math.round(row.perSecond).toLocaleString("en")} | ${row.statesAtDepth.join(" ")}`);
  }
  const dir = path.join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "sim.json"), JSON.stringify({ node: process.version, deliveries, repeats, rows, goals, explorer }, null, 2));
}

main();
