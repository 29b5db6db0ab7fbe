/**
 * Exhaustive enumeration of choice sequences, for thought experiments written as plain functions
 * rather than protocols (the Byzantine generals' oral messages, the online shop's retries). A
 * protocol's runs are explored by `explore` (explore.ts), over its real handlers.
 *
 * `run(choose)` is a deterministic function except where it calls `choose(n)`, which stands for
 * "the environment picks one of n options" (a messenger is lost or not; a traitor says attack or
 * retreat). The explorer calls `run` once for every sequence of answers, depth first, like an
 * odometer: the last choice that can still be increased is increased and everything after it is
 * explored afresh. Bounds are asserted: exceeding one throws an ExplorationBoundError naming it.
 */

export class ExplorationBoundError extends Error {
  constructor(
    readonly bound: "maxRuns" | "maxChoices",
    readonly limit: number,
  ) {
    super(`exploration bound ${bound} = ${limit} exceeded: the search space is larger than allowed; raise ${bound} or shrink the problem`);
    this.name = "ExplorationBoundError";
  }
}

export interface ChoiceLimits {
  /** Most runs (complete choice sequences) to explore. */
  readonly maxRuns?: number;
  /** Most choices within one run. */
  readonly maxChoices?: number;
}

export interface ExploredChoices<R> {
  /** The answers given to each choose() call, in order. */
  readonly choices: readonly number[];
  readonly result: R;
}

export type Choose = (options: number) => number;

/** Every run, in lexicographic order of its choices. */
export function exploreChoices<R>(run: (choose: Choose) => R, limits: ChoiceLimits = {}): ExploredChoices<R>[] {
  const out: ExploredChoices<R>[] = [];
  exploreEachChoice(run, (e) => void out.push(e), limits);
  return out;
}

/**
 * Like exploreChoices, but hands each run to `visit` as soon as it is done; `visit` returning "stop"
 * ends the search early (e.g. at the first counterexample). Returns the number of runs visited.
 */
export function exploreEachChoice<R>(
  run: (choose: Choose) => R,
  visit: (explored: ExploredChoices<R>) => "stop" | void,
  limits: ChoiceLimits = {},
): number {
  const maxRuns = limits.maxRuns ?? 1_000_000;
  const maxChoices = limits.maxChoices ?? 64;
  let visited = 0;
  let prefix: number[] = [];
  for (;;) {
    if (visited >= maxRuns) throw new ExplorationBoundError("maxRuns", maxRuns);
    const choices: number[] = [];
    const options: number[] = [];
    const choose: Choose = (n) => {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`choose(${n}): need a positive integer number of options`);
      if (choices.length >= maxChoices) throw new ExplorationBoundError("maxChoices", maxChoices);
      const i = choices.length;
      const c = i < prefix.length ? prefix[i] : 0;
      if (c >= n) throw new Error(`run is not deterministic: choice ${i} had more options before than now (${n})`);
      choices.push(c);
      options.push(n);
      return c;
    };
    const result = run(choose);
    visited += 1;
    if (visit({ choices, result }) === "stop") return visited;
    // Odometer step: bump the last choice that has an untried option; drop everything after it.
    let k = choices.length - 1;
    while (k >= 0 && choices[k] + 1 >= options[k]) k -= 1;
    if (k < 0) return visited;
    prefix = choices.slice(0, k);
    prefix.push(choices[k] + 1);
  }
}
