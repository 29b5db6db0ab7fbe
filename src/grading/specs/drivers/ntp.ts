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
 * One sample per correction, so that every correction can be checked against the exchange that caused it.
 *
 * The driver returns the clients' decisions, not a trace: the grader runs the same scenario itself,
 * replaying the decisions (replayDecisions), so the trace it judges is never written next to the
 * student's code (issue 10: a trace from the sandbox could be forged).
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

/** The clock operations discipline may call. */
type Clock = { step(deltaMs: number): void; slew(deltaMs: number, ratePpm?: number): void };

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

/**
 * What a client did with one NTP response: the four timestamps it saw, what the student's functions
 * returned, and the calls discipline made on the clock, in order.
 */
export interface NtpDecision extends Sample {
  readonly node: string;
  readonly delta: unknown;
  readonly theta: unknown;
  readonly action: unknown;
  readonly calls: ClockCall[];
}

/**
 * The NTP protocol around a client's handling of a response (`onResponse`: returns the label). The
 * same for the student's run (in the sandbox) and for its replay (in the grader), so both runs make
 * the same random draws and messages.
 */
function ntpProtocol(
  run: NtpRun,
  onResponse: (node: string, sample: Sample, clock: Clock) => string,
): Protocol<Record<string, never>, NtpMsg> {
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
        const sample = { t1: msg.t1, t2: msg.t2, t3: msg.t3, t4: ctx.clock.timeOfDay() };
        ctx.label(onResponse(ctx.nodeId, sample, ctx.clock));
      },
    },
  };
}

function labelOf(delta: unknown, theta: unknown, action: unknown): string {
  return `δ=${Number(delta).toFixed(1)} θ=${Number(theta).toFixed(1)} ${String(action).slice(0, 20)}`;
}

/** A clock for discipline that writes down each call (and passes it on to `clock`, if given). */
function recordingClock(calls: ClockCall[], clock?: Clock): Clock {
  return {
    step: (deltaMs) => {
      calls.push(["step", deltaMs]);
      clock?.step(deltaMs);
    },
    slew: (deltaMs, ratePpm) => {
      calls.push(["slew", deltaMs, ratePpm === undefined ? null : ratePpm]);
      clock?.slew(deltaMs, ratePpm);
    },
  };
}

/**
 * The grader's own run of the same scenario (trusted side): at each response, the next decision of
 * that node is checked against the timestamps this run produced (the same ones, if the decisions
 * come from this run) and its clock calls are made here. The trace is the grader's, never the
 * sandbox's. Throws, naming the response, when a decision does not fit the run.
 */
export function replayDecisions(run: NtpRun, decisions: readonly NtpDecision[]) {
  const queues = new Map<string, NtpDecision[]>();
  for (const d of decisions) queues.set(d.node, [...(queues.get(d.node) ?? []), d]);
  const result = simulate(
    run.scenario,
    ntpProtocol(run, (node, sample, clock) => {
      const decision = queues.get(node)?.shift();
      if (decision === undefined) throw new Error(`node ${node} received an NTP response (t4=${sample.t4}) for which the run reported no decision`);
      for (const key of ["t1", "t2", "t3", "t4"] as const) {
        if (!Object.is(decision[key], sample[key])) {
          throw new Error(`node ${node}'s decision reports ${key}=${String(decision[key])} where this run has ${key}=${sample[key]}: it is not the run that was asked for`);
        }
      }
      for (const call of decision.calls) {
        if (call[0] === "step") clock.step(call[1] as number);
        else clock.slew(call[1] as number, call[2] === null ? undefined : (call[2] as number));
      }
      return labelOf(decision.delta, decision.theta, decision.action);
    }),
  );
  const left = [...queues].filter(([, q]) => q.length > 0).map(([node, q]) => `${node}: ${q.length}`);
  if (left.length > 0) throw new Error(`the run reported decisions for responses that never arrived (${left.join(", ")})`);
  return result.trace;
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
      const action = student.discipline(recordingClock(calls), theta);
      return { action, calls };
    }),
  /**
   * NTP clients built from your functions, in the simulator: what each client did with each
   * response (the grader replays these decisions in a run of its own and judges that run's trace).
   */
  simulate: (student: Module, run: NtpRun) => {
    const decisions: NtpDecision[] = [];
    simulate(
      run.scenario,
      ntpProtocol(run, (node, { t1, t2, t3, t4 }, clock) => {
        const calls: ClockCall[] = [];
        const delta = student.roundTripDelay(t1, t2, t3, t4);
        const theta = student.estimatedSkew(t1, t2, t3, t4);
        const action = student.discipline(recordingClock(calls, clock), theta);
        decisions.push({ node, t1, t2, t3, t4, delta, theta, action, calls });
        return labelOf(delta, theta, action);
      }),
    );
    return decisions;
  },
};
