/**
 * Graded tests of Exercise 3.1, NTP (lecture 3, slides "Estimating time over a network" and
 * "Correcting clock skew").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { defineExercise, fail, pass, type Verdict } from "../define";
import type { Scenario } from "../../sim/scenario";
import { SERVER, drivers, replayDecisions, type ClockCall, type NtpDecision, type NtpRun, type Sample } from "./drivers/ntp";
import { preview } from "../scenarios";

const SLEW_BELOW_MS = 125;
const PANIC_FROM_MS = 1_000_000;
const MAX_SLEW_PPM = 500;

/** Trusted: the slide's action for a skew. */
export function expectedAction(thetaMs: number): "slew" | "step" | "panic" {
  const magnitude = Math.abs(thetaMs);
  return magnitude < SLEW_BELOW_MS ? "slew" : magnitude < PANIC_FROM_MS ? "step" : "panic";
}

function close(actual: unknown, expected: number, scale: number): boolean {
  return typeof actual === "number" && Math.abs(actual - expected) <= 1e-3 + 1e-12 * scale;
}

/** A time in ms as people read it: at most three decimals. */
function fmt(ms: number): string {
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(3);
}

function sampleText(s: Sample): string {
  return `t1=${s.t1}, t2=${s.t2}, t3=${s.t3}, t4=${s.t4}`;
}

/**
 * What is wrong with the clock calls made for a skew of theta ms, by the slide's rule, or undefined.
 * `scale`: the size of the numbers theta came from (a tolerance for rounding).
 */
function ruleBroken(theta: number, calls: readonly ClockCall[], scale: number): string | undefined {
  const expected = expectedAction(theta);
  const made = `it called ${calls.length === 0 ? "nothing" : calls.map((c) => preview(c)).join(", ")}`;
  if (expected === "panic") return calls.length === 0 ? undefined : `|theta| >= 1,000 s: NTP panics and leaves the clock alone, but ${made}`;
  const [call] = calls;
  if (calls.length !== 1 || call[0] !== expected) return `NTP should call clock.${expected}(${fmt(theta)}) once, but ${made}`;
  if (!close(call[1], theta, scale)) return `NTP should ${expected} by theta = ${fmt(theta)} ms, but ${made}`;
  const ppm = call[2];
  if (expected === "slew" && ppm !== null && !(typeof ppm === "number" && ppm > 0 && ppm <= MAX_SLEW_PPM)) return `it slewed at ${preview(ppm)} ppm; NTP slews at most 500 ppm`;
  return undefined;
}

