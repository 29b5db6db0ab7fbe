/**
 * Exercise 3.1: NTP (lecture 3, slides "Estimating time over a network" and "Correcting clock skew").
 *
 * One request/response exchange between an NTP client and server gives four timestamps, in ms:
 *   t1  the client's clock when it sends the request
 *   t2  the server's clock when the request arrives
 *   t3  the server's clock when it sends the response (t3 >= t2)
 *   t4  the client's clock when the response arrives
 *
 *   round-trip network delay    delta = (t4 - t1) - (t3 - t2)
 *   estimated server time at t4       t3 + delta / 2
 *   estimated clock skew        theta = t3 + delta / 2 - t4 = (t2 - t1 + t3 - t4) / 2
 *
 * theta > 0 means the client's clock is behind the server's. The client then corrects its clock:
 *
 *   |theta| < 125 ms              slew: run the clock slightly fast (theta > 0) or slow (theta < 0),
 *                                 by at most 500 ppm, until it has absorbed theta
 *   125 ms <= |theta| < 1,000 s   step: reset the clock to the estimated server time at once
 *   |theta| >= 1,000 s            panic: leave the clock alone for a human operator
 *
 * What the tests observe: the numbers `roundTripDelay` and `estimatedSkew` return for fixed and
 * random timestamps (including real Unix times in ms); which clock methods `discipline` calls, with
 * which arguments, and the action it returns, for skews around each threshold; and NTP clients in the
 * simulator, built from your three functions, polling a server over a network with asymmetric random
 * latencies: their clocks must end up close to true time, and every correction they make must follow
 * the rules above.
 */

/** What the client does with an estimated skew (slide "Correcting clock skew"). */
export type DisciplineAction = "slew" | "step" | "panic";

/** The two ways to adjust a node's time-of-day clock (a subset of ctx.clock in the simulator). */
export interface AdjustableClock {
  /** Set the clock forwards (deltaMs > 0) or backwards by deltaMs at once. */
  step(deltaMs: number): void;
  /** Absorb deltaMs gradually, running fast or slow by ratePpm (at most 500; default 500). */
  slew(deltaMs: number, ratePpm?: number): void;
}

/** delta = (t4 - t1) - (t3 - t2): the time the client waited, minus the time the server spent. */
export function roundTripDelay(t1: number, t2: number, t3: number, t4: number): number {
  throw new Error("Exercise 3.1 not implemented yet: roundTripDelay");
}

/** theta = t3 + delta / 2 - t4: how far the client's clock is behind the server's, as estimated. */
export function estimatedSkew(t1: number, t2: number, t3: number, t4: number): number {
  throw new Error("Exercise 3.1 not implemented yet: estimatedSkew");
}

/**
 * Corrects `clock` by the estimated skew thetaMs as the slide says: slew by thetaMs, step by
 * thetaMs, or neither (panic). Returns the action taken.
 */
export function discipline(clock: AdjustableClock, thetaMs: number): DisciplineAction {
  throw new Error("Exercise 3.1 not implemented yet: discipline");
}
