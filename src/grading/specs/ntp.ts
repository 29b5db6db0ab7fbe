/**
 * Graded tests of Exercise 3.1, NTP (lecture 3, slides "Estimating time over a network" and
 * "Correcting clock skew").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { defineExercise, fail, pass, type Verdict } from "../define";
import type { Scenario } from "../../sim/scenario";
import { SERVER, drivers, replayDecisions, type NtpDecision, type NtpRun, type Sample } from "./drivers/ntp";
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
      const calls = got.calls;
      if (!Array.isArray(calls)) return fail(`discipline(clock, ${theta}): could not read the clock calls (${preview(calls)})`);
      const made = `it called ${calls.length === 0 ? "nothing" : calls.map((c) => preview(c)).join(", ")}`;
      if (expected === "panic") {
        if (calls.length !== 0) return fail(`discipline(clock, ${theta}) must leave the clock alone when it panics, but ${made}`);
        continue;
      }
      const call = calls[0] as unknown[];
      if (calls.length !== 1 || !Array.isArray(call) || call[0] !== expected) {
        return fail(`discipline(clock, ${theta}) should call clock.${expected}(${theta}) once, but ${made}`);
      }
      if (!close(call[1], theta, Math.abs(theta))) return fail(`discipline(clock, ${theta}) should ${expected} by theta = ${theta} ms, but ${made}`);
      if (expected === "slew" && call[2] !== null && !(typeof call[2] === "number" && call[2] > 0 && call[2] <= MAX_SLEW_PPM)) {
        return fail(`discipline(clock, ${theta}) slewed at ${preview(call[2])} ppm; NTP slews at most 500 ppm`);
      }
    }
    return pass;
  },

  /** Every correction follows the slide's rule for the exchange that caused it; clocks converge. */
  simulation(run: NtpRun, output: unknown): Verdict {
    const trace = replayed(run, output);
    if (!(trace instanceof Trace)) return trace;
    const { scenario, pollMs } = run;
    const clients = scenario.nodes.filter((node) => node !== SERVER).map((node) => ({ node, offsetMs: 0, driftPpm: 0, ...scenario.clocks?.[node] }));
    const events = trace.events;
    // The diagram of a failure: the exchange around time t (a round trip is at most a few hundred
    // ms), its times counted from the window's start (diagrams start at 0 ms).
    const window = (t: number) => events.filter((e) => e.t >= t - 150 && e.t <= t + 40 && e.kind !== "init").map((e) => ({ ...e, t: e.t - (t - 150) }) as TraceEvent);
    const since = (t: number) => ` (diagram: ms since ${(t - 150).toFixed(0)} ms)`;
    const responses = new Map<string, number>();
    for (const e of events) {
      if (e.kind === "clock-step" || e.kind === "clock-slew") {
        const cause = events.slice(0, e.i).reverse().find((x) => "node" in x && x.node === e.node && x.kind === "receive");
        if (cause === undefined || cause.t !== e.t || (cause.kind === "receive" && cause.msg.type !== "NtpResponse")) {
          return fail(`node ${e.node}'s clock was adjusted at ${e.t} ms without an NTP response just before it${since(e.t)}`, marked(window(e.t), e.i, "unexpected adjustment"));
        }
      }
      if (e.kind !== "receive" || e.msg.type !== "NtpResponse") continue;
      responses.set(e.node, (responses.get(e.node) ?? 0) + 1);
      const { t1, t2, t3 } = e.msg as unknown as { t1: number; t2: number; t3: number };
      const t4 = e.local;
      const theta = (t2 - t1 + (t3 - t4)) / 2;
      const expected = expectedAction(theta);
      const adjustments: TraceEvent[] = [];
      for (let j = e.i + 1; j < events.length && events[j].t === e.t; j++) {
        const x = events[j];
        if ((x.kind === "clock-step" || x.kind === "clock-slew") && x.node === e.node) adjustments.push(x);
      }
      const what = adjustments.map((a) => (a.kind === "clock-step" ? `a step by ${fmt(a.deltaMs)} ms` : a.kind === "clock-slew" ? `a slew by ${fmt(a.deltaMs)} ms at ${a.ratePpm} ppm` : a.kind));
      const at = `node ${e.node} at ${e.t.toFixed(0)} ms (t1=${fmt(t1)}, t2=${fmt(t2)}, t3=${fmt(t3)}, t4=${fmt(t4)}: theta = ${theta.toFixed(3)} ms)`;
      const made = what.length === 0 ? "no adjustment" : what.join(" and ");
      if (expected === "panic") {
        if (adjustments.length > 0) return fail(`${at}: |theta| >= 1,000 s, so NTP panics and leaves the clock alone, but the run shows ${made}${since(e.t)}`, marked(window(e.t), e.i, "should panic"));
        continue;
      }
      const a = adjustments[0];
      const right =
        adjustments.length === 1 &&
        a.kind === (expected === "slew" ? "clock-slew" : "clock-step") &&
        close((a as { deltaMs: number }).deltaMs, theta, Math.abs(t4) + Math.abs(t1));
      if (!right) return fail(`${at}: expected ${expected === "slew" ? "a slew" : "a step"} by theta, the run shows ${made}${since(e.t)}`, marked(window(e.t), e.i, `should ${expected} by ${theta.toFixed(1)} ms`));
    }
    const expectedPolls = Math.floor(scenario.untilMs / pollMs) - 2;
    for (const client of clients) {
      if ((responses.get(client.node) ?? 0) < expectedPolls) {
        return fail(`client ${client.node} received ${responses.get(client.node) ?? 0} NTP responses, expected at least ${expectedPolls}: the run is incomplete`);
      }
    }
    // Convergence: after the first 10 minutes, every non-panicking client's error stays within
    // the bound that the network's asymmetry and the drift between polls allow.
    const [, procMax] = run.processingMs;
    const settledMs = Math.min(600_000, scenario.untilMs / 2);
    for (const client of clients) {
      if (expectedAction(client.offsetMs) === "panic") continue;
      const asymmetryMs = latencyMsMax(scenario, client.node, SERVER) + latencyMsMax(scenario, SERVER, client.node) + procMax;
      const bound = asymmetryMs / 2 + (2 * Math.abs(client.driftPpm) * pollMs) / 1e6 + 5;
      const worst = events.filter((e) => e.t >= settledMs && "node" in e && e.node === client.node && "local" in e).reduce<TraceEvent | undefined>(
        (w, e) => (w === undefined || Math.abs((e as { local: number }).local - e.t) > Math.abs((w as { local: number }).local - w.t) ? e : w),
        undefined,
      );
      if (worst === undefined) continue;
      const error = (worst as { local: number }).local - worst.t;
      if (Math.abs(error) > bound) {
        return fail(
          `client ${client.node} (started ${client.offsetMs} ms off, drift ${client.driftPpm} ppm) is still ${error.toFixed(1)} ms off true time at ${worst.t.toFixed(0)} ms; ` +
            `after ${settledMs / 60_000} minutes of polling it should stay within ${bound.toFixed(1)} ms${since(worst.t)}`,
          marked(window(worst.t), worst.i, `error ${error.toFixed(1)} ms`),
        );
      }
    }
    return pass;
  },
};

