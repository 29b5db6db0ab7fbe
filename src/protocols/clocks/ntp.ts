/**
 * NTP's arithmetic, as pure functions (lecture 3, slides "Estimating time over a network" and
 * "Correcting clock skew"). The protocol that uses them is in ntp-protocol.ts.
 *
 * The four timestamps of one request/response exchange, all in ms:
 *   t1  client's time-of-day clock when it sends the request
 *   t2  server's clock when the request arrives
 *   t3  server's clock when it sends the response
 *   t4  client's clock when the response arrives
 */

/** One request/response exchange between an NTP client and server. */
export interface NtpSample {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
}

/** What the client does with an estimated skew theta (slide "Correcting clock skew"). */
export type DisciplineAction = "slew" | "step" | "panic";

/** |theta| below this is slewed; at or above it (and below the panic threshold) the clock is stepped. */
export const SLEW_THRESHOLD_MS = 125;
/** |theta| at or above this (1,000 s) makes NTP panic and leave the clock alone. */
export const PANIC_THRESHOLD_MS = 1_000_000;

/** Throws an error naming the argument unless value is a finite number. */
export function requireFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of ms, got ${String(value)}`);
  }
}

function requireSample(t1: number, t2: number, t3: number, t4: number): void {
  requireFinite("t1", t1);
  requireFinite("t2", t2);
  requireFinite("t3", t3);
  requireFinite("t4", t4);
  // The server cannot send its response before it received the request (on its own clock).
  if (t3 < t2) throw new RangeError(`t3 (${t3}) must not be before t2 (${t2}): the server replies after receiving`);
}

/**
 * Round-trip network delay: delta = (t4 - t1) - (t3 - t2), the client's elapsed time minus the
 * time the server spent processing. Both differences are on one clock each, so skew cancels out.
 */
export function roundTripDelay(t1: number, t2: number, t3: number, t4: number): number {
  requireSample(t1, t2, t3, t4);
  return t4 - t1 - (t3 - t2);
}

/**
 * Estimated clock skew: theta = t3 + delta/2 - t4 = ((t2 - t1) + (t3 - t4)) / 2. It assumes the
 * response took half the round trip; positive theta means the client's clock is behind the server's.
 */
export function estimatedSkew(t1: number, t2: number, t3: number, t4: number): number {
  const delta = roundTripDelay(t1, t2, t3, t4);
  return t3 + delta / 2 - t4;
}

/**
 * The server's time when the response reaches the client, as the client estimates it: t3 + delta/2.
 */
export function estimatedServerTime(t1: number, t2: number, t3: number, t4: number): number {
  return t3 + roundTripDelay(t1, t2, t3, t4) / 2;
}

/**
 * How far theta can be from the true skew: the response took somewhere between 0 and delta, and
 * theta assumed delta/2, so the error is at most delta/2 (ignoring drift during the exchange).
 */
export function skewErrorBound(t1: number, t2: number, t3: number, t4: number): number {
  return roundTripDelay(t1, t2, t3, t4) / 2;
}

/**
 * Of several samples from one server, the one with the smallest round-trip delay: it has the
 * tightest error bound, and queueing delays only ever add to the delay.
 * Ties go to the earliest sample in the list.
 */
export function bestSample(samples: readonly NtpSample[]): NtpSample {
  if (samples.length === 0) throw new RangeError("bestSample(samples) needs at least one sample, got none");
  let best = samples[0]!;
  let bestDelay = roundTripDelay(best.t1, best.t2, best.t3, best.t4);
  for (let k = 1; k < samples.length; k++) {
    const sample = samples[k]!;
    const delay = roundTripDelay(sample.t1, sample.t2, sample.t3, sample.t4);
    if (delay < bestDelay) {
      best = sample;
      bestDelay = delay;
    }
  }
  return best;
}

/**
 * Slide "Correcting clock skew":
 *   |theta| < 125 ms            -> slew  (run the clock slightly fast or slow, up to 500 ppm)
 *   125 ms <= |theta| < 1000 s  -> step  (reset the clock to the estimated server time)
 *   |theta| >= 1000 s           -> panic (do nothing; leave it to a human operator)
 */
export function disciplineAction(thetaMs: number): DisciplineAction {
  requireFinite("thetaMs", thetaMs);
  const magnitude = Math.abs(thetaMs);
  if (magnitude < SLEW_THRESHOLD_MS) return "slew";
  if (magnitude < PANIC_THRESHOLD_MS) return "step";
  return "panic";
}
