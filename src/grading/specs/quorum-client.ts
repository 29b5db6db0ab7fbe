/**
 * Graded tests of Exercise 5.4, the quorum client with read repair (lecture 5, slides "Quorum (2
 * out of 3)", "Read and write quorums", "Read repair").
 */
import * as fc from "fast-check";
import { checkResult, combineResults, type CheckResult } from "../../checks/check-result";
import { checkQuorumClient } from "../../checks/quorum-ops";
import { compareTimestamps } from "../../checks/stale-reads";
import { searchCheck, type SearchInput } from "../explore";
import type { Scenario } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { defineExercise, type Verdict } from "../define";
import { readTrace, scenarios } from "../scenarios";
import { drivers, type QuorumRun } from "./drivers/quorum-client";
import { replicationVerdict } from "./replication-runs";

const CLIENTS = ["X", "Y"] as const;
const REPLICAS = ["A", "B", "C", "D", "E"] as const;

/** Trusted checks, shared with the hidden tests. */
export const quorumChecks = {
  /** Quorums counted on the replicas' own messages, the newest reply, read repair, read-after-write (r + w > n), completion. */
  run(input: QuorumRun, output: unknown): Verdict {
    const trace = readTrace(input.scenario, output);
    if (!(trace instanceof Trace)) return trace;
    const clients = input.scenario.nodes.filter((node) => !input.replicas.includes(node));
    const result = checkQuorumClient(trace, { clients, replicas: input.replicas, r: input.r, w: input.w, complete: true });
    return replicationVerdict(input.scenario, trace, [result]);
  },
};

/** The (r, w) pairs tried for n replicas: r + w > n. */
export function quorumConfigs(n: 3 | 5): readonly (readonly [number, number])[] {
  return n === 3 ? [[2, 2], [1, 3], [3, 1]] : [[3, 3], [2, 4], [4, 2]];
}

/**
 * Random runs: 1-2 clients, n = 3 or 5 replicas with some r + w > n; writes and reads of x (and y)
 * over loss and duplication; replicas crash for good (at most n - max(r, w), so that every operation
 * can complete), crash and recover, partitions that heal.
 */
export function quorumRuns(options: { clients: 1 | 2; requestsMax: number; crashes: boolean; partitionsMax: number }): fc.Arbitrary<QuorumRun> {
  return fc.constantFrom<3 | 5>(3, 5).chain((n) =>
    fc.tuple(fc.constantFrom(...quorumConfigs(n)), fc.constant(n)).chain(([[r, w], n]) => {
      const names = [...CLIENTS.slice(0, options.clients), ...REPLICAS.slice(0, n)];
      const runs = scenarios({
        nodesMin: names.length,
        nodesMax: names.length,
        names,
        senders: options.clients,
        crashable: n,
        requestsMax: options.requestsMax,
        request: () => null,
        spreadMs: 40 * options.requestsMax,
        untilMs: 8000,
        loss: [0, 0.1, 0.3],
        duplicate: [0, 0.1, 0.3],
        latencyMsMax: 40,
        crashesMax: options.crashes ? n - Math.max(r, w) : 0,
        recoveriesMax: options.crashes ? 2 : 0,
        outageMsMax: 300,
        partitionsMax: options.partitionsMax,
        seedPrefix: "quorum-client",
      });
      const ops = fc.array(fc.record({ op: fc.constantFrom("write", "read"), key: fc.constantFrom("x", "x", "y") }), { minLength: options.requestsMax, maxLength: options.requestsMax });
      return fc.tuple(runs, ops).map(([run, chosen]): QuorumRun => ({
        scenario: {
          ...run,
          requests: (run.requests ?? []).map((q, k) => ({ ...q, request: chosen[k]!.op === "write" ? { type: "write", key: chosen[k]!.key, value: `${q.node}${k}` } : { type: "read", key: chosen[k]!.key } })),
        },
        replicas: REPLICAS.slice(0, n),
        r,
        w,
        timeoutMs: 50,
      }));
    }),
  );
}

/**
 * The slides' picture: A is down when X writes, so the write succeeds on B and C; then C is cut
 * off and the read succeeds on A and B: (t0, v0) against (t1, v1), chosen by timestamp, and A
 * repaired.
 */
export const twoOutOfThree: QuorumRun = {
  scenario: {
    seed: "quorum-2-of-3",
    nodes: ["X", "A", "B", "C"],
    network: { latencyMs: [2, 8] },
    requests: [
      { node: "X", atMs: 0, request: { type: "write", key: "x", value: "v0" } },
      { node: "X", atMs: 100, request: { type: "write", key: "x", value: "v1" } },
      { node: "X", atMs: 300, request: { type: "read", key: "x" } },
      { node: "X", atMs: 600, request: { type: "read", key: "x" } },
    ],
    faults: [
      { kind: "crash", node: "A", atMs: 50, recoverAtMs: 250 },
      { kind: "partition", groups: [["X", "A", "B"], ["C"]], atMs: 280, healAtMs: 900 },
    ],
    untilMs: 2000,
  },
  replicas: ["A", "B", "C"],
  r: 2,
  w: 2,
  timeoutMs: 50,
};

