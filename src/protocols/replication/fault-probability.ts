/**
 * Probability of faults (lecture 5, slide "Probability of faults"): each of n replicas is faulty or
 * unavailable with probability p, independently. The slide's table for p = 0.01 has entries as small
 * as 6 · 10⁻⁷⁴ and 10⁻²⁰⁰. Summing binomial terms in floating point would round the large ones
 * (1 − (1 − p)ⁿ loses digits) and, computed carelessly (pⁿ as repeated products of tiny numbers, or
 * 1 − P(fewer than k)), turns the small ones into 0. So everything here is an exact fraction of
 * bigints, converted to a number (or a decimal string) only at the end, with correct rounding.
 */
import type { Random } from "../../sim/protocol";

/** An exact non-negative fraction num / den, den > 0, in lowest terms. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** num / den in lowest terms. */
export function fraction(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError("fraction: the denominator is 0");
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return g === 0n ? { num: 0n, den: 1n } : { num: num / g, den: den / g };
}

const ONE: Rational = { num: 1n, den: 1n };

export function add(a: Rational, b: Rational): Rational {
  return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}
export function subtract(a: Rational, b: Rational): Rational {
  return fraction(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function multiply(a: Rational, b: Rational): Rational {
  return fraction(a.num * b.num, a.den * b.den);
}
export function power(a: Rational, exponent: number): Rational {
  if (!Number.isInteger(exponent) || exponent < 0) throw new RangeError(`power: the exponent must be an integer >= 0, got ${exponent}`);
  return { num: a.num ** BigInt(exponent), den: a.den ** BigInt(exponent) };
}

/**
 * A probability as an exact fraction: a decimal string ("0.01", "1e-3"), a number (read as the
 * shortest decimal that prints as it, so 0.01 is exactly 1/100), or a Rational. Must lie in [0, 1].
 */
export function probability(p: number | string | Rational): Rational {
  let r: Rational;
  if (typeof p === "object") {
    if (typeof p.num !== "bigint" || typeof p.den !== "bigint") throw new TypeError("probability: a Rational needs bigint num and den");
    r = fraction(p.num, p.den);
  } else {
    const text = typeof p === "number" ? String(p) : p.trim();
    const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (match === null || (match[1] === "" && (match[2] ?? "") === "")) throw new RangeError(`probability: "${text}" is not a decimal number`);
    const digits = (match[1] ?? "") + (match[2] ?? "");
    const exponent = Number(match[3] ?? "0") - (match[2] ?? "").length;
    r = exponent >= 0 ? fraction(BigInt(digits) * 10n ** BigInt(exponent), 1n) : fraction(BigInt(digits), 10n ** BigInt(-exponent));
  }
  if (r.num < 0n || r.num > r.den) throw new RangeError(`probability: ${String(p)} is not in [0, 1]`);
  return r;
}

/** The binomial coefficient C(n, k), exactly. */
export function binomial(n: number, k: number): bigint {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial: n must be an integer >= 0, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0n;
  let result = 1n;
  const small = Math.min(k, n - k);
  for (let i = 1; i <= small; i++) result = (result * BigInt(n - small + i)) / BigInt(i);
  return result;
}

/** P(exactly k of n replicas faulty) = C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ, exactly. */
export function probabilityExactly(n: number, k: number, p: number | string | Rational): Rational {
  const q = probability(p);
  return multiply({ num: binomial(n, k), den: 1n }, multiply(power(q, k), power(subtract(ONE, q), n - k)));
}

/** P(at least k of n replicas faulty), summed term by term (no subtraction, so tiny values stay exact). */
export function probabilityAtLeast(n: number, k: number, p: number | string | Rational): Rational {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`probabilityAtLeast: n must be an integer >= 1, got ${n}`);
  if (!Number.isInteger(k)) throw new RangeError(`probabilityAtLeast: k must be an integer, got ${k}`);
  const q = probability(p);
  let sum: Rational = { num: 0n, den: 1n };
  for (let i = Math.max(0, k); i <= n; i++) sum = add(sum, probabilityExactly(n, i, q));
  return sum;
}

/** The slide's majority: at least (n + 1) / 2 replicas, i.e. ⌈(n + 1) / 2⌉ (51 of 100). */
export function majority(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`majority: n must be an integer >= 1, got ${n}`);
  return Math.ceil((n + 1) / 2);
}

/** Number of decimal digits of a positive bigint. */
function digitCount(x: bigint): number {
  return x.toString().length;
}

/**
 * The fraction as a decimal in scientific notation with `significant` digits, correctly rounded
 * (half up): { mantissa: "6.0", exponent: -74 }. Zero gives { mantissa: "0", exponent: 0 }.
 */
