/**
 * The two generals problem and the Romeo and Juliet problem (lecture 2).
 *
 * Two generals (or Romeo and Juliet) must both attack (go to the forest) or both stay, and can only
 * communicate by messengers that may be captured (messages that may be lost). Slide "How should
 * Romeo and Juliet decide?" offers two strategies. Each is a protocol in the slides' shape, run by
 * the simulator like any other; the explorer (src/explore) runs the same handlers over every loss
 * pattern and finds the executions that end in disagreement.
 *
 * The first of the two nodes (ctx.nodes[0]: army 1, Romeo) proposes; the second (army 2, Juliet)
 * answers. Each decides at dawn, a timer that fires once every messenger has arrived or been
 * captured (in the explorer: `timers: { fire: "when-idle" }`; in the simulator: dawn at 100 ms,
 * after any messenger's 10 ms journey), and delivers its decision: "goes" or "stays".
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import { explore, type ExploreResult, type Step } from "../../explore/index";
import { Simulation, latency } from "../../sim/index";

/** Messenger number i (1, 2, ...) of the run. */
export type Messenger = { readonly type: "Messenger"; readonly i: number };
export type Propose = { readonly type: "propose" };
export type Decision = "goes" | "stays";

export interface GeneralState {
  /** The numbers of the messengers that reached this general, in increasing order. */
  heard: number[];
}

/** A strategy for k messengers: a protocol, plus the exact disagreement probability the slide derives. */
export interface TwoGeneralsProtocol extends Protocol<GeneralState, Messenger, Propose> {
  readonly k: number;
  /** Exact probability that the generals disagree when each messenger is lost independently with probability p. */
  disagreementProbability(p: number): number;
}

/** When each general decides: at dawn, long after any messenger's journey (ms). */
export const DAWN_MS = 100;

function requireK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer number of messengers, got ${k}`);
}

function heard(state: GeneralState, i: number): void {
  state.heard.push(i);
  state.heard.sort((a, b) => a - b);
}

/**
 * Option 1 on the slide: army 1 (Romeo) always attacks and sends k messengers to raise the chance
 * that one gets through; army 2 attacks if any messenger arrived. Disagreement: all k captured.
 *
 *   on request to propose at army 1 do  for i := 1 to k do send (Messenger, i) to army 2
 *   on receiving (Messenger, i) do       heard := heard ∪ {i}
 *   at dawn do                           army 1 goes; army 2 goes iff heard ≠ {}
 */
export function kMessengers(k: number): TwoGeneralsProtocol {
  requireK(k);
  return {
    name: `${k} messengers`,
    k,
    init: (ctx) => {
      ctx.startTimer("dawn", DAWN_MS);
      return { heard: [] };
    },
    request: (_state, _req, ctx) => {
      for (let i = 1; i <= k; i++) ctx.send(ctx.nodes[1]!, { type: "Messenger", i });
    },
    receive: {
      Messenger: (state, msg, _from, ctx) => {
        heard(state, msg.i);
        ctx.label(`#${msg.i}`);
      },
    },
    timers: {
      dawn: (state, _data, ctx) => ctx.deliver(ctx.nodeId === ctx.nodes[0] || state.heard.length > 0 ? "goes" : "stays"),
    },
    disagreementProbability: (p) => p ** k,
  };
}

/**
 * Option 2 on the slide, iterated: a chain of k messengers alternating between the generals
 * (proposal, acknowledgement, acknowledgement of the acknowledgement, ...). Messenger i+1 is sent
 * only when messenger i arrives. Each general attacks iff it received every messenger addressed to
 * it in the chain of k (the sender of the first message has none addressed to it when k = 1).
 * Whoever sends the last messenger cannot know whether it arrived: the last message problem.
 *
 *   on request to propose at army 1 do  send (Messenger, 1) to army 2
 *   on receiving (Messenger, i) from p do
 *     heard := heard ∪ {i}; if i < k then send (Messenger, i + 1) to p
 *   at dawn do  go iff |heard| = the number of messengers addressed to me in a chain of k
 */
