/**
 * Drivers of Exercise 3.1 (run with the student's code; see src/grading/define.ts).
 *
 * The simulation test builds NTP clients from the student's three functions. Node "S" is the server
 * (a perfect clock: its time-of-day is true time); every other node is a client that polls it every
 * pollMs of its own monotonic clock:
 *
 *   periodically at a client do       send (NtpRequest, t1) to S
 *   on receiving (NtpRequest, t1) at S do
 *     t2 := clock; after a short processing time t3 := clock; send (NtpResponse, t1, t2, t3)
 *   on receiving (NtpResponse, t1, t2, t3) at a client do
 *     t4 := clock; theta := estimatedSkew(t1, t2, t3, t4); discipline(clock, theta)
 *
 * One sample per correction, so that every correction can be checked against the exchange that
 * caused it (the trace holds t1, t2, t3 in the response and t4 as the receiving node's clock).
 */
import type * as Student from "../../../../exercises/ntp";
import { simulate, type Protocol, type Scenario } from "../../../sim/index";

type Module = typeof Student;

/** One exchange's four timestamps. */
export interface Sample {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
}

/** A clock call discipline made: ["slew", deltaMs, ratePpm or null] or ["step", deltaMs]. */
export type ClockCall = readonly [string, ...unknown[]];

export const SERVER = "S";

/**
 * A run of NTP: the scenario (the server S and the clients, their clocks, the links' latencies) and
 * the protocol's parameters: the poll interval and the server's processing time between t2 and t3.
 */
export interface NtpRun {
  readonly scenario: Scenario;
  readonly pollMs: number;
  readonly processingMs: readonly [number, number];
}

type NtpMsg =
  | { readonly type: "NtpRequest"; readonly t1: number }
  | { readonly type: "NtpResponse"; readonly t1: number; readonly t2: number; readonly t3: number };

function ntpClientOf(student: Module, run: NtpRun): Protocol<Record<string, never>, NtpMsg> {
  return {
    name: "ntp-exercise",
    init: () => ({}),
    periodically: {
      poll: {
        everyMs: run.pollMs,
        run: (_state, ctx) => {
          if (ctx.nodeId !== SERVER) ctx.send(SERVER, { type: "NtpRequest", t1: ctx.clock.timeOfDay() });
        },
      },
    },
    timers: {
      reply: (_state, data, ctx) => {
        const { to, t1, t2 } = data as { to: string; t1: number; t2: number };
        ctx.send(to, { type: "NtpResponse", t1, t2, t3: ctx.clock.timeOfDay() });
      },
    },
    receive: {
      NtpRequest: (_state, msg, from, ctx) => {
        const [low, high] = run.processingMs;
        ctx.startTimer("reply", ctx.random.uniform(low, high), { to: from, t1: msg.t1, t2: ctx.clock.timeOfDay() });
      },
      NtpResponse: (_state, msg, _from, ctx) => {
        const t4 = ctx.clock.timeOfDay();
        const delta = student.roundTripDelay(msg.t1, msg.t2, msg.t3, t4);
        const theta = student.estimatedSkew(msg.t1, msg.t2, msg.t3, t4);
        const action = student.discipline(ctx.clock, theta);
        ctx.label(`δ=${Number(delta).toFixed(1)} θ=${Number(theta).toFixed(1)} ${String(action)}`);
      },
    },
  };
}

export const drivers = {
  /** roundTripDelay and estimatedSkew of each sample. */
  formulas: (student: Module, samples: Sample[]) =>
    samples.map((s) => ({
      delta: student.roundTripDelay(s.t1, s.t2, s.t3, s.t4),
      theta: student.estimatedSkew(s.t1, s.t2, s.t3, s.t4),
    })),
  /** For each theta: the action discipline returned and the clock methods it called. */
  discipline: (student: Module, thetas: number[]) =>
    thetas.map((theta) => {
      const calls: ClockCall[] = [];
      const clock = {
        step: (deltaMs: number) => void calls.push(["step", deltaMs]),
        slew: (deltaMs: number, ratePpm?: number) => void calls.push(["slew", deltaMs, ratePpm === undefined ? null : ratePpm]),
      };
      const action = student.discipline(clock, theta);
      return { action, calls };
    }),
  /** NTP clients built from your functions, in the simulator: the trace as JSON. */
  simulate: (student: Module, run: NtpRun) => simulate(run.scenario, ntpClientOf(student, run)).trace.toJSON(),
};
