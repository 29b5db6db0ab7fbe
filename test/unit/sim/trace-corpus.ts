/**
 * A corpus of runs whose traces must not change when the simulator is made faster: several
 * protocols (ping-pong, the broadcast stacks, heartbeats, NTP, Lamport and vector clocks, a
 * Byzantine node, the benchmark's token passing) under loss, duplication, partitions, crashes,
 * pauses, clock drift, steps and slews, an adversary and scripted reactions. Each run gives the
 * SHA-256 of its trace; trace-corpus.test.ts compares them with the hashes recorded before the
 * simulator's hot path was rewritten (issue 9).
 *
 *   npx tsx test/unit/sim/trace-corpus.ts            prints "name hash" for every run
 *   npx tsx test/unit/sim/trace-corpus.ts DIR        also writes each trace's JSON to DIR (to diff)
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Simulation, latency } from "../../../src/sim";
import { simulate, type Scenario } from "../../../src/sim/scenario";
import { byzantine } from "../../../src/sim/byzantine";
import type { Message, Protocol } from "../../../src/sim/protocol";
import type { Trace } from "../../../src/sim/trace";
import { pingPong } from "../../../src/protocols/ping-pong";
import {
  causalBroadcastStack,
  fifoBroadcastStack,
  lamportTotalOrderStack,
  reliableBroadcastStack,
  singleLeaderTotalOrderStack,
} from "../../../src/protocols/broadcast";
import { eventuallyPerfectFailureDetector } from "../../../src/protocols/failure-detectors/eventually-perfect";
import { lamportClock, ntp, vectorClock } from "../../../src/protocols/clocks";
import { scenarioHash } from "./determinism-scenario";

/** One run of the corpus: its trace (or, for runs without tracing, a string of their outcome). */
interface CorpusRun {
  readonly name: string;
  readonly run: () => Trace | string;
}

const FIVE = ["A", "B", "C", "D", "E"];

/** Broadcasts from every node at a spread of times, with loss, duplication and faults. */
function broadcastScenario(seed: string): Scenario {
  const requests = [];
  for (let k = 0; k < 12; k++) requests.push({ node: FIVE[k % 5], atMs: 3 + 17 * k, request: { type: "broadcast", m: `m${k}` } });
  return {
    seed,
    nodes: FIVE,
    network: {
      model: "fair-loss",
      loss: 0.15,
      duplicate: 0.1,
      latencyMs: [2, 25],
      links: [{ from: "A", to: "C", latencyMs: 40, loss: 0.3 }],
    },
    clocks: { B: { offsetMs: 12, driftPpm: 300 }, D: { driftPpm: -150 } },
    requests,
    faults: [
      { kind: "crash", node: "E", atMs: 60, recoverAtMs: 180 },
      { kind: "partition", groups: [["A", "B"], ["C", "D", "E"]], atMs: 90, healAtMs: 150 },
      { kind: "cut", links: [["D", "A"]], atMs: 40, healAtMs: 120 },
      { kind: "pause", node: "C", atMs: 70, durationMs: 25 },
      { kind: "clock-step", node: "D", atMs: 100, deltaMs: -7 },
    ],
    untilMs: 2000,
  };
}

/** Ping-pong's messages, typed as the plain Message a Byzantine node or an adversary sends. */
const ping = (n: number): Message => ({ type: "Ping", n }) as Message;
const pong = (n: number): Message => ({ type: "Pong", n }) as Message;

type Token = { type: "Token"; id: number; hops: number };

