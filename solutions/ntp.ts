/**
 * Reference solution of Exercise 3.1 (see exercises/ntp.ts for the contract), lecture 3, slides
 * "Estimating time over a network" and "Correcting clock skew". The answer has one home, here: the
 * library's NTP client (src/protocols/clocks/ntp-protocol.ts, through ntp-discipline.ts) re-exports
 * this file, and the handout ships that file as a re-export of the student's exercises/ntp.ts.
 */

/** What the client does with an estimated skew theta (slide "Correcting clock skew"). */
export type DisciplineAction = "slew" | "step" | "panic";

/** The two ways to adjust a node's time-of-day clock (a subset of ctx.clock in the simulator). */
export interface AdjustableClock {
  /** Set the clock forwards (deltaMs > 0) or backwards by deltaMs at once. */
  step(deltaMs: number): void;
  /** Absorb deltaMs gradually, running fast or slow by ratePpm (at most 500; default 500). */
  slew(deltaMs: number, ratePpm?: number): void;
}

/** |theta| below this is slewed; at or above it (and below the panic threshold) the clock is stepped. */
const SLEW_THRESHOLD_MS = 125;
/** |theta| at or above this (1,000 s) makes NTP panic and leave the clock alone. */
const PANIC_THRESHOLD_MS = 1_000_000;

function requireFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of ms, got ${String(value)}`);
  }
}

function requireSample(t1: number, t2: number, t3: number, t4: number): void {
  requireFinite("t1", t1);
  requireFinite("t2", t2);
  requireFinite("t3", t3);
  requireFinite("t4", t4);
  // The server replies after the request arrived, on its own clock.
  if (t3 < t2) throw new RangeError(`t3 (${t3}) must not be before t2 (${t2}): the server replies after receiving`);
}

/**
 * delta = (t4 - t1) - (t3 - t2): the time the client waited minus the time the server held the
 * request. Each difference is read off one clock, so the skew between them cancels.
 */
export function roundTripDelay(t1: number, t2: number, t3: number, t4: number): number {
  requireSample(t1, t2, t3, t4);
  return t4 - t1 - (t3 - t2);
}

/**
 * theta = t3 + delta/2 - t4: the server's time when the response arrives, guessing that the
 * response took half the round trip, minus the client's. Positive: the client is behind.
 */
export function estimatedSkew(t1: number, t2: number, t3: number, t4: number): number {
  const delta = roundTripDelay(t1, t2, t3, t4);
  return t3 + delta / 2 - t4;
}

/** |theta| < 125 ms: slew; up to 1000 s: step; beyond: panic (leave the clock to an operator). */
function disciplineAction(thetaMs: number): DisciplineAction {
  requireFinite("thetaMs", thetaMs);
  const magnitude = Math.abs(thetaMs);
  if (magnitude < SLEW_THRESHOLD_MS) return "slew";
  if (magnitude < PANIC_THRESHOLD_MS) return "step";
  return "panic";
}

/**
 * Corrects `clock` by the estimated skew thetaMs as the slide says: slew by thetaMs, step by
 * thetaMs, or neither (panic). Returns the action taken.
 */
export function discipline(clock: AdjustableClock, thetaMs: number): DisciplineAction {
  const action = disciplineAction(thetaMs);
  if (action === "slew") clock.slew(thetaMs, 500);
  else if (action === "step") clock.step(thetaMs);
  return action;
}