/** Trusted checks, shared with the hidden tests. */
export const ntpChecks = {
  formulas(samples: readonly Sample[], output: unknown): Verdict {
    if (!Array.isArray(output) || output.length !== samples.length) return fail(`expected one result per sample, got ${preview(output)}`);
    for (let k = 0; k < samples.length; k++) {
      const s = samples[k];
      const got = output[k] as { delta?: unknown; theta?: unknown } | null;
      const scale = Math.max(Math.abs(s.t1), Math.abs(s.t2), Math.abs(s.t3), Math.abs(s.t4));
      const delta = s.t4 - s.t1 - (s.t3 - s.t2);
      const theta = (s.t2 - s.t1 + (s.t3 - s.t4)) / 2;
      if (!close(got?.delta, delta, scale)) {
        const hint = close(got?.delta, s.t4 - s.t1, scale) ? " (the server's processing time t3 - t2 is not part of the network delay)" : "";
        return fail(`roundTripDelay(${sampleText(s)}) should be (t4 - t1) - (t3 - t2) = ${delta}, got ${preview(got?.delta)}${hint}`);
      }
      if (!close(got?.theta, theta, scale)) {
        const hint = close(got?.theta, -theta, scale) ? " (the sign is reversed: theta > 0 means the client's clock is behind the server's)" : "";
        return fail(`estimatedSkew(${sampleText(s)}) should be t3 + delta/2 - t4 = ${theta}, got ${preview(got?.theta)}${hint}`);
      }
    }
    return pass;
  },

  discipline(thetas: readonly number[], output: unknown): Verdict {
    if (!Array.isArray(output) || output.length !== thetas.length) return fail(`expected one result per skew, got ${preview(output)}`);
    for (let k = 0; k < thetas.length; k++) {
      const theta = thetas[k];
      const got = output[k] as { action?: unknown; calls?: unknown } | null;
      const expected = expectedAction(theta);
      const rule =
        expected === "slew" ? "|theta| < 125 ms: slew" : expected === "step" ? "125 ms <= |theta| < 1,000 s: step" : "|theta| >= 1,000 s: panic";
      if (got?.action !== expected) return fail(`discipline(clock, ${theta}) should return "${expected}" (${rule}), got ${preview(got?.action)}`);
      if (!isCalls(got.calls)) return fail(`discipline(clock, ${theta}): could not read the clock calls (${preview(got.calls)})`);
      const broken = ruleBroken(theta, got.calls, Math.abs(theta));
      if (broken !== undefined) return fail(`discipline(clock, ${theta}): ${broken}`);
    }
    return pass;
  },

  /**
   * The grader's run with the clients' decisions replayed (see `replayed`): each response's clock
   * calls follow the slide's rule for that exchange, and the clocks converge.
   */
  simulation(run: NtpRun, output: unknown): Verdict {
    const replay = replayed(run, output);
    if (!("decisions" in replay)) return replay;
    const { scenario, pollMs } = run;
    const clients = scenario.nodes.filter((node) => node !== SERVER).map((node) => ({ node, offsetMs: 0, driftPpm: 0, ...scenario.clocks?.[node] }));
    const events = replay.trace.events;
    // The diagram of a failure: the exchange around time t (a round trip is at most a few hundred
    // ms), its times counted from the window's start (diagrams start at 0 ms).
    const window = (t: number) => events.filter((e) => e.t >= t - 150 && e.t <= t + 40 && e.kind !== "init").map((e) => ({ ...e, t: e.t - (t - 150) }) as TraceEvent);
    const since = (t: number) => ` (diagram: ms since ${(t - 150).toFixed(0)} ms)`;
    // The replay gave each node's decisions to its responses in order; so do these queues.
    const queues = new Map(clients.map(({ node }) => [node, replay.decisions.filter((d) => d.node === node)]));
    for (const e of events) {
      if (e.kind !== "receive" || e.msg.type !== "NtpResponse") continue;
      const { t1, t2, t3, t4, calls } = queues.get(e.node)!.shift()!;
      const theta = (t2 - t1 + (t3 - t4)) / 2;
      const broken = ruleBroken(theta, calls, Math.abs(t4) + Math.abs(t1));
      if (broken !== undefined) {
        const at = `node ${e.node} at ${e.t.toFixed(0)} ms (t1=${fmt(t1)}, t2=${fmt(t2)}, t3=${fmt(t3)}, t4=${fmt(t4)}: theta = ${theta.toFixed(3)} ms)`;
        return fail(`${at}: ${broken}${since(e.t)}`, marked(window(e.t), e.i, `should ${expectedAction(theta)}${expectedAction(theta) === "panic" ? "" : ` by ${theta.toFixed(1)} ms`}`));
      }
    }
    const expectedPolls = Math.floor(scenario.untilMs / pollMs) - 2;
    const polled = (node: string) => replay.decisions.filter((d) => d.node === node).length;
    for (const { node } of clients) {
      if (polled(node) < expectedPolls) return fail(`client ${node} received ${polled(node)} NTP responses, expected at least ${expectedPolls}: the run is incomplete`);
    }
    // Convergence: after the first 10 minutes, every non-panicking client's error stays within
    // the bound that the network's asymmetry and the drift between polls allow.
    const [, procMax] = run.processingMs;
    const settledMs = Math.min(600_000, scenario.untilMs / 2);
    for (const client of clients) {
      if (expectedAction(client.offsetMs) === "panic") continue;
      const asymmetryMs = latencyMsMax(scenario, client.node, SERVER) + latencyMsMax(scenario, SERVER, client.node) + procMax;
      const bound = asymmetryMs / 2 + (2 * Math.abs(client.driftPpm) * pollMs) / 1e6 + 5;
      const errorOf = (e: TraceEvent) => (e as { local: number }).local - e.t;
      const worst = events.filter((e) => e.t >= settledMs && "node" in e && e.node === client.node && "local" in e).reduce<TraceEvent | undefined>(
        (w, e) => (w === undefined || Math.abs(errorOf(e)) > Math.abs(errorOf(w)) ? e : w),
        undefined,
      );
      if (worst === undefined || Math.abs(errorOf(worst)) <= bound) continue;
      const error = errorOf(worst);
      return fail(
        `client ${client.node} (started ${client.offsetMs} ms off, drift ${client.driftPpm} ppm) is still ${error.toFixed(1)} ms off true time at ${worst.t.toFixed(0)} ms; ` +
          `after ${settledMs / 60_000} minutes of polling it should stay within ${bound.toFixed(1)} ms${since(worst.t)}`,
        marked(window(worst.t), worst.i, `error ${error.toFixed(1)} ms`),
      );
    }
    return pass;
  },
};

