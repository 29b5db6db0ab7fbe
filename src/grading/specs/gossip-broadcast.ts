/** Graded tests of Exercise 4.7, gossip (lecture 4, slide "Gossip protocols"). */
import * as fc from "fast-check";
import { canonicalId } from "../../checks/broadcast-history";
import { checkReliability } from "../../checks/reliability";
import { Trace } from "../../sim/trace";
import type { DeliverEvent, TraceEvent } from "../../sim/trace-events";
import { layerView } from "../../viz/layer-view";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { broadcastRuns, verdictOf, type RunShape } from "./broadcast-checks";
import { crashesOf, nodeNames, preview, readTrace } from "../scenarios";
import { drivers, type GossipRun } from "./drivers/gossip-broadcast";
import type { Scenario } from "../../sim/scenario";
import { broadcasts } from "./broadcast-runs";

/** The broadcasts of a gossip run: who broadcast which payload m. */
function broadcastsOf(run: GossipRun): { node: string; m: string }[] {
  return (run.scenario.requests ?? []).map((r) => ({ node: r.node, m: (r.request as { m: string }).m }));
}

/** The link layer's deliveries to the gossip layer: who forwarded which message to whom. */
function linkDeliveries(trace: Trace): DeliverEvent[] {
  return trace.events.filter((e): e is DeliverEvent => e.kind === "deliver" && !e.app && e.layer === "reliable-link");
}

/** The run's diagram at the gossip layer's level (layerView), showing only the message `id` (its broadcast, forwards and deliveries), the given events marked. */
function marked(trace: Trace, events: number[], id: string) {
  const about = (value: unknown) => canonicalId(value) === id;
  const keep = (e: TraceEvent) => {
    if (e.kind === "request") return about((e.request as { m?: unknown } | null)?.m);
    if (e.kind === "deliver") return e.app ? about(e.value) : about((e.value as { m?: unknown } | null)?.m);
    return e.kind === "crash";
  };
  return layerView(trace, { marked: events, keep }).events;
}