/** The benchmark's protocol (bench/sim.bench.ts): tokens hop to a random node until maxHops. */
function tokens(maxHops: number): Protocol<{ received: number }, Token, { tokens: number }> {
  return {
    name: "tokens",
    init: () => ({ received: 0 }),
    receive: {
      Token: (s, m, _from, ctx) => {
        s.received++;
        if (m.hops >= maxHops) return;
        ctx.send(ctx.nodes[Math.floor(ctx.random.next() * ctx.nodes.length)], { type: "Token", id: m.id, hops: m.hops + 1 });
      },
    },
    request: (_s, r, ctx) => {
      for (let id = 0; id < r.tokens; id++) ctx.send(ctx.nodes[id % ctx.nodes.length], { type: "Token", id, hops: 0 });
    },
  };
}

function tokenSimulation(nodeCount: number, trace: boolean): Simulation {
  const sim = new Simulation({
    seed: "corpus-tokens",
    nodes: Array.from({ length: nodeCount }, (_v, k) => `n${k}`),
    protocol: tokens(40),
    network: { latency: latency.uniform(1, 10) },
    trace,
  });
  sim.request("n0", { tokens: 16 });
  return sim;
}

export const corpus: readonly CorpusRun[] = [
  // ping-pong under partial synchrony, pauses, drift, crash-recovery and a partition, 10 seeds
  ...Array.from({ length: 10 }, (_v, seed) => ({ name: `determinism-scenario-${seed}`, run: () => scenarioHash(seed) })),
  { name: "reliable-broadcast", run: () => simulate(broadcastScenario("corpus-rb"), reliableBroadcastStack({ retransmitMs: 30 })).trace },
  { name: "fifo-broadcast", run: () => simulate(broadcastScenario("corpus-fifo"), fifoBroadcastStack({ retransmitMs: 30 })).trace },
  { name: "causal-broadcast", run: () => simulate(broadcastScenario("corpus-causal"), causalBroadcastStack({ retransmitMs: 30 })).trace },
  { name: "total-order-leader", run: () => simulate(broadcastScenario("corpus-tol"), singleLeaderTotalOrderStack("A", { retransmitMs: 30 })).trace },
  { name: "total-order-lamport", run: () => simulate(broadcastScenario("corpus-lamport-to"), lamportTotalOrderStack({ retransmitMs: 30 })).trace },
  {
    name: "heartbeat-asynchronous",
    run: () => {
      const sim = new Simulation({
        seed: "corpus-heartbeat",
        nodes: ["A", "B", "C", "D"],
        protocol: eventuallyPerfectFailureDetector(),
        network: { model: "fair-loss", loss: 0.05, latency: latency.exponential(8, 1) },
        timing: { model: "asynchronous", pausesPerSecond: 2, pauseMeanMs: 60 },
        clocks: { C: { driftPpm: (t) => 400 * Math.cos(t / 300), driftIntervalMs: 20 } },
      });
      sim.crash("D", 400, { recoverAtMs: 900 });
      sim.crash("B", 1300);
      sim.partition({ cut: [["A", "C"]], atMs: 600, healAtMs: 800 });
      return sim.run({ untilMs: 1600 }).trace;
    },
  },
  {
    name: "ntp-slew-and-step",
    run: () => {
      const sim = new Simulation({
        seed: "corpus-ntp",
        nodes: ["server", "c1", "c2"],
        protocol: ntp({ server: "server", pollMs: 200, samplesPerUpdate: 2 }),
        network: { latency: latency.logNormal(5, 0.8), links: [{ from: "c2", to: "server", latency: latency.uniform(20, 60) }] },
        clocks: { c1: { offsetMs: 80, driftPpm: 250 }, c2: { offsetMs: -2000, driftPpm: -100 } },
      });
      sim.at(1500, (s) => s.stepClock("c1", 40));
      return sim.run({ untilMs: 4000 }).trace;
    },
  },
  {
    name: "lamport-and-vector-clocks",
    run: () => {
      const lamport = lamportClock();
      const vector = vectorClock();
      const sim = new Simulation({
        seed: "corpus-clocks",
        nodes: { A: lamport, B: lamport, C: lamport, D: vector, E: vector },
        network: { model: "fair-loss", duplicate: 0.2, latency: latency.uniform(1, 30) },
      });
      const workload = sim.random("workload");
      for (let k = 0; k < 20; k++) {
        const group = k % 2 === 0 ? ["A", "B", "C"] : ["D", "E"];
        const from = workload.pick(group);
        const to = workload.pick(group.filter((n) => n !== from));
        const request = k % 5 === 4 ? { type: "event", name: `e${k}` } : { type: "send", to, m: `x${k}` };
        sim.request(from, request, workload.uniform(0, 200));
      }
      return sim.run().trace;
    },
  },
  {
    name: "adversary-and-byzantine",
    run: () => {
      const liar = byzantine("liar", (state, event, ctx) => {
        state.seen = ((state.seen as number | undefined) ?? 0) + 1;
        if (event.kind === "receive" && event.msg.type === "Ping") ctx.send(event.from, pong(1000 + (state.seen as number)));
      });
      const honest = pingPong({ retryMs: 25, maxAttempts: 4 });
      const sim = new Simulation({
        seed: "corpus-adversary",
        nodes: { A: honest, B: honest, C: liar },
        network: {
          model: "arbitrary",
          latency: latency.uniform(2, 12),
          adversary: (m, tools) => {
            const r = tools.random.next();
            if (r < 0.15) return [];
            if (r < 0.3) return [{}, { delayMs: m.latencyMs + 20 }];
            if (r < 0.4 && m.msg.type === "Pong") return [{ msg: pong(999) }];
            if (r < 0.45) tools.inject(m.to, m.from === "A" ? "B" : "A", ping(77), 5);
            return undefined;
          },
        },
      });
      for (let k = 0; k < 8; k++) sim.request(k % 2 === 0 ? "A" : "B", { type: "ping", to: k % 3 === 0 ? "C" : k % 2 === 0 ? "B" : "A" }, 10 * k);
      return sim.run({ untilMs: 1000 }).trace;
    },
  },
  {
    name: "scripted-reactions",
    run: () =>
      simulate(
        {
          seed: "corpus-reactions",
          nodes: ["A", "B", "C"],
          network: { latencyMs: [3, 9] },
          requests: [{ node: "A", atMs: 0, request: { type: "broadcast", m: "m1" } }],
          untilMs: 500,
        },
        causalBroadcastStack(),
        {
          prepare: (sim) => {
            sim.on(
              (e) => e.kind === "deliver" && e.node === "C" && e.app === true && e.value === "m1",
              (s) => s.request("C", { type: "broadcast", m: "m2" }),
              { once: true },
            );
            sim.on((e) => e.kind === "deliver" && e.node === "B" && e.app === true && e.value === "m2", (s) => s.crash("A", s.now + 1), { once: true });
          },
        },
      ).trace,
  },
  { name: "tokens-5-traced", run: () => tokenSimulation(5, true).run().trace },
  { name: "tokens-100-traced", run: () => tokenSimulation(100, true).run().trace },
  {
    name: "tokens-1000-untraced",
    run: () => {
      const sim = tokenSimulation(1000, false);
      const result = sim.run();
      const received = sim.nodeIds.map((id) => sim.state<{ received: number }>(id).received);
      return `events=${result.events} endMs=${result.endMs} received=${received.join(",")}`;
    },
  },
];

/** The run's fingerprint: the SHA-256 of its trace's JSON, or of its outcome string. */
export function fingerprint(outcome: Trace | string): string {
  return typeof outcome === "string" ? createHash("sha256").update(outcome).digest("hex") : outcome.hash();
}

if (require.main === module) {
  const dir = process.argv[2];
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  for (const entry of corpus) {
    const outcome = entry.run();
    if (dir !== undefined) writeFileSync(path.join(dir, `${entry.name}.json`), typeof outcome === "string" ? outcome : outcome.toJSON());
    console.log(`${entry.name} ${fingerprint(outcome)}`);
  }
}