/** Whether a driver's list of clock calls has the shape the recording clock writes. */
function isCalls(calls: unknown): calls is ClockCall[] {
  return Array.isArray(calls) && calls.length <= 16 && calls.every((c) => Array.isArray(c) && (
    (c[0] === "step" && c.length === 2 && typeof c[1] === "number") ||
    (c[0] === "slew" && c.length === 3 && typeof c[1] === "number" && (c[2] === null || typeof c[2] === "number"))));
}

/**
 * The grader's own run of the scenario with the clients' decisions (the driver's output, untrusted:
 * shape checked here) replayed; a decision that does not fit the run fails the test.
 */
function replayed(run: NtpRun, output: unknown): { trace: Trace; decisions: NtpDecision[] } | Verdict {
  if (!Array.isArray(output)) return fail(`expected the clients' decisions (a list), got ${preview(output)}`);
  if (output.length > 100_000) return fail(`expected at most 100000 decisions, got ${output.length}`);
  const nodes = new Set(run.scenario.nodes.filter((n) => n !== SERVER));
  for (const [k, d] of output.entries()) {
    const ok = typeof d === "object" && d !== null && nodes.has(d.node) && ["t1", "t2", "t3", "t4"].every((key) => typeof d[key] === "number") && isCalls(d.calls);
    if (!ok) return fail(`decision ${k} is not { node (a client), t1, t2, t3, t4, calls: [["step", ms] | ["slew", ms, ppm or null], ...] }: ${preview(d)}`);
  }
  const decisions = output as NtpDecision[];
  try {
    return { trace: replayDecisions(run, decisions), decisions };
  } catch (error) {
    return fail(`replaying the clients' decisions: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The largest one-way latency of the link from -> to in the scenario (the network's default: 10 ms). */
function latencyMsMax(scenario: Scenario, from: string, to: string): number {
  const value = scenario.network?.links?.find((l) => l.from === from && l.to === to)?.latencyMs ?? scenario.network?.latencyMs ?? 10;
  return typeof value === "number" ? value : "congested" in value ? value.congested : value[1];
}

/** NTP clients polling S every 64 s: their clocks, and the latency ranges of requests and responses (asymmetric on purpose). */
function ntpRun(
  seed: string,
  clients: readonly { readonly node: string; readonly offsetMs: number; readonly driftPpm: number }[],
  latency: { readonly requestMs: readonly [number, number]; readonly responseMs: readonly [number, number]; readonly processingMs: readonly [number, number] },
  untilMs: number,
): NtpRun {
  const scenario: Scenario = {
    seed,
    nodes: [SERVER, ...clients.map((c) => c.node)],
    network: { links: clients.flatMap((c) => [{ from: c.node, to: SERVER, latencyMs: latency.requestMs }, { from: SERVER, to: c.node, latencyMs: latency.responseMs }]) },
    clocks: Object.fromEntries(clients.map((c) => [c.node, { offsetMs: c.offsetMs, driftPpm: c.driftPpm }])),
    untilMs,
    description: "NTP clients (Exercise 3.1) polling server S",
  };
  return { scenario, pollMs: 64_000, processingMs: latency.processingMs };
}

/** The events of a window of the run, the failing one labelled (diagrams read labels). */
function marked(events: readonly TraceEvent[], index: number, text: string): TraceEvent[] {
  return events.map((e) => {
    if (e.i !== index) return e;
    const own = (e as { label?: string }).label;
    return { ...e, label: `✗ ${text}${own ? ` (${own})` : ""}` } as TraceEvent;
  });
}

const exchanges: Sample[] = [
  { t1: 0, t2: 60, t3: 70, t4: 110 },
  { t1: 1000, t2: 900, t3: 900, t4: 1040 },
  { t1: 5000, t2: 5000, t3: 5000, t4: 5000 },
  { t1: 100, t2: 300, t3: 305, t4: 125 },
  { t1: 1_700_000_000_000, t2: 1_700_000_000_150.5, t3: 1_700_000_000_152.25, t4: 1_700_000_000_040 },
];

/** Exchanges with t1 <= t4 and t2 <= t3, around small and realistic (Unix ms) times. */
const samples = fc.array(
  fc
    .record({
      base: fc.constantFrom(0, 1_000_000, 1_700_000_000_000),
      t1: fc.integer({ min: 0, max: 1_000_000 }),
      skew: fc.integer({ min: -2_000_000, max: 2_000_000 }),
      request: fc.integer({ min: 0, max: 500 }),
      processing: fc.integer({ min: 0, max: 50 }),
      response: fc.integer({ min: 0, max: 500 }),
      fraction: fc.constantFrom(0, 0.25, 0.5),
    })
    .map(({ base, t1, skew, request, processing, response, fraction }) => {
      const t2 = base + t1 + skew + request + fraction;
      const t3 = t2 + processing;
      return { t1: base + t1, t2, t3, t4: base + t1 + request + processing + response + fraction * 3 };
    }),
  { minLength: 1, maxLength: 10 },
);

const thresholds = [0, 10, -10, 124.999, -124.999, 125, -125, 300, -3_000, 999_999.5, -999_999.5, 1_000_000, -1_000_000, 5e6];
const skews = fc.array(
  fc.oneof(
    fc.double({ min: -130, max: 130, noNaN: true }),
    fc.double({ min: -1_100_000, max: 1_100_000, noNaN: true }),
    fc.integer({ min: -2e9, max: 2e9 }),
  ),
  { minLength: 1, maxLength: 20 },
);

export const clientsAtEveryThreshold: NtpRun = ntpRun(
  "ntp-basic",
  [
    { node: "A", offsetMs: 60, driftPpm: 30 },
    { node: "B", offsetMs: -90, driftPpm: -45 },
    { node: "C", offsetMs: 3_000, driftPpm: 10 },
    { node: "D", offsetMs: -400_000, driftPpm: 0 },
    { node: "E", offsetMs: -1_200_000, driftPpm: 20 },
  ],
  { requestMs: [2, 10], responseMs: [5, 40], processingMs: [0.5, 3] },
  3_600_000,
);

/** Random client clocks (slew, step and panic ranges) and asymmetric latencies, 40 minutes of polling. */
export function ntpRuns(clientsMax: number): fc.Arbitrary<NtpRun> {
  const client = fc.record({
    offsetMs: fc.oneof(fc.integer({ min: -124, max: 124 }), fc.integer({ min: -900_000, max: 900_000 }), fc.constantFrom(-2_000_000, 1_500_000)),
    driftPpm: fc.integer({ min: -50, max: 50 }),
  });
  const range = (maxMs: number) => fc.tuple(fc.integer({ min: 0, max: maxMs }), fc.integer({ min: 0, max: maxMs })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  return fc
    .record({
      seed: fc.nat(1_000_000),
      clients: fc.array(client, { minLength: 1, maxLength: clientsMax }),
      requestMs: range(60),
      responseMs: range(60),
      processingMs: range(5),
    })
    .map(({ seed, clients, requestMs, responseMs, processingMs }) =>
      ntpRun(`ntp-${seed}`, clients.map((c, k) => ({ node: `C${k + 1}`, ...c })), { requestMs, responseMs, processingMs }, 2_400_000),
    );
}

export const ntpExercise = defineExercise({
  id: "3.1",
  title: "NTP: skew estimate and clock discipline",
  slide: "Estimating time over a network",
  module: "ntp",
  drivers,
  tests: [
    {
      name: "Estimating time over a network: the slide's formulas",
      points: 2,
      category: "basic",
      description: "roundTripDelay and estimatedSkew on five exchanges, including a client ahead of the server and real Unix times in ms.",
      driver: "formulas",
      inputs: [exchanges],
      check: ntpChecks.formulas,
    },
    {
      name: "Estimating time over a network: random exchanges",
      points: 2,
      category: "randomised",
      description: "Random exchanges (any skew, asymmetric delays, server processing time): delta and theta as the slide defines them.",
      driver: "formulas",
      arbitrary: samples,
      runs: 100,
      check: ntpChecks.formulas,
    },
    {
      name: "Correcting clock skew: slew below 125 ms, step below 1000 s, else panic",
      points: 2,
      category: "basic",
      description: "discipline at and around each threshold, both signs: the action returned and the one clock call made (none when panicking).",
      driver: "discipline",
      inputs: [thresholds],
      check: ntpChecks.discipline,
    },
    {
      name: "Correcting clock skew: random skews",
      points: 1,
      category: "randomised",
      description: "discipline on random skews from microseconds to weeks.",
      driver: "discipline",
      arbitrary: skews,
      runs: 100,
      check: ntpChecks.discipline,
    },
    {
      name: "NTP in the simulator: clients converge, each correction follows the rule",
      points: 3,
      category: "unreliable network",
      description:
        "Five clients 60 ms to 20 minutes off true time, drifting up to 45 ppm, poll a server every 64 s for an hour over asymmetric random latencies.",
      driver: "simulate",
      inputs: [clientsAtEveryThreshold],
      check: ntpChecks.simulation,
    },
  ],
});
