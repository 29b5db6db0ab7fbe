/**
 * Seeded randomness. A run has one seed; every consumer draws from its own named stream, derived
 * from (seed, name) alone, so adding a draw or a node in one place never shifts the numbers another
 * stream produces. Uses seedrandom's Alea generator (fast, good statistical quality, seedable).
 */
import seedrandom from "seedrandom";
import type { Random } from "./protocol";
import { SimulationInputError } from "./errors";

/** Where a stream is: saved by `state()`, given back to the constructor to go on from there. */
export interface RandomState {
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
}

export class SeededRandom implements Random {
  private readonly generator: seedrandom.StatefulPRNG<seedrandom.State.Alea>;

  constructor(
    readonly seed: string,
    readonly name: string,
    state?: RandomState,
  ) {
    this.generator = seedrandom.alea(`${seed}\u0000${name}`, { state: state === undefined ? true : (state as unknown as seedrandom.State.Alea) }) as seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  }

  /** The stream's position, as plain data (a node restarted elsewhere goes on drawing the same numbers). */
  state(): RandomState {
    return this.generator.state() as unknown as RandomState;
  }

  next(): number {
    return this.generator();
  }

  uniform(min: number, max: number): number {
    if (!(max >= min)) throw new SimulationInputError(`${this.name}.uniform(max)`, max, `expected >= min (${min})`);
    return min + (max - min) * this.generator();
  }

  int(min: number, maxExclusive: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(maxExclusive) || maxExclusive <= min) {
      throw new SimulationInputError(`${this.name}.int`, [min, maxExclusive], "expected integers with min < maxExclusive");
    }
    return min + Math.floor((maxExclusive - min) * this.generator());
  }

  bernoulli(p: number): boolean {
    return p > 0 && this.generator() < p;
  }

  exponential(mean: number): number {
    // Inverse transform; 1 - u is in (0, 1], so the log is finite.
    return -mean * Math.log(1 - this.generator());
  }

  normal(mean: number, standardDeviation: number): number {
    // Box-Muller; u1 in (0, 1] keeps the log finite.
    const u1 = 1 - this.generator();
    const u2 = this.generator();
    return mean + standardDeviation * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new SimulationInputError(`${this.name}.pick(items)`, items, "expected a non-empty array");
    return items[Math.floor(this.generator() * items.length)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let k = out.length - 1; k > 0; k--) {
      const j = Math.floor(this.generator() * (k + 1));
      const tmp = out[k];
      out[k] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  fork(name: string): Random {
    return new SeededRandom(this.seed, `${this.name}/${name}`);
  }
}

/** The streams of one run, by name. */
export class RandomStreams {
  private readonly streams = new Map<string, SeededRandom>();

  constructor(readonly seed: string) {}

  /** The stream with this name (the same object each time it is asked for). */
  stream(name: string): SeededRandom {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new SeededRandom(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}
