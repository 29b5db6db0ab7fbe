/**
 * The two generals problem and the Romeo and Juliet problem (lecture 2).
 *
 * Two generals (or Romeo and Juliet) must both attack (go to the forest) or both stay, and can only
 * communicate by messengers that may be captured (messages that may be lost). Slide "How should
 * Romeo and Juliet decide?" offers two strategies; we model each as a small deterministic protocol
 * whose only nondeterminism is which messengers get through. The explorer then tries every loss
 * pattern and finds the executions that end in disagreement.
 *
 * A run is described by the loss pattern: one boolean per messenger actually sent, in sending order
 * (true = lost). Messengers that are never sent (because the chain stopped) consume no choice.
 */
import { exploreAll, type ExploreLimits } from "./explore";

export type General = "army1" | "army2";

export interface TwoGeneralsRun {
  /** Each messenger sent, in order: who sent it and whether it got through. */
  readonly messengers: readonly { readonly from: General; readonly to: General; readonly delivered: boolean }[];
  /** Whether each general attacks (Romeo/Juliet: goes to the forest). */
  readonly attacks: Readonly<Record<General, boolean>>;
  readonly agreement: boolean;
}

export interface TwoGeneralsProtocol {
  readonly name: string;
  /** Runs the protocol; isLost() is asked once per messenger sent and says whether it is captured. */
  run(isLost: () => boolean): TwoGeneralsRun;
  /** Exact probability that the generals disagree when each messenger is lost independently with probability p. */
  disagreementProbability(p: number): number;
}

function finish(messengers: TwoGeneralsRun["messengers"], attacks: Record<General, boolean>): TwoGeneralsRun {
  return { messengers, attacks, agreement: attacks.army1 === attacks.army2 };
}

function requireK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer number of messengers, got ${k}`);
}

/**
 * Option 1 on the slide: army 1 (Romeo) always attacks and sends k messengers to raise the chance
 * that one gets through; army 2 attacks if any messenger arrived. Disagreement: all k captured.
 */
export function kMessengers(k: number): TwoGeneralsProtocol {
  requireK(k);
  return {
    name: `${k} messengers`,
    run(isLost) {
      const messengers = [];
      let received = 0;
      for (let i = 0; i < k; i++) {
        const delivered = !isLost();
        messengers.push({ from: "army1" as const, to: "army2" as const, delivered });
        if (delivered) received += 1;
      }
      return finish(messengers, { army1: true, army2: received > 0 });
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
 */
export function acknowledgementChain(k: number): TwoGeneralsProtocol {
  requireK(k);
  const receiverOf = (i: number): General => (i % 2 === 0 ? "army2" : "army1");
  const expected: Record<General, number> = { army1: Math.floor(k / 2), army2: Math.ceil(k / 2) };
  return {
    name: `acknowledgement chain of ${k}`,
    run(isLost) {
      const messengers = [];
      const received: Record<General, number> = { army1: 0, army2: 0 };
      for (let i = 0; i < k; i++) {
        const to = receiverOf(i);
        const delivered = !isLost();
        messengers.push({ from: to === "army1" ? ("army2" as const) : ("army1" as const), to, delivered });
        if (!delivered) break;
        received[to] += 1;
      }
      return finish(messengers, {
        army1: received.army1 === expected.army1,
        army2: received.army2 === expected.army2,
      });
    },
    // Only losing the last messenger splits them: (k - 1) messengers arrive, then one is lost.
    disagreementProbability: (p) => (1 - p) ** (k - 1) * p,
  };
}

export interface TwoGeneralsExploration {
  readonly protocol: string;
  readonly runs: readonly TwoGeneralsRun[];
  readonly disagreements: readonly TwoGeneralsRun[];
}

/** Every loss pattern of the protocol (bounded: at most maxRuns patterns). */
export function exploreTwoGenerals(protocol: TwoGeneralsProtocol, limits: ExploreLimits = { maxRuns: 1 << 16 }): TwoGeneralsExploration {
  const runs = exploreAll((choose) => protocol.run(() => choose(2) === 1), limits).map((e) => e.result);
  return { protocol: protocol.name, runs, disagreements: runs.filter((r) => !r.agreement) };
}

/** The exact disagreement probability computed by enumeration (weights each loss pattern by p). */
export function disagreementProbabilityByEnumeration(protocol: TwoGeneralsProtocol, p: number, limits?: ExploreLimits): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`loss probability must be in [0, 1], got ${p}`);
  let total = 0;
  for (const run of exploreTwoGenerals(protocol, limits).runs) {
    let weight = 1;
    for (const m of run.messengers) weight *= m.delivered ? 1 - p : p;
    if (!run.agreement) total += weight;
  }
  return total;
}

/** Monte Carlo estimate: `trials` runs with each messenger lost with probability p, drawn from `random`. */
export function disagreementRateBySampling(
  protocol: TwoGeneralsProtocol,
  p: number,
  trials: number,
  random: { bernoulli(p: number): boolean },
): number {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  let disagreements = 0;
  for (let i = 0; i < trials; i++) if (!protocol.run(() => random.bernoulli(p)).agreement) disagreements += 1;
  return disagreements / trials;
}

/**
 * "No common knowledge": for the acknowledgement chain of k, try EVERY pair of decision rules (a
 * general's view is how many messengers reached it) that is sensible — both attack when every
 * messenger arrives, and army 2 stays home when nothing reached it — and return the rules that never
 * lead to disagreement under any loss pattern. The answer is always empty: the last message problem.
 */
export function searchChainDecisionRules(k: number): { rulesChecked: number; rulesThatAlwaysAgree: number } {
  requireK(k);
  const views: Record<General, number> = { army1: Math.floor(k / 2) + 1, army2: Math.ceil(k / 2) + 1 };
  const bitsMax = 20;
  if (views.army1 + views.army2 > bitsMax) throw new RangeError(`searchChainDecisionRules: k = ${k} exceeds the bound (${bitsMax} view bits)`);
  // Distinct executions: the first lost messenger is at position j (0..k-1), or none is lost (k).
  const received: Record<General, number>[] = [];
  for (let arrived = 0; arrived <= k; arrived++) {
    received.push({ army1: Math.floor(arrived / 2), army2: Math.ceil(arrived / 2) });
  }
  let rulesChecked = 0;
  let rulesThatAlwaysAgree = 0;
  for (let rule1 = 0; rule1 < 1 << views.army1; rule1++) {
    for (let rule2 = 0; rule2 < 1 << views.army2; rule2++) {
      const attacks = (g: General, count: number) => ((g === "army1" ? rule1 : rule2) >> count) & 1;
      const all = received[k];
      if (!attacks("army1", all.army1) || !attacks("army2", all.army2)) continue; // must attack when all arrive
      if (attacks("army2", 0)) continue; // army 2 cannot attack on a plan it never heard of
      rulesChecked += 1;
      if (received.every((r) => attacks("army1", r.army1) === attacks("army2", r.army2))) rulesThatAlwaysAgree += 1;
    }
  }
  return { rulesChecked, rulesThatAlwaysAgree };
}