/**
 * The search's runs, re-judged in the grader: quorums and the newest reply (checkQuorumClient), and,
 * since the client reads only after its writes are delivered, each read returns the newest timestamp
 * of the writes delivered before it, or a newer one.
 */
export function checkSearchRun(replicas: readonly string[], r: number, w: number) {
  return (trace: Trace): CheckResult => {
    const clients = trace.nodes.filter((node) => !replicas.includes(node));
    const quorums = checkQuorumClient(trace, { clients, replicas, r, w, readAfterWrite: false, readRepair: false });
    const violations = [];
    for (const client of clients) {
      let newest: { t: [number, string]; i: number } | undefined;
      for (const e of trace.events) {
        if (e.kind !== "deliver" || e.node !== client || !e.app) continue;
        const v = e.value as { op?: unknown; t?: unknown; opId?: unknown } | null;
        const t = Array.isArray(v?.t) ? (v!.t as [number, string]) : null;
        if (v?.op === "write" && t !== null && (newest === undefined || compareTimestamps(t, newest.t) > 0)) newest = { t, i: e.i };
        else if (v?.op === "read" && newest !== undefined && (t === null || compareTimestamps(t, newest.t) < 0)) {
          violations.push({ property: "read-after-write", message: `read ${String(v.opId)} at ${client} returned ${t === null ? "nothing" : JSON.stringify(t)}, older than the write ${JSON.stringify(newest.t)} acknowledged before the read started (r = ${r}, w = ${w}, n = ${replicas.length}).`, events: [newest.i, e.i] });
        }
      }
    }
    return combineResults(checkResult(violations), quorums);
  };
}

/** n = 3, r = w = 2: X writes x, then (once the write is acknowledged) reads it; every order of the 12 messages. */
export const everyInterleaving: SearchInput & { replicas: readonly string[]; r: number; w: number } = {
  nodes: ["X", "A", "B", "C"],
  replicas: ["A", "B", "C"],
  r: 2,
  w: 2,
  requests: [{ node: "X", request: { type: "write", key: "x", value: "v1" } }, { node: "X", request: { type: "read", key: "x" } }],
  issueRequests: "start",
  network: { model: "reliable" },
  timers: { fire: "never" },
  bounds: { maxDepth: 30, maxStates: 5000 },
};

export const quorumClientExercise = defineExercise({
  id: "5.4",
  title: "Quorum reads and writes with read repair",
  slide: "Read and write quorums",
  module: "quorum-client",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "Quorum (2 out of 3): write on B and C, read on A and B, repair A",
      points: 2,
      category: "basic",
      description: "n = 3, r = w = 2. A is down during the second write (acknowledged by B and C), C is cut off during the reads: the read hears A's old (t0, v0) and B's (t1, v1), returns v1 and sends it to A.",
      driver: "run",
      inputs: [twoOutOfThree],
      check: quorumChecks.run,
    },
    {
      name: "loss and duplication: quorums of distinct replicas, the newest reply, read repair",
      points: 3,
      category: "unreliable network",
      description: "Random runs, n = 3 or 5 with r + w > n, one or two clients, up to 10 reads and writes, up to 30% loss and duplication: each write waits for w distinct WriteAcks, each read for r distinct ReadReplies and returns the newest; stale replicas are repaired; every read after an acknowledged write sees it or a newer one.",
      driver: "run",
      arbitrary: quorumRuns({ clients: 2, requestsMax: 10, crashes: false, partitionsMax: 0 }),
      runs: 25,
      check: quorumChecks.run,
    },
    {
      name: "crashes and partitions: read-after-write with r + w > n",
      points: 3,
      category: "crashes",
      description: "As above, with replicas crashing for good (at most n - max(r, w)), crashing and recovering (20-300 ms), and partitions that heal: no stale read after an acknowledged write, and every operation completes.",
      driver: "run",
      arbitrary: quorumRuns({ clients: 2, requestsMax: 10, crashes: true, partitionsMax: 2 }),
      runs: 20,
      check: quorumChecks.run,
    },
    {
      name: "search: read-after-write in every message order (n = 3, r = w = 2)",
      points: 2,
      category: "search",
      description: "The explorer tries every order in which X's Writes, the replicas' WriteAcks, X's Reads (sent once the write is acknowledged) and the ReadReplies can arrive (about 1,500 states): in every reachable state an acknowledged write is stored at w replicas and the read returns the write or a newer value. A failure shows the shortest run that breaks it.",
      driver: "search",
      inputs: [everyInterleaving],
      check: searchCheck(checkSearchRun(everyInterleaving.replicas, everyInterleaving.r, everyInterleaving.w), { requireExhausted: true }),
    },
  ],
});
