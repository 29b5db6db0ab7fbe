/**
 * NTP clients in the simulator, built from a student's three functions (Exercise 3.1): the driver
 * side of the simulation test. Loaded in the grader's sandbox, so it imports only the simulator.
 *
 * Node "S" is the server (a perfect clock: its time-of-day is true time); every other node is a
 * client that polls it every pollMs of its own monotonic clock:
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
import { Simulation, latency, type Protocol } from "../../sim/index";

/** The functions of Exercise 3.1 that the client uses. */
export interface NtpFunctions {
  roundTripDelay(t1: number, t2: number, t3: number, t4: number): number;
  estimatedSkew(t1: number, t2: number, t3: number, t4: number): number;
  discipline(clock: { step(deltaMs: number): void; slew(deltaMs: number, ratePpm?: number): void }, thetaMs: number): string;
}

export interface NtpScenario {
  readonly seed: string;
  /** Client clocks: initial offset from true time (ms) and quartz drift (ppm). */
  readonly clients: readonly { readonly node: string; readonly offsetMs: number; readonly driftPpm: number }[];
  /** One-way latency ranges, ms: client to server and server to client (asymmetric on purpose). */
  readonly requestMs: readonly [number, number];
  readonly responseMs: readonly [number, number];
  /** The server's processing time between t2 and t3, ms (a range). */
  readonly processingMs: readonly [number, number];
  readonly pollMs: number;
  readonly untilMs: number;
}

export const SERVER = "S";

type NtpMsg =
  | { readonly type: "NtpRequest"; readonly t1: number }
  | { readonly type: "NtpResponse"; readonly t1: number; readonly t2: number; readonly t3: number };

export function ntpClientOf(fns: NtpFunctions, scenario: NtpScenario): Protocol<Record<string, never>, NtpMsg> {
  return {
    name: "ntp-exercise",
    init: () => ({}),
    periodically: {
      poll: {
        everyMs: scenario.pollMs,
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
        const [low, high] = scenario.processingMs;
        ctx.startTimer("reply", ctx.random.uniform(low, high), { to: from, t1: msg.t1, t2: ctx.clock.timeOfDay() });
      },
      NtpResponse: (_state, msg, _from, ctx) => {
        const t4 = ctx.clock.timeOfDay();
        const delta = fns.roundTripDelay(msg.t1, msg.t2, msg.t3, t4);
        const theta = fns.estimatedSkew(msg.t1, msg.t2, msg.t3, t4);
        const action = fns.discipline(ctx.clock, theta);
        ctx.label(`δ=${Number(delta).toFixed(1)} θ=${Number(theta).toFixed(1)} ${String(action)}`);
      },
    },
  };
}

/** Runs the scenario; returns the trace. */
export function runNtpScenario(fns: NtpFunctions, scenario: NtpScenario) {
  const nodes = [SERVER, ...scenario.clients.map((c) => c.node)];
  const clocks: Record<string, { offsetMs: number; driftPpm: number }> = {};
  for (const c of scenario.clients) clocks[c.node] = { offsetMs: c.offsetMs, driftPpm: c.driftPpm };
  const [reqLow, reqHigh] = scenario.requestMs;
  const [respLow, respHigh] = scenario.responseMs;
  const sim = new Simulation({
    seed: scenario.seed,
    nodes,
    protocol: ntpClientOf(fns, scenario),
    network: {
      model: "reliable",
      latency: latency.fn(
        (random, from) => (from === SERVER ? respLow + (respHigh - respLow) * random.next() : reqLow + (reqHigh - reqLow) * random.next()),
        "asymmetric uniform",
      ),
    },
    clocks,
    description: "NTP clients (Exercise 3.1) polling server S",
  });
  return sim.run({ untilMs: scenario.untilMs }).trace;
}