/** The largest one-way latency of the link from -> to in the scenario (the network's default: 10 ms). */
/**
 * The grader's own run of the scenario with the clients' decisions (the driver's output, untrusted:
 * shape checked here) replayed; a decision that does not fit the run fails the test.
 */
function replayed(run: NtpRun, output: unknown): Trace | Verdict {
  if (!Array.isArray(output)) return fail(`expected the clients' decisions (a list), got ${preview(output)}`);
  if (output.length > 100_000) return fail(`expected at most 100000 decisions, got ${output.length}`);
  const nodes = new Set(run.scenario.nodes.filter((n) => n !== SERVER));
  for (const [k, d] of output.entries()) {
    const ok =
      typeof d === "object" && d !== null && nodes.has((d as NtpDecision).node) &&
      ["t1", "t2", "t3", "t4"].every((key) => typeof (d as Record<string, unknown>)[key] === "number") &&
      Array.isArray((d as NtpDecision).calls) && (d as NtpDecision).calls.length <= 16 &&
      (d as NtpDecision).calls.every((c) => Array.isArray(c) && (
        (c[0] === "step" && c.length === 2 && typeof c[1] === "number") ||
        (c[0] === "slew" && c.length === 3 && typeof c[1] === "number" && (c[2] === null || typeof c[2] === "number"))));
    if (!ok) return fail(`decision ${k} is not { node (a client), t1, t2, t3, t4, calls: [["step", ms] | ["slew", ms, ppm or null], ...] }: ${preview(d)}`);
  }
  try {
    return replayDecisions(run, output as NtpDecision[]);
  } catch (error) {
    return fail(`replaying the clients' decisions: ${error instanceof Error ? error.message : String(error)}`);
  }
}

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
