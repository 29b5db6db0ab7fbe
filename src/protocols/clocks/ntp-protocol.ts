/**
 * An NTP client and server (lecture 3, slides "Network Time Protocol (NTP)", "Estimating time over
 * a network" and "Correcting clock skew"). Every node runs the same protocol; the node named
 * `server` answers, every other node is a client:
 *
 *   periodically at a client do  send (NtpRequest, t1) to the server, t1 = time-of-day clock
 *   on receiving (NtpRequest, t1) at the server do
 *     t2 := clock; ...; t3 := clock; send (NtpResponse, t1, t2, t3) to the client
 *   on receiving (NtpResponse, t1, t2, t3) at a client do
 *     t4 := clock; keep the sample; once there are samplesPerUpdate samples, take the one with
 *     the smallest round-trip delay, estimate theta, and slew, step or panic
 *
 * Handlers take no simulated time, so t2 = t3 here. A step sets the clock to the estimated server
 * time (a step by theta); a slew asks the clock to absorb theta at up to 500 ppm (a new slew
 * replaces one still in progress); a panic only logs, leaving the clock alone for an operator.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import { bestSample, type NtpSample } from "./ntp";
// Exercise 3.1's estimates and correction: in the handout, the student's (this client demonstrates it).
import { discipline, estimatedSkew, roundTripDelay, type DisciplineAction } from "./ntp-discipline";

export type NtpMsg =
  | { readonly type: "NtpRequest"; readonly t1: number }
  | { readonly type: "NtpResponse"; readonly t1: number; readonly t2: number; readonly t3: number };

/** One clock correction decision made by a client (for notebooks to plot). */
export interface NtpAdjustment {
  /** The client's time-of-day clock when it decided (before adjusting). */
  readonly atLocalMs: number;
  readonly thetaMs: number;
  readonly deltaMs: number;
  readonly action: DisciplineAction;
}

export interface NtpState {
  samples: NtpSample[];
  /** The most recent decisions, oldest first (at most maxHistory). */
  adjustments: NtpAdjustment[];
}

export interface NtpOptions {
  /** The node that answers requests. */
  readonly server: NodeId;
  /** How often a client sends a request (ms of its monotonic clock). Default 1000. */
  readonly pollMs?: number;
  /** Samples collected before each correction; the one with the smallest delay is used. Default 1. */
  readonly samplesPerUpdate?: number;
  /** How many adjustments the state keeps. Default 1000. */
  readonly maxHistory?: number;
}

export function ntp(options: NtpOptions): Protocol<NtpState, NtpMsg> {
  const { server } = options;
  const pollMs = options.pollMs ?? 1000;
  const samplesPerUpdate = options.samplesPerUpdate ?? 1;
  const maxHistory = options.maxHistory ?? 1000;
  if (typeof server !== "string" || server === "") throw new RangeError(`server must be a node id, got ${String(server)}`);
  if (!(pollMs > 0) || !Number.isFinite(pollMs)) throw new RangeError(`pollMs must be a positive number of ms, got ${String(pollMs)}`);
  if (!Number.isSafeInteger(samplesPerUpdate) || samplesPerUpdate < 1) {
    throw new RangeError(`samplesPerUpdate must be a positive integer, got ${String(samplesPerUpdate)}`);
  }
  if (!Number.isSafeInteger(maxHistory) || maxHistory < 1) throw new RangeError(`maxHistory must be a positive integer, got ${String(maxHistory)}`);
  return {
    name: "ntp",
    init: (ctx) => {
      if (!ctx.nodes.includes(server)) throw new RangeError(`server ${server} is not one of the nodes ${ctx.nodes.join(", ")}`);
      return { samples: [], adjustments: [] };
    },
    periodically: {
      poll: {
        everyMs: pollMs,
        run: (_state, ctx) => {
          if (ctx.nodeId === server) return;
          ctx.send(server, { type: "NtpRequest", t1: ctx.clock.timeOfDay() });
        },
      },
    },
    receive: {
      NtpRequest: (_state, msg, from, ctx) => {
        const t2 = ctx.clock.timeOfDay();
        const t3 = ctx.clock.timeOfDay();
        ctx.send(from, { type: "NtpResponse", t1: msg.t1, t2, t3 });
      },
      NtpResponse: (state, msg, _from, ctx) => {
        const t4 = ctx.clock.timeOfDay();
        const sample: NtpSample = { t1: msg.t1, t2: msg.t2, t3: msg.t3, t4 };
        // A sample whose delay is negative was corrupted by a clock step between t1 and t4.
        if (roundTripDelay(sample.t1, sample.t2, sample.t3, sample.t4) < 0) return;
        state.samples.push(sample);
        if (state.samples.length < samplesPerUpdate) return;
        const best = bestSample(state.samples);
        state.samples = [];
        const thetaMs = estimatedSkew(best.t1, best.t2, best.t3, best.t4);
        const deltaMs = roundTripDelay(best.t1, best.t2, best.t3, best.t4);
        const action = discipline(ctx.clock, thetaMs);
        state.adjustments.push({ atLocalMs: t4, thetaMs, deltaMs, action });
        if (state.adjustments.length > maxHistory) state.adjustments.shift();
        ctx.label(`θ=${thetaMs.toFixed(1)} ms, δ=${deltaMs.toFixed(1)} ms: ${action}`);
        if (action === "panic") ctx.log(`NTP panic: estimated skew ${thetaMs.toFixed(0)} ms is 1000 s or more; leaving the clock for an operator`);
      },
    },
  };
}