/** Trusted checks, shared with the hidden tests. */
export const gossipChecks = {
  /**
   * Each node's first receipt of a message causes forwards to min(fanout, n - 1) distinct other
   * nodes while it has made fewer than `rounds` hops, and none after; later receipts cause nothing.
   * With `exact` false (runs with crashes, where a crashed receiver never gets its copy), only the
   * upper bounds are checked.
   */
  forwarding(run: GossipRun, trace: Trace, exact: boolean): Verdict {
    const n = run.scenario.nodes.length;
    const want = Math.min(run.fanout, n - 1);
    // Per message: each node's hops from its origin, and each forwarder's link deliveries of it.
    const spread = new Map(broadcastsOf(run).map((b) => [b.m, { hops: new Map([[b.node, 0]]), byForwarder: new Map<string, DeliverEvent[]>() }]));
    for (const d of linkDeliveries(trace)) {
      const payload = (d.value as { m?: unknown } | null)?.m;
      const id = canonicalId(payload);
      const message = spread.get(id);
      if (payload === undefined || message === undefined) {
        return fail(`node ${d.from} sent ${d.node} ${preview(d.value)}, which carries no broadcast payload in its field m`, marked(trace, [d.i], id));
      }
      const from = d.from as string;
      if (from === d.node) return fail(`node ${from} forwarded ${id} to itself; gossip forwards to other nodes`, marked(trace, [d.i], id));
      const { hops, byForwarder } = message;
      if (!hops.has(from)) return fail(`node ${from} forwarded ${id} before receiving it`, marked(trace, [d.i], id));
      if (!hops.has(d.node)) hops.set(d.node, hops.get(from)! + 1);
      const list = byForwarder.get(from) ?? [];
      const again = list.find((x) => x.node === d.node);
      if (again !== undefined) {
        return fail(`node ${from} sent ${id} to ${d.node} twice: a node forwards a message once, on its first receipt`, marked(trace, [again.i, d.i], id));
      }
      list.push(d);
      byForwarder.set(from, list);
    }
    for (const b of broadcastsOf(run)) {
      const { hops, byForwarder } = spread.get(b.m)!;
      for (const [node, list] of byForwarder) {
        const h = hops.get(node)!;
        const targets = list.map((x) => x.node).join(", ");
        if (h >= run.rounds) {
          return fail(`node ${node} received ${b.m} after ${h} hop(s) and still forwarded it (to ${targets}); with rounds = ${run.rounds} it must stop`, marked(trace, list.map((x) => x.i), b.m));
        }
        if (list.length > want) {
          return fail(`node ${node} forwarded ${b.m} to ${list.length} nodes (${targets}); fanout is ${run.fanout}, so ${want} of the ${n - 1} others`, marked(trace, list.map((x) => x.i), b.m));
        }
      }
      if (!exact) continue;
      for (const [node, h] of hops) {
        const list = byForwarder.get(node) ?? [];
        if (h < run.rounds && list.length !== want) {
          const who = node === b.node ? `the origin ${node}` : `node ${node}, ${h} hop(s) from the origin,`;
          return fail(`${who} forwarded ${b.m} to ${list.length} node(s)${list.length > 0 ? ` (${list.map((x) => x.node).join(", ")})` : ""}; it should pick ${want} of the ${n - 1} others (fanout ${run.fanout}, rounds ${run.rounds})`, marked(trace, list.map((x) => x.i), b.m));
        }
      }
    }
    return pass;
  },

  /** No duplicated or invented deliveries; every origin that stays up delivers its own message. */
  deliveries(run: GossipRun, trace: Trace): Verdict {
    const violations = checkReliability(trace).violations.filter((v) => v.property === "no duplication" || v.property === "no creation");
    const verdict = verdictOf(run.scenario, trace, [{ ok: violations.length === 0, violations }]);
    if (!verdict.ok) return verdict;
    for (const b of broadcastsOf(run)) {
      if (crashesOf(run.scenario).some(([node]) => node === b.node)) continue;
      if (!trace.deliveries(b.node).some((d) => canonicalId(d.value) === b.m)) {
        return fail(`node ${b.node} broadcast ${b.m} but never delivered it itself`, layerView(trace).events);
      }
    }
    return pass;
  },

  all(run: GossipRun, output: unknown): Verdict {
    const trace = readTrace(run.scenario, output);
    if (!(trace instanceof Trace)) return trace;
    const delivered = gossipChecks.deliveries(run, trace);
    return delivered.ok ? gossipChecks.forwarding(run, trace, crashesOf(run.scenario).length === 0) : delivered;
  },

  /** Over the runs, messages reach at least `fraction` of the nodes on average. */
  reach(runs: readonly GossipRun[], output: unknown, fraction: number): Verdict {
    if (!Array.isArray(output) || output.length !== runs.length) return fail(`expected one list of deliveries per run, got ${preview(output)}`);
    let reached = 0;
    let all = 0;
    for (let k = 0; k < runs.length; k++) {
      const run = runs[k];
      const list = output[k] as { node?: unknown; value?: unknown }[];
      if (!Array.isArray(list)) return fail(`run ${k}: expected a list of deliveries, got ${preview(list)}`);
      const nodes = new Set(list.filter((d) => canonicalId(d?.value) === broadcastsOf(run)[0].m).map((d) => String(d.node)));
      reached += nodes.size / run.scenario.nodes.length;
      if (nodes.size === run.scenario.nodes.length) all += 1;
    }
    const mean = reached / runs.length;
    const n = runs[0].scenario.nodes.length;
    return mean >= fraction
      ? pass
      : fail(
          `over ${runs.length} runs with n = ${n}, fanout ${runs[0].fanout}, a message reached on average ${(100 * mean).toFixed(1)}% of the nodes ` +
            `(everyone in ${all} runs); random forwarding to 3 nodes reaches about 97%. Are the targets random, distinct and other than the node itself?`,
        );
  },
};

