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
  /**
   * Alea's state, c, s0, s1, s2 at alea[at .. at + 3]: seeded by seedrandom's Alea, then stepped
   * here with the same arithmetic (so the numbers are seedrandom's, bit for bit: a test compares
   * them). seedrandom keeps the four numbers in an object behind a closure, three objects to reach
   * per draw; here they are numbers read in place, and a simulation's streams share one array (its
   * nodes' states lie side by side, however many nodes there are). A run draws twice per message.
   */
  private readonly alea: Float64Array;
  private readonly at: number;

  /** `slab`: where to keep the state (4 numbers from `at`); a new array of its own without one. */
  constructor(
    readonly seed: string,
    readonly name: string,
    state?: RandomState,
    slab?: { array: Float64Array; at: number },
  ) {
    const start = state ?? (seedrandom.alea(`${seed}\u0000${name}`, { state: true }) as seedrandom.StatefulPRNG<seedrandom.State.Alea>).state() as unknown as RandomState;
    this.alea = slab?.array ?? new Float64Array(4);
    const at = (this.at = slab?.at ?? 0);
    this.alea[at] = start.c;
    this.alea[at + 1] = start.s0;
    this.alea[at + 2] = start.s1;
    this.alea[at + 3] = start.s2;
  }

  /** One step of Alea (seedrandom's lib/alea.js, `next`): a number in [0, 1). */
  private generator(): number {
    const a = this.alea;
    const k = this.at;
    const t = 2091639 * a[k + 1] + a[k] * 2.3283064365386963e-10; // 2^-32
    a[k + 1] = a[k + 2];
    a[k + 2] = a[k + 3];
    const c = t | 0;
    a[k] = c;
    return (a[k + 3] = t - c);
  }

  /** The stream's position, as plain data (a node restarted elsewhere goes on drawing the same numbers). */
  state(): RandomState {
    const a = this.alea;
    const k = this.at;
    return { c: a[k], s0: a[k + 1], s1: a[k + 2], s2: a[k + 3] };
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
  /** The states of the first `slots` streams, side by side (see SeededRandom.alea). */
  private readonly slab: Float64Array;
  private used = 0;

  /** `slots`: how many streams keep their state in one shared array (say, one per node). */
  constructor(readonly seed: string, private readonly slots = 0) {
    this.slab = new Float64Array(4 * slots);
  }

  /** The stream with this name (the same object each time it is asked for). */
  stream(name: string): SeededRandom {
    let s = this.streams.get(name);
    if (s === undefined) {
      const slab = this.used < this.slots ? { array: this.slab, at: 4 * this.used++ } : undefined;
      s = new SeededRandom(this.seed, name, undefined, slab);
      this.streams.set(name, s);
    }
    return s;
  }
}