export function acknowledgementChain(k: number): TwoGeneralsProtocol {
  requireK(k);
  // Army 1 is sent messengers 2, 4, ...; army 2 messengers 1, 3, ...
  const expected = (ctx: { nodeId: NodeId; nodes: readonly NodeId[] }) => (ctx.nodeId === ctx.nodes[0] ? Math.floor(k / 2) : Math.ceil(k / 2));
  return {
    name: `acknowledgement chain of ${k}`,
    k,
    init: (ctx) => {
      ctx.startTimer("dawn", DAWN_MS);
      return { heard: [] };
    },
    request: (_state, _req, ctx) => ctx.send(ctx.nodes[1]!, { type: "Messenger", i: 1 }),
    receive: {
      Messenger: (state, msg, from, ctx) => {
        heard(state, msg.i);
        ctx.label(`#${msg.i}`);
        if (msg.i < k) ctx.send(from, { type: "Messenger", i: msg.i + 1 });
      },
    },
    timers: {
      dawn: (state, _data, ctx) => ctx.deliver(state.heard.length === expected(ctx) ? "goes" : "stays"),
    },
    // Only losing the last messenger splits them: (k - 1) messengers arrive, then one is lost.
    disagreementProbability: (p) => (1 - p) ** (k - 1) * p,
  };
}

/** The two generals, as the explorer and the tests name them. */
export const GENERALS: readonly [NodeId, NodeId] = ["army1", "army2"];

/** One way a night can end: which messengers got through, and what each general decided. */
export interface TwoGeneralsRun {
  /** Each messenger sent, in order of its number: who sent it and whether it got through. */
  readonly messengers: readonly { readonly i: number; readonly from: NodeId; readonly to: NodeId; readonly delivered: boolean }[];
  /** Whether each general attacks (Romeo/Juliet: goes to the forest). */
  readonly attacks: Readonly<Record<NodeId, boolean>>;
  readonly agreement: boolean;
  /** The explorer's path to this end state (a run of the protocol: replay it to draw it). */
  readonly path: readonly Step[];
}

export interface TwoGeneralsExploration {
  readonly protocol: string;
  /** Every distinct way the night can end. */
  readonly runs: readonly TwoGeneralsRun[];
  readonly disagreements: readonly TwoGeneralsRun[];
  /** The search itself: a shortest disagreement (with its trace), states per depth. */
  readonly search: ExploreResult;
}

/** Explorer options for a two-generals protocol: any messenger may be captured; dawn comes when none is on the way. */
export function twoGeneralsSearch(protocol: TwoGeneralsProtocol, nodes: readonly [NodeId, NodeId] = GENERALS) {
  return {
    protocol,
    nodes,
    requests: [{ node: nodes[0], request: { type: "propose" } }],
    issueRequests: "start" as const,
    network: { model: "fair-loss" as const, maxLosses: protocol.k, maxDuplicates: 0 },
    timers: { fire: "when-idle" as const },
    invariants: [{
      name: "agreement",
      holds: (state: { nodes: Readonly<Record<NodeId, { deliveries: readonly { value: unknown }[] }>> }) => {
        const [a, b] = nodes.map((n) => state.nodes[n]!.deliveries[0]?.value);
        return a === undefined || b === undefined || a === b || `${nodes[0]} ${String(a)}, ${nodes[1]} ${String(b)}`;
      },
    }],
    bounds: { maxDepth: 4 * protocol.k + 8, maxStates: 1_000_000 },
    description: `${protocol.name}, every loss pattern`,
  };
}

/**
 * Every way the night can end, from the explorer over the protocol's own handlers: each messenger
 * delivered or captured, dawn at each general. The agreement invariant is left out here, so the
 * search visits every end state (disagreements included) instead of stopping at the first.
 */
export function exploreTwoGenerals(protocol: TwoGeneralsProtocol, nodes: readonly [NodeId, NodeId] = GENERALS): TwoGeneralsExploration {
  const runs: TwoGeneralsRun[] = [];
  const search = explore({
    ...twoGeneralsSearch(protocol, nodes),
    invariants: [],
    onTerminal: (state, path) => {
      const messengers = path
        .filter((s) => s.kind === "deliver" || s.kind === "lose")
        .map((s) => {
          const step = s as Extract<Step, { kind: "deliver" | "lose" }>;
          return { i: (step.msg as Messenger).i, from: step.from, to: step.to, delivered: step.kind === "deliver" };
        })
        .sort((a, b) => a.i - b.i);
      const attacks: Record<NodeId, boolean> = {};
      for (const n of nodes) attacks[n] = state.nodes[n]!.deliveries[0]?.value === "goes";
      runs.push({ messengers, attacks, agreement: attacks[nodes[0]] === attacks[nodes[1]], path });
    },
  });
  if (search.verdict !== "exhausted") throw new Error(`exploreTwoGenerals(${protocol.name}): the search did not finish: ${search.summary}`);
  return { protocol: protocol.name, runs, disagreements: runs.filter((r) => !r.agreement), search };
}

