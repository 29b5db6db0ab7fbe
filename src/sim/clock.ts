/**
 * A node's physical clock (lecture 3, "Quartz clocks", "Monotonic and time-of-day clocks"). It is a
 * piecewise-linear function of the global simulated time: between changes it runs at rate
 * 1 + ratePpm / 1e6, where ratePpm is the quartz drift (constant, or a function of time such as a
 * temperature curve, sampled every driftIntervalMs) plus any NTP slew in progress. A step moves the
 * time-of-day clock only; the monotonic clock never jumps.
 *
 * Clocks are read at non-decreasing global times (the simulator only moves forwards).
 */
import type { LocalClock } from "./protocol";
import { SimulationInputError } from "./errors";
import { requireFiniteNumber, requirePositive } from "./validate";

export interface ClockOptions {
  /** How far ahead (+) or behind (-) of true time the clock starts, in ms. Default 0. */
  offsetMs?: number;
  /** Quartz drift in ppm: a number, or a function of global time in ms (e.g. temperature). Default 0. */
  driftPpm?: number | ((globalMs: number) => number);
  /** With a drift function: how often it is sampled (ms). Default 1000. */
  driftIntervalMs?: number;
  /** What the time-of-day clock reads at global time 0 when offset is 0. Default 0. */
  epochMs?: number;
}

/** NTP's maximum slew rate, 500 ppm (lecture 3, "Correcting clock skew"). */
export const MAX_SLEW_PPM = 500;

/** Callbacks the simulator gives a clock, to trace adjustments and re-plan timers. */
export interface ClockObserver {
  onStep(deltaMs: number): void;
  onSlew(deltaMs: number, ratePpm: number): void;
}

export class PhysicalClock {
  private readonly driftFunction: ((globalMs: number) => number) | undefined;
  private readonly driftIntervalMs: number;
  private driftPpmNow: number;
  private nextDriftChangeMs: number;

  private baseGlobalMs = 0;
  private baseTimeOfDayMs: number;
  private baseMonotonicMs = 0;
  private lastReadMs = 0;

  private slewPpm = 0; // signed; 0 when no slew in progress
  private slewEndMs = Infinity;

  observer: ClockObserver | undefined;

  constructor(
    readonly node: string,
    options: ClockOptions = {},
  ) {
    const field = `clocks.${node}`;
    const offsetMs = requireFiniteNumber(`${field}.offsetMs`, options.offsetMs ?? 0);
    const epochMs = requireFiniteNumber(`${field}.epochMs`, options.epochMs ?? 0);
    this.baseTimeOfDayMs = epochMs + offsetMs;
    this.driftIntervalMs = requirePositive(`${field}.driftIntervalMs`, options.driftIntervalMs ?? 1000);
    const drift = options.driftPpm ?? 0;
    if (typeof drift === "function") {
      this.driftFunction = drift;
      this.driftPpmNow = this.sampleDrift(0);
      this.nextDriftChangeMs = this.driftIntervalMs;
    } else {
      this.driftFunction = undefined;
      this.driftPpmNow = checkDrift(`${field}.driftPpm`, drift);
      this.nextDriftChangeMs = Infinity;
    }
  }

  /** The clock's rate error now, in ppm (drift plus slew). */
  ratePpm(): number {
    return this.driftPpmNow + this.slewPpm;
  }

  timeOfDay(globalMs: number): number {
    this.advance(globalMs);
    return this.baseTimeOfDayMs + (globalMs - this.baseGlobalMs) * (1 + this.ratePpm() / 1e6);
  }

  monotonic(globalMs: number): number {
    this.advance(globalMs);
    return this.baseMonotonicMs + (globalMs - this.baseGlobalMs) * (1 + this.ratePpm() / 1e6);
  }

  step(globalMs: number, deltaMs: number): void {
    requireFiniteNumber("clock.step(deltaMs)", deltaMs);
    this.rebase(globalMs);
    this.baseTimeOfDayMs += deltaMs;
    this.observer?.onStep(deltaMs);
  }

