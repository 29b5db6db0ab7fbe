/**
 * NTP's arithmetic beyond Exercise 3.1, as pure functions (lecture 3, slide "Estimating time over a
 * network"): the estimated server time, the error bound, the best of several samples. The round
 * trip, the skew and the correction are the exercise's answer: ./ntp-discipline.ts re-exports them
 * from solutions/ntp.ts. The protocol that uses all of them is in ntp-protocol.ts.
 *
 * The four timestamps of one request/response exchange, all in ms:
 *   t1  client's time-of-day clock when it sends the request
 *   t2  server's clock when the request arrives
 *   t3  server's clock when it sends the response
 *   t4  client's clock when the response arrives
 */

import { roundTripDelay } from "./ntp-discipline";

/** One request/response exchange between an NTP client and server. */
export interface NtpSample {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
}

/** Throws an error naming the argument unless value is a finite number. */
export function requireFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of ms, got ${String(value)}`);
  }
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
