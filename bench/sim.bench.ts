/**
 * Simulator throughput: deliveries per second for 5, 100 and 1000 nodes passing tokens around,
 * with tracing off and on, each beside a bare JavaScript baseline (a binary-heap message loop
 * doing the same handler work and the same random draws) run in the same process.
 *
 *   npm run bench            (writes bench/results/sim.json, which git ignores)
 *
 * Work per delivery, in both: count the token, draw the next node and a latency from a seeded
 * stream, send the token on. Both draw the same numbers (the simulator's streams are seedrandom's
 * Alea), so they make the same run: the bench checks that every node counts the same tokens.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Simulation, latency } from "../src/sim";
import seedrandom from "seedrandom";
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

/** What one run gives: tokens counted at each node (in node order), and its times in seconds. */
interface Run {
  counts: number[];
  /** The delivery loop alone. */
  seconds: number;
  /** Building the nodes (or the baseline's generators) before the loop. */
  setupSeconds: number;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function simulator(n: number, deliveries: number, trace: boolean): Run {
  const setup = process.hrtime.bigint();
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
  const setupSeconds = seconds(setup);
  const start = process.hrtime.bigint();
  sim.run();
  return { seconds: seconds(start), setupSeconds, counts: sim.nodeIds.map((id) => sim.state<TokenState>(id).received) };
}

/**
 * The baseline: the same token passing as a bare binary-heap loop, with seedrandom's Alea seeded as
 * the simulator seeds its streams (run seed, NUL, stream name), so it draws the same numbers.
 */
function baseline(n: number, deliveries: number): Run {
  const setup = process.hrtime.bigint();
  const tokens = 64;
  const maxHops = Math.ceil(deliveries / tokens) - 1;
  const nodeRandom = nodeIds(n).map((id) => seedrandom.alea(`bench\u0000node/${id}`));
  const netRandom = seedrandom.alea("bench\u0000network");
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
  // Arrival times as the simulator computes them: now + (min + width * draw), and a message a
  // node sends itself arrives at once without a draw.
  const arrival = (now: number, from: number, to: number) => (from === to ? now : now + (1 + 9 * netRandom()));
  const setupSeconds = seconds(setup);
  const start = process.hrtime.bigint();
  for (let id = 0; id < tokens; id++) push({ time: arrival(0, 0, id % n), seq: seq++, to: id % n, id, hops: 0 });
  for (let e = pop(); e !== undefined; e = pop()) {
    received[e.to]++;
    if (e.hops >= maxHops) continue;
    const next = Math.floor(nodeRandom[e.to]() * n);
    push({ time: arrival(e.time, e.to, next), seq: seq++, to: next, id: e.id, hops: e.hops + 1 });
  }
  return { seconds: seconds(start), setupSeconds, counts: received };
}

/** Collects garbage between measurements when node runs with --expose-gc (npm run bench does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Best rate (deliveries per second of the delivery loop) of each contender over `repeats` rounds,
 * and its shortest set-up. The rounds interleave the contenders (one run of each per round), so a
 * slow spell of the machine slows all of them rather than one.
 */
function rates(contenders: readonly (() => Run)[], repeats: number): { perSecond: number; setupSeconds: number; counts: number[] }[] {
  const best = contenders.map(() => ({ perSecond: 0, setupSeconds: Infinity, counts: [] as number[] }));
  for (let k = 0; k < repeats; k++) {
    contenders.forEach((fn, c) => {
      collectGarbage();
      const run = fn();
      const perSecond = run.counts.reduce((a, b) => a + b, 0) / run.seconds;
      if (perSecond > best[c].perSecond) best[c] = { ...best[c], perSecond, counts: run.counts };
      best[c].setupSeconds = Math.min(best[c].setupSeconds, run.setupSeconds);
    });
  }
  return best;
}

function main(): void {
  const deliveries = Number(process.env.BENCH_DELIVERIES ?? 1_000_000);
  const repeats = Number(process.env.BENCH_REPEATS ?? 5);
  const rows: Record<string, number | string>[] = [];
  console.log(`Simulator throughput, ${deliveries.toLocaleString("en")} deliveries per run, best of ${repeats} interleaved rounds (node ${process.version})\n`);
  console.log("Rates of the delivery loops; building the simulation's nodes is timed apart (last column).\n");
  console.log("nodes | baseline (deliveries/s) | tracing off | off/baseline | tracing on | on/baseline | building the nodes");
  console.log("----: | ----------------------: | ----------: | -----------: | ---------: | ----------: | -----------------:");
  for (const n of (process.env.BENCH_NODES ?? "5,100,1000").split(",").map(Number)) {
    simulator(n, 50_000, false); // warm up
    baseline(n, 50_000);
    const [base, off, on] = rates([() => baseline(n, deliveries), () => simulator(n, deliveries, false), () => simulator(n, deliveries, true)], repeats);
    const expected = 64 * Math.ceil(deliveries / 64);
    const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    if (total(base.counts) !== expected || total(off.counts) !== expected || total(on.counts) !== expected) {
      throw new Error(`delivery counts differ: baseline ${total(base.counts)}, off ${total(off.counts)}, on ${total(on.counts)}, wanted ${expected}`);
    }
    const differing = base.counts.findIndex((c, k) => c !== off.counts[k] || c !== on.counts[k]);
    if (differing >= 0) {
      throw new Error(`the baseline and the simulator made different runs: node n${differing} counted ${base.counts[differing]} tokens in the baseline, ${off.counts[differing]} (tracing off), ${on.counts[differing]} (tracing on)`);
    }
    const row = { nodes: n, baseline: base.perSecond, tracingOff: off.perSecond, offRatio: off.perSecond / base.perSecond, tracingOn: on.perSecond, onRatio: on.perSecond / base.perSecond, buildMs: off.setupSeconds * 1000 };
    rows.push(row);
    const m = (x: number) => `${(x / 1e6).toFixed(2)} M`;
    console.log(`${n} | ${m(row.baseline)} | ${m(row.tracingOff)} | ${row.offRatio.toFixed(2)}x | ${m(row.tracingOn)} | ${row.onRatio.toFixed(2)}x | ${row.buildMs.toFixed(1)} ms`);
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
