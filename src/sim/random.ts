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
  /*
   * Alea's state as integers: c, and s0, s1, s2 in units of 2^-32 (Alea's s values are always whole
   * multiples of 2^-32: seeding builds them from 32-bit hashes, and each step keeps them so), each
   * kept as a signed 32-bit integer (a small integer V8 stores in the object itself). One step
   * computes 2091639 * s0 + c exactly in integers below 2^53, which is Alea's
   * `t = 2091639 * s0 + c * 2^-32` scaled by 2^32, so the numbers are seedrandom's, bit for bit (a
   * test compares them). A stream is then one object of its own: no boxed doubles (seedrandom's
   * generator keeps four, behind a closure) and no shared array to reach, which with a thousand
   * nodes is one memory access fewer per draw. These four fields come first, so they share the
   * object's first cache line.
   */
  private c: number;
  private s0: number;
  private s1: number;
  private s2: number;

  constructor(
    readonly seed: string,
    readonly name: string,
    state?: RandomState,
  ) {
    const start = state ?? (seedrandom.alea(`${seed}\u0000${name}`, { state: true }) as seedrandom.StatefulPRNG<seedrandom.State.Alea>).state() as unknown as RandomState;
    if (!Number.isInteger(start.c) || start.c < 0 || start.c > 2091639) {
      throw new SimulationInputError("random state c", start.c, "expected an integer in [0, 2091639] (a state() of a stream)");
    }
    this.c = start.c;
    this.s0 = toUnits(start.s0, "s0");
    this.s1 = toUnits(start.s1, "s1");
    this.s2 = toUnits(start.s2, "s2");
  }

  /** One step of Alea (seedrandom's lib/alea.js, `next`): a number in [0, 1). */
  private generator(): number {
    const n = 2091639 * (this.s0 >>> 0) + this.c; // below 2^53: exact
    const c = Math.floor(n * TWO_TO_MINUS_32);
    const s2 = n - c * TWO_TO_32; // in [0, 2^32)
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.s2 = s2 | 0;
    this.c = c;
    return s2 * TWO_TO_MINUS_32;
  }

  /** The stream's position, as plain data (a node restarted elsewhere goes on drawing the same numbers). */
  state(): RandomState {
    return { c: this.c, s0: (this.s0 >>> 0) * TWO_TO_MINUS_32, s1: (this.s1 >>> 0) * TWO_TO_MINUS_32, s2: (this.s2 >>> 0) * TWO_TO_MINUS_32 };
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

const TWO_TO_32 = 4294967296;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** An Alea s value (a multiple of 2^-32 in [0, 1)) as a signed 32-bit count of 2^-32. */
function toUnits(s: number, field: string): number {
  const units = s * TWO_TO_32;
  if (!Number.isInteger(units) || units < 0 || units >= TWO_TO_32) {
    throw new SimulationInputError(`random state ${field}`, s, "expected a multiple of 2^-32 in [0, 1) (a state() of a stream)");
  }
  return units | 0;
}