  slew(globalMs: number, deltaMs: number, ratePpm = MAX_SLEW_PPM): void {
    requireFiniteNumber("clock.slew(deltaMs)", deltaMs);
    requirePositive("clock.slew(ratePpm)", ratePpm);
    if (ratePpm > MAX_SLEW_PPM) {
      throw new SimulationInputError("clock.slew(ratePpm)", ratePpm, `expected at most ${MAX_SLEW_PPM} ppm (NTP's limit)`);
    }
    this.rebase(globalMs);
    if (deltaMs === 0) {
      this.slewPpm = 0;
      this.slewEndMs = Infinity;
    } else {
      // Running ratePpm faster than the drift alone absorbs deltaMs after |deltaMs| / (ratePpm/1e6)
      // of global time.
      this.slewPpm = Math.sign(deltaMs) * ratePpm;
      this.slewEndMs = globalMs + Math.abs(deltaMs) / (ratePpm / 1e6);
    }
    this.observer?.onSlew(deltaMs, ratePpm);
  }

  /** The global time at which the monotonic clock will have advanced by delayMs from globalMs. */
  globalTimeAfter(globalMs: number, delayMs: number): number {
    const target = this.monotonic(globalMs) + delayMs;
    // Walk the known future segments (drift samples, the end of a slew) without changing state.
    let g = this.baseGlobalMs;
    let mono = this.baseMonotonicMs;
    let drift = this.driftPpmNow;
    let nextDrift = this.nextDriftChangeMs;
    let slewPpm = this.slewPpm;
    const slewEnd = this.slewEndMs;
    for (let segments = 0; ; segments++) {
      if (segments > 10_000_000) throw new Error(`clock ${this.node}: timer planning did not converge`);
      const rate = 1 + (drift + (g < slewEnd ? slewPpm : 0)) / 1e6;
      const boundary = Math.min(nextDrift, g < slewEnd ? slewEnd : Infinity);
      const reachAt = g + (target - mono) / rate;
      if (reachAt <= boundary) return Math.max(reachAt, globalMs);
      mono += (boundary - g) * rate;
      g = boundary;
      if (g >= slewEnd) slewPpm = 0;
      if (g >= nextDrift) {
        drift = this.sampleDrift(nextDrift);
        nextDrift += this.driftIntervalMs;
      }
    }
  }

  /** Moves the base of the linear piece to globalMs, crossing any segment boundaries before it. */
  private advance(globalMs: number): void {
    if (globalMs < this.lastReadMs) {
      throw new Error(`clock ${this.node}: read at ${globalMs} ms, before its last reading at ${this.lastReadMs} ms`);
    }
    this.lastReadMs = globalMs;
    while (globalMs >= this.nextDriftChangeMs || globalMs >= this.slewEndMs) {
      const boundary = Math.min(this.nextDriftChangeMs, this.slewEndMs);
      this.rebase(boundary);
      if (boundary >= this.slewEndMs) {
        this.slewPpm = 0;
        this.slewEndMs = Infinity;
      }
      if (boundary >= this.nextDriftChangeMs) {
        this.driftPpmNow = this.sampleDrift(boundary);
        this.nextDriftChangeMs = boundary + this.driftIntervalMs;
      }
    }
  }

  private rebase(globalMs: number): void {
    if (globalMs === this.baseGlobalMs) return;
    if (globalMs < this.baseGlobalMs) {
      throw new Error(`clock ${this.node}: moved to ${globalMs} ms, before ${this.baseGlobalMs} ms`);
    }
    if (globalMs > this.nextDriftChangeMs || globalMs > this.slewEndMs) this.advance(globalMs);
    const elapsed = (globalMs - this.baseGlobalMs) * (1 + this.ratePpm() / 1e6);
    this.baseTimeOfDayMs += elapsed;
    this.baseMonotonicMs += elapsed;
    this.baseGlobalMs = globalMs;
  }

  private sampleDrift(globalMs: number): number {
    return checkDrift(`clocks.${this.node}.driftPpm(${globalMs})`, (this.driftFunction as (g: number) => number)(globalMs));
  }
}

function checkDrift(field: string, value: unknown): number {
  const ppm = requireFiniteNumber(field, value);
  if (Math.abs(ppm) >= 1e6) throw new SimulationInputError(field, value, "expected a drift below 1e6 ppm in size");
  return ppm;
}

/** The view of a PhysicalClock that a handler sees: reads at the current simulated time. */
export function localClockView(clock: PhysicalClock, now: () => number): LocalClock {
  return {
    timeOfDay: () => clock.timeOfDay(now()),
    monotonic: () => clock.monotonic(now()),
    ratePpm: () => {
      clock.monotonic(now());
      return clock.ratePpm();
    },
    step: (deltaMs: number) => clock.step(now(), deltaMs),
    slew: (deltaMs: number, ratePpm?: number) => clock.slew(now(), deltaMs, ratePpm),
  };
}