export function scientific(r: Rational, significant = 2): { mantissa: string; exponent: number } {
  if (!Number.isInteger(significant) || significant < 1 || significant > 40) throw new RangeError(`scientific: significant digits must be in [1, 40], got ${significant}`);
  if (r.num === 0n) return { mantissa: "0", exponent: 0 };
  if (r.num < 0n) throw new RangeError("scientific: negative fractions are not supported");
  // Estimate the decimal exponent from the digit counts, then correct it by one if needed.
  let exponent = digitCount(r.num) - digitCount(r.den);
  const scaled = (e: number) => {
    const shift = significant - 1 - e; // value * 10^shift should lie in [10^(s-1), 10^s)
    return shift >= 0 ? { n: r.num * 10n ** BigInt(shift), d: r.den } : { n: r.num, d: r.den * 10n ** BigInt(-shift) };
  };
  let { n, d } = scaled(exponent);
  if (n < d * 10n ** BigInt(significant - 1)) {
    exponent -= 1;
    ({ n, d } = scaled(exponent));
  }
  let digits = (2n * n + d) / (2n * d); // rounded half up
  if (digits === 10n ** BigInt(significant)) {
    digits /= 10n;
    exponent += 1;
  }
  const text = digits.toString();
  return { mantissa: text.length === 1 ? text : `${text[0]}.${text.slice(1)}`, exponent };
}

/** The fraction as the nearest double (6e-74 stays 6e-74, not 0). */
export function toNumber(r: Rational): number {
  if (r.num === 0n) return 0;
  const { mantissa, exponent } = scientific(r, 20);
  return Number(`${mantissa}e${exponent}`);
}

/** "6.0 × 10⁻⁷⁴", "0.049", "1" : how the notebook prints a probability. */
export function formatProbability(r: Rational, significant = 2): string {
  const { mantissa, exponent } = scientific(r, significant);
  if (mantissa === "0") return "0";
  if (exponent >= -3 && exponent <= 0) return Number(`${mantissa}e${exponent}`).toPrecision(significant).replace(/^(\d+\.\d*?)0+$/, "$1").replace(/\.$/, "");
  const superscript = String(exponent).replace(/[-0-9]/g, (c) => "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"["-0123456789".indexOf(c)]);
  return `${mantissa} × 10${superscript}`;
}

export interface FaultRow {
  readonly n: number;
  /** P(≥ 1 faulty) = 1 − (1 − p)ⁿ. */
  readonly atLeastOne: Rational;
  /** P(≥ (n + 1)/2 faulty): a majority is faulty. */
  readonly majority: Rational;
  /** P(all n faulty) = pⁿ. */
  readonly all: Rational;
}

/** The slide's table: for each n, the three probabilities, exactly. */
export function faultTable(p: number | string | Rational, ns: readonly number[] = [1, 3, 5, 100]): FaultRow[] {
  const q = probability(p);
  return ns.map((n) => {
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new RangeError(`faultTable: n must be an integer in [1, 10000], got ${n}`);
    return { n, atLeastOne: subtract(ONE, power(subtract(ONE, q), n)), majority: probabilityAtLeast(n, majority(n), q), all: power(q, n) };
  });
}

export interface SampledFaults {
  readonly trials: number;
  /** Trials in which at least one, a majority, and all replicas were faulty. */
  readonly atLeastOne: number;
  readonly majority: number;
  readonly all: number;
}

/**
 * Monte Carlo check of the table: `trials` times, each of n replicas is faulty with probability p
 * (drawn from the seeded stream `random`); counts the trials with ≥ 1, a majority, and all faulty.
 */
export function sampleFaults(n: number, p: number, trials: number, random: Random): SampledFaults {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sampleFaults: n must be an integer >= 1, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`sampleFaults: p must be in [0, 1], got ${p}`);
  if (!Number.isInteger(trials) || trials < 1 || trials > 10_000_000) throw new RangeError(`sampleFaults: trials must be an integer in [1, 10^7], got ${trials}`);
  const needed = majority(n);
  let atLeastOne = 0;
  let majorityCount = 0;
  let all = 0;
  for (let t = 0; t < trials; t++) {
    let faulty = 0;
    for (let i = 0; i < n; i++) if (random.next() < p) faulty += 1;
    if (faulty >= 1) atLeastOne += 1;
    if (faulty >= needed) majorityCount += 1;
    if (faulty === n) all += 1;
  }
  return { trials, atLeastOne, majority: majorityCount, all };
}
