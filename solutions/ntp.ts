/** Reference solution of Exercise 3.1 (see exercises/ntp.ts for the contract). */
import { disciplineAction } from "../src/protocols/clocks/ntp";

// The formulas are the clocks library's (src/protocols/clocks/ntp.ts): one piece of code.
export { roundTripDelay, estimatedSkew, type DisciplineAction } from "../src/protocols/clocks/ntp";
import type { DisciplineAction } from "../src/protocols/clocks/ntp";

/** The two ways to adjust a node's time-of-day clock (a subset of ctx.clock in the simulator). */
export interface AdjustableClock {
  /** Set the clock forwards (deltaMs > 0) or backwards by deltaMs at once. */
  step(deltaMs: number): void;
  /** Absorb deltaMs gradually, running fast or slow by ratePpm (at most 500; default 500). */
  slew(deltaMs: number, ratePpm?: number): void;
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