function gossipRuns(shape: RunShape & { fanoutMax: number; roundsMax: number }): fc.Arbitrary<GossipRun> {
  return fc
    .tuple(broadcastRuns(shape), fc.integer({ min: 1, max: shape.fanoutMax }), fc.integer({ min: 1, max: shape.roundsMax }))
    .map(([scenario, fanout, rounds]) => ({ scenario: { ...scenario, seed: `gossip-${scenario.seed}` }, fanout, rounds }));
}

function fixed(seed: string, n: number, fanout: number, rounds: number, count: number): GossipRun {
  const nodes = nodeNames(n);
  const scenario: Scenario = {
    seed,
    nodes,
    network: { latencyMs: [1, 30] },
    requests: broadcasts(Array.from({ length: count }, (_, k) => [nodes[(3 * k) % n]!, 7 * k, `${nodes[(3 * k) % n]}-${k}`] as const)),
    untilMs: 2000,
  };
  return { scenario, fanout, rounds };
}

/** One broadcast each from 20 nodes of 16, for the reach test. */
export const reachRuns: GossipRun[] = Array.from({ length: 20 }, (_, k) => {
  const run = fixed(`gossip-reach-${k}`, 16, 3, 10, 1);
  return { ...run, scenario: { ...run.scenario, requests: broadcasts([[run.scenario.nodes[k % 16]!, 0, `reach-${k}`]]) } };
});

export const gossipBroadcastExercise = defineExercise({
  id: "4.7",
  title: "Gossip",
  slide: "Gossip protocols",
  module: "gossip-broadcast",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "Gossip protocols: the first receipt forwards to fanout random other nodes",
      points: 2,
      category: "basic",
      description: "8 nodes, fanout 3, rounds 10, three broadcasts; then 3 nodes with fanout 3 (only 2 others to pick). Each node forwards each message once, to min(fanout, n - 1) distinct other nodes, and delivers it once.",
      driver: "run",
      inputs: [fixed("gossip-eight", 8, 3, 10, 3), fixed("gossip-three", 3, 3, 10, 2)],
      check: gossipChecks.all,
    },
    {
      name: "rounds: a message stops after rounds hops",
      points: 1,
      category: "basic",
      description: "10 nodes with rounds = 1 (only the origin forwards) and rounds = 2 (the origin and the nodes it picked).",
      driver: "run",
      inputs: [fixed("gossip-rounds-1", 10, 3, 1, 2), fixed("gossip-rounds-2", 10, 3, 2, 2)],
      check: gossipChecks.all,
    },
    {
      name: "unreliable network: each node forwards and delivers each message once",
      points: 2,
      category: "unreliable network",
      description: "Random runs at 2-12 nodes, fanout 1-4, rounds 1-6, up to 30% loss and 20% duplication.",
      driver: "run",
      arbitrary: gossipRuns({ nodesMin: 2, nodesMax: 12, broadcastsMax: 6, loss: [0, 0.1, 0.3], duplicate: [0, 0.1, 0.2], crashesMax: 0, spreadMs: 200, untilMs: 2500, fanoutMax: 4, roundsMax: 6 }),
      runs: 20,
      check: gossipChecks.all,
    },
    {
      name: "crashes: no message delivered twice or invented",
      points: 1,
      category: "crashes",
      description: "Random runs with up to two nodes crashing for good: deliveries stay unique and genuine, forwarding stays within fanout.",
      driver: "run",
      arbitrary: gossipRuns({ nodesMin: 3, nodesMax: 10, broadcastsMax: 6, loss: [0, 0.2], duplicate: [0, 0.1], crashesMax: 2, spreadMs: 200, untilMs: 2500, fanoutMax: 4, roundsMax: 6 }),
      runs: 10,
      check: gossipChecks.all,
    },
    {
      name: "Eventually reaches all nodes (with high probability): n = 16, fanout 3",
      points: 2,
      category: "randomised",
      description: "20 runs of one broadcast among 16 nodes: on average the message must reach at least 90% of them.",
      driver: "reach",
      inputs: [reachRuns],
      check: (runs: GossipRun[], output: unknown) => gossipChecks.reach(runs, output, 0.9),
    },
  ],
});
