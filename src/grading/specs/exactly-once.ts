/**
 * Graded tests of Exercise 5.1, exactly-once updates: retry + deduplication (lecture 5, slides
 * "Retrying state updates" and "Idempotence").
 */
import * as fc from "fast-check";
import { checkExactlyOnce } from "../../checks/exactly-once";
import type { Scenario } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { defineExercise, type Verdict } from "../define";
import { readTrace, scenarios } from "../scenarios";
import { SERVER, drivers, type ExactlyOnceRun } from "./drivers/exactly-once";
import { replicationVerdict } from "./replication-runs";

const CLIENTS = ["A", "B", "K"] as const;

/** The k-th update a client asks for: likes and unlikes of a few users, so equal updates recur and only the request id tells them apart. */
export function updateRequest(k: number) {
  return { type: "update", to: SERVER, update: { op: k % 4 === 3 ? "unlike" : "like", userId: `u${k % 2}` } } as const;
}

/** Trusted checks, shared with the hidden tests. */
export const exactlyOnceChecks = {
  /** Every request applied exactly once and acknowledged; nothing invented. */
  exactlyOnce(input: ExactlyOnceRun, output: unknown): Verdict {
    const trace = readTrace(input.scenario, output);
    if (!(trace instanceof Trace)) return trace;
    return replicationVerdict(input.scenario, trace, [checkExactlyOnce(trace, { server: SERVER, clients: CLIENTS.filter((c) => input.scenario.nodes.includes(c)) })]);
  },
  /** As exactlyOnce, and the retries are spaced by exponential backoff. */
  withBackoff(input: ExactlyOnceRun, output: unknown): Verdict {
    const trace = readTrace(input.scenario, output);
    if (!(trace instanceof Trace)) return trace;
    const clients = CLIENTS.filter((c) => input.scenario.nodes.includes(c));
    return replicationVerdict(input.scenario, trace, [checkExactlyOnce(trace, { server: SERVER, clients, backoff: input.client })]);
  },
};

/**
 * Random runs: one or two clients (A, B) and the server S; loss, duplication; up to crashesMax
 * crash-recoveries of S (20-250 ms) and partitionsMax partitions.
 */
export function exactlyOnceRuns(options: { clients: 1 | 2; requestsMax: number; crashesMax: number; partitionsMax: number; lossMax: number }): fc.Arbitrary<ExactlyOnceRun> {
  const runs = scenarios({
    nodesMin: 3,
    nodesMax: 3,
    names: ["A", "B", SERVER],
    senders: options.clients,
    crashable: 1,
    requestsMax: options.requestsMax,
    request: (_node, k) => updateRequest(k),
    spreadMs: 30 * options.requestsMax,
    untilMs: 12_000,
    loss: [0, 0.1, 0.2, 0.3].filter((l) => l <= options.lossMax),
    duplicate: [0, 0.1, 0.3],
    latencyMsMax: 30,
    recoveriesMax: options.crashesMax,
    outageMsMax: 250,
    partitionsMax: options.partitionsMax,
    seedPrefix: "exactly-once",
  });
  // Short waits, so that runs settle soon after the last fault heals.
  return runs.map((scenario) => ({ scenario, client: { timeoutMs: 20, maxTimeoutMs: 160 } }));
}

/** Three requests (two of them the same like) over a reliable network, the default options. */
export const reliableRun: ExactlyOnceRun = {
  scenario: {
    seed: "exactly-once-basic",
    nodes: ["A", "S"],
    network: { latencyMs: [1, 20] },
    requests: [0, 1, 2].map((k) => ({ node: "A", atMs: 5 * k, request: k === 1 ? updateRequest(0) : updateRequest(k) })),
    untilMs: 2000,
  },
  client: { timeoutMs: 50, maxTimeoutMs: 800 },
};

