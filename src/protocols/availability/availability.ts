/**
 * Availability (lecture 1, "Availability" and "Achieving high availability: fault tolerance").
 *
 * Pure helpers: the nines table, percentiles and SLO checks over measured latencies, and the
 * availability of one server versus n replicas when nodes fail and are repaired at random.
 */
import type { Random } from "../../sim/protocol";

/** A year of 365.25 days, in ms. */
export const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

export interface NinesRow {
  readonly nines: number;
  /** e.g. 0.999 for three nines. */
  readonly availability: number;
  readonly downtimePerYearMs: number;
  /** e.g. "8.8 hours". */
  readonly downtimePerYear: string;
}

/** "Two nines = 99% up = down 3.7 days/year", and so on for 1..maxNines nines. */
export function ninesTable(maxNines = 5): NinesRow[] {
  if (!Number.isInteger(maxNines) || maxNines < 1 || maxNines > 12) throw new RangeError(`maxNines must be an integer in [1, 12], got ${maxNines}`);
  const rows: NinesRow[] = [];
  for (let k = 1; k <= maxNines; k++) {
    const downFraction = 10 ** -k;
    const downtimePerYearMs = YEAR_MS * downFraction;
    rows.push({ nines: k, availability: 1 - downFraction, downtimePerYearMs, downtimePerYear: humanDuration(downtimePerYearMs) });
  }
  return rows;
}

/** A duration in the largest unit that keeps it >= 1, with 2 significant figures ("5.3 minutes"). */
export function humanDuration(ms: number): string {
  const units: [string, number][] = [["days", 86_400_000], ["hours", 3_600_000], ["minutes", 60_000], ["seconds", 1000], ["ms", 1]];
  for (const [name, size] of units) {
    if (ms >= size || name === "ms") {
      const value = Number((ms / size).toPrecision(2));
      // "1 day", not "1 days" (ms has no singular form to strip).
      return `${value} ${value === 1 && name !== "ms" ? name.slice(0, -1) : name}`;
    }
  }
  return `${ms} ms`;
}

/** The number of nines of an availability (0.999 -> 3), rounded down; 1 -> Infinity. */
export function ninesOf(availability: number): number {
  if (!(availability >= 0 && availability <= 1)) throw new RangeError(`availability must be in [0, 1], got ${availability}`);
  if (availability === 1) return Infinity;
  return Math.floor(-Math.log10(1 - availability) + 1e-9);
}

/** The p-th percentile (0 < p <= 100) by the nearest-rank method: the smallest value with >= p% at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of an empty list");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile p must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

export interface SloResult {
  /** e.g. "99.9% of requests within 200 ms". */
  readonly objective: string;
  readonly met: boolean;
  /** Fraction of requests that were within the bound. */
  readonly fractionWithin: number;
  /** The latency at the objective's percentile. */
  readonly percentileMs: number;
  readonly requests: number;
  /** Requests over the bound. */
  readonly slow: number;
}

/**
 * Service-Level Objective: "fraction of requests get a response within withinMs". A failed request
 * (no response) counts as infinitely slow: pass it as Infinity.
 */
export function checkSlo(latenciesMs: readonly number[], objective: { fraction: number; withinMs: number }): SloResult {
  const { fraction, withinMs } = objective;
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`SLO fraction must be in (0, 1], got ${fraction}`);
  if (latenciesMs.length === 0) throw new RangeError("checkSlo: no requests measured");
  const slow = latenciesMs.filter((l) => !(l <= withinMs)).length;
  const fractionWithin = 1 - slow / latenciesMs.length;
  return {
    objective: `${Number((fraction * 100).toPrecision(6))}% of requests within ${withinMs} ms`,
    met: fractionWithin >= fraction,
    fractionWithin,
    percentileMs: percentile(latenciesMs, fraction * 100),
    requests: latenciesMs.length,
    slow,
  };
}

/** Availability if each of n independent replicas is up with probability a and `needed` must be up. */
export function replicatedAvailability(a: number, n: number, needed = 1): number {
  if (!(a >= 0 && a <= 1)) throw new RangeError(`availability must be in [0, 1], got ${a}`);
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(needed) || needed < 1 || needed > n) throw new RangeError(`need integers 1 <= needed <= n, got n = ${n}, needed = ${needed}`);
  let total = 0;
  for (let k = needed; k <= n; k++) total += binomial(n, k) * a ** k * (1 - a) ** (n - k);
  return total;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

export interface FaultModel {
  /** Mean time to failure of a node, ms (exponentially distributed up-times). */
  readonly mttfMs: number;
  /** Mean time to repair, ms (exponentially distributed down-times). */
  readonly mttrMs: number;
}

/** The intervals [downAtMs, upAtMs) during which one node is down, within [0, durationMs). */
export function nodeDowntimes(fault: FaultModel, durationMs: number, random: Random, maxIntervals = 1_000_000): [number, number][] {
  if (!(fault.mttfMs > 0 && fault.mttrMs > 0)) throw new RangeError("mttfMs and mttrMs must be > 0");
  const out: [number, number][] = [];
  let t = random.exponential(fault.mttfMs);
  while (t < durationMs) {
    if (out.length >= maxIntervals) throw new RangeError(`nodeDowntimes: more than maxIntervals = ${maxIntervals} faults`);
    const up = t + random.exponential(fault.mttrMs);
    out.push([t, Math.min(up, durationMs)]);
    t = up + random.exponential(fault.mttfMs);
  }
  return out;
}

/**
 * Measured availability over one simulated run: n nodes fail and recover independently; the service
 * is up while at least `needed` nodes are up. Returns the fraction of time the service was up.
 */
export function simulateAvailability(options: {
  readonly replicas: number;
  readonly needed?: number;
  readonly fault: FaultModel;
  readonly durationMs: number;
  readonly random: Random;
}): number {
  const { replicas, fault, durationMs, random } = options;
  const needed = options.needed ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || needed > replicas) throw new RangeError(`need 1 <= needed <= replicas, got ${needed}, ${replicas}`);
  // Sweep over every moment a node goes down or comes up, counting nodes down.
  const changes: [number, number][] = [];
  for (let i = 0; i < replicas; i++) {
    for (const [down, up] of nodeDowntimes(fault, durationMs, random.fork(`replica-${i}`))) changes.push([down, +1], [up, -1]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let downNodes = 0;
  let last = 0;
  let unavailableMs = 0;
  for (const [t, delta] of changes) {
    if (replicas - downNodes < needed) unavailableMs += t - last;
    downNodes += delta;
    last = t;
  }
  if (replicas - downNodes < needed) unavailableMs += durationMs - last;
  return 1 - unavailableMs / durationMs;
}