/** The exact disagreement probability computed by enumeration (weights each explored end by p per capture). */
export function disagreementProbabilityByEnumeration(protocol: TwoGeneralsProtocol, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`loss probability must be in [0, 1], got ${p}`);
  let total = 0;
  for (const run of exploreTwoGenerals(protocol).runs) {
    let weight = 1;
    for (const m of run.messengers) weight *= m.delivered ? 1 - p : p;
    if (!run.agreement) total += weight;
  }
  return total;
}

/**
 * "No common knowledge": for the acknowledgement chain of k, try EVERY pair of decision rules (a
 * general's view is how many messengers reached it, as the explored end states show) that is
 * sensible (both attack when every messenger arrives, and army 2 stays home when nothing reached
 * it) and return the rules that never lead to disagreement in any explored execution. The answer is
 * always empty: the last message problem.
 */
export function searchChainDecisionRules(k: number): { rulesChecked: number; rulesThatAlwaysAgree: number; executions: number } {
  requireK(k);
  const [a, b] = GENERALS;
  const views: Record<NodeId, number> = { [a]: Math.floor(k / 2) + 1, [b]: Math.ceil(k / 2) + 1 };
  const bitsMax = 20;
  if (views[a]! + views[b]! > bitsMax) throw new RangeError(`searchChainDecisionRules: k = ${k} exceeds the bound (${bitsMax} view bits)`);
  // What each general saw at dawn, in every execution the explorer found.
  const seen = exploreTwoGenerals(acknowledgementChain(k)).runs.map((run) => ({
    [a]: run.messengers.filter((m) => m.to === a && m.delivered).length,
    [b]: run.messengers.filter((m) => m.to === b && m.delivered).length,
  }));
  const all = { [a]: Math.floor(k / 2), [b]: Math.ceil(k / 2) };
  let rulesChecked = 0;
  let rulesThatAlwaysAgree = 0;
  for (let rule1 = 0; rule1 < 1 << views[a]!; rule1++) {
    for (let rule2 = 0; rule2 < 1 << views[b]!; rule2++) {
      const attacks = (g: NodeId, count: number) => ((g === a ? rule1 : rule2) >> count) & 1;
      if (!attacks(a, all[a]!) || !attacks(b, all[b]!)) continue; // must attack when all arrive
      if (attacks(b, 0)) continue; // army 2 cannot attack on a plan it never heard of
      rulesChecked += 1;
      if (seen.every((r) => attacks(a, r[a]!) === attacks(b, r[b]!))) rulesThatAlwaysAgree += 1;
    }
  }
  return { rulesChecked, rulesThatAlwaysAgree, executions: seen.length };
}

/**
 * Monte Carlo estimate: `trials` nights in the simulator, each messenger lost with probability p
 * (fair-loss network, 10 ms journeys, dawn at 100 ms); each night's seed is drawn from `random`.
 */
export function disagreementRateBySampling(protocol: TwoGeneralsProtocol, p: number, trials: number, random: { next(): number }): number {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`loss probability must be in [0, 1], got ${p}`);
  let disagreements = 0;
  for (let t = 0; t < trials; t++) {
    const sim = new Simulation({
      seed: `night-${random.next()}`,
      nodes: [...GENERALS],
      protocol,
      network: { model: "fair-loss", loss: p, duplicate: 0, latency: latency.constant(10) },
    });
    sim.request(GENERALS[0], { type: "propose" }, 0);
    const decisions = sim.run().trace.deliveries().map((d) => d.value);
    if (decisions[0] !== decisions[1]) disagreements += 1;
  }
  return disagreements / trials;
}