/** S is cut off from A for 1.5 s: A's retries of its two requests come at the backoff's times. */
export const backoffRun: ExactlyOnceRun = {
  scenario: {
    seed: "exactly-once-backoff",
    nodes: ["A", "S"],
    network: { latencyMs: 5 },
    requests: [{ node: "A", atMs: 0, request: updateRequest(0) }, { node: "A", atMs: 7, request: updateRequest(1) }],
    faults: [{ kind: "partition", groups: [["A"], ["S"]], atMs: 0, healAtMs: 1500 }],
    untilMs: 5000,
  },
  client: { timeoutMs: 30, maxTimeoutMs: 400 },
};

/**
 * The Acks of S never reach the client K until 400 ms, and S crashes at 60 ms and recovers at 120
 * ms: K's retries after the recovery repeat requests S applied before the crash. (The client is K,
 * a name no other run uses, so its request ids are this run's own: a node host that served S in an
 * earlier run keeps that run's module-level data, and ids seen there must not look like these.)
 */
export const crashBetweenRequestAndRetry: ExactlyOnceRun = {
  scenario: {
    seed: "exactly-once-crash",
    nodes: ["K", "S"],
    network: { latencyMs: [1, 10] },
    requests: [0, 1, 2, 3].map((k) => ({ node: "K", atMs: 3 * k, request: updateRequest(k) })),
    faults: [
      { kind: "cut", links: [["S", "K"]], atMs: 0, healAtMs: 400 },
      { kind: "crash", node: "S", atMs: 60, recoverAtMs: 120 },
    ],
    untilMs: 3000,
  },
  client: { timeoutMs: 40, maxTimeoutMs: 160 },
};

export const exactlyOnceExercise = defineExercise({
  id: "5.1",
  title: "Exactly-once updates: retry + deduplication",
  slide: "Idempotence",
  module: "exactly-once",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "a reliable network: each request applied once and acknowledged",
      points: 1,
      category: "basic",
      description: "Client A asks S for three updates (two are the same like of the same user: two requests). Each is applied once and acknowledged once.",
      driver: "run",
      inputs: [reliableRun],
      check: exactlyOnceChecks.exactlyOnce,
    },
    {
      name: "loss and duplication: retries, each request applied exactly once",
      points: 3,
      category: "unreliable network",
      description: "Random seeds, one or two clients, up to 12 requests, up to 30% loss and 30% duplication: every request applied at S exactly once (never twice, never lost) and acknowledged.",
      driver: "run",
      arbitrary: fc.oneof(exactlyOnceRuns({ clients: 1, requestsMax: 12, crashesMax: 0, partitionsMax: 0, lossMax: 0.3 }), exactlyOnceRuns({ clients: 2, requestsMax: 12, crashesMax: 0, partitionsMax: 1, lossMax: 0.3 })),
      runs: 30,
      check: exactlyOnceChecks.exactlyOnce,
    },
    {
      name: "exponential backoff between retries",
      points: 1,
      category: "basic",
      description: "S is unreachable for 1.5 s: the client resends each request after 30, 60, 120, 240, 400, 400, ... ms (timeoutMs 30, maxTimeoutMs 400), then both are applied once.",
      driver: "run",
      inputs: [backoffRun],
      check: exactlyOnceChecks.withBackoff,
    },
    {
      name: "crash-recovery: the dedup table survives a crash of the server",
      points: 3,
      category: "crashes",
      description: "S applies four requests, crashes (60 ms) before the client K hears any Ack (the link S -> K is cut until 400 ms), and recovers at 120 ms: the retries that follow must not apply them again.",
      driver: "run",
      inputs: [crashBetweenRequestAndRetry],
      check: exactlyOnceChecks.exactlyOnce,
    },
    {
      name: "random crash-recoveries of the server, loss and duplication",
      points: 2,
      category: "crashes",
      description: "Random seeds, one or two clients, up to 12 requests, up to two crash-recoveries of S (20-250 ms), up to 30% loss and 30% duplication: exactly once.",
      driver: "run",
      arbitrary: exactlyOnceRuns({ clients: 2, requestsMax: 12, crashesMax: 2, partitionsMax: 0, lossMax: 0.3 }),
      runs: 20,
      check: exactlyOnceChecks.exactlyOnce,
    },
  ],
});
