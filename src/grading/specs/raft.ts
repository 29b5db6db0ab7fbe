/**
 * Graded tests of Exercise 7.1, Raft (lecture 7, slides "Raft (1/9)" to "Raft (9/9)"), in the
 * categories of MIT 6.5840's Raft tests (election, agreement, persistence), each a fixed scenario
 * or a seeded random one, so a failure replays exactly; and a search category (the explorer).
 *
 * Every run is judged in the trusted grader from what the grader itself saw: its trace (messages,
 * deliveries, crashes) and the nodes' states it holds (drivers/raft.ts), never from anything the
 * student's code says about itself. Safety at every step: election safety, log matching, leader
 * completeness, state machine safety (src/checks/raft-safety.ts), FIFO-total order of the
 * deliveries and no duplicates (lecture 4). Liveness once the faults stop: one leader that every
 * node follows, and every broadcast delivered at every node.
 */
import * as fc from "fast-check";
import { checkRaftTrace } from "../../checks/raft-safety";
import type { RaftSnapshot } from "../../checks/raft-snapshots";
import { raftStorage, type RaftStart } from "../../protocols/raft/start";
import type { NodeId } from "../../sim/protocol";
import type { Scenario, ScenarioFault, ScenarioRequest } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { broadcasts } from "./broadcast-runs";
import { searchVerdict } from "../explore";
import { SETTLE_WINDOW_MS, drivers, type LeaderAction, type RaftRun, type RaftSearchInput } from "./drivers/raft";

// ---- what a run must show besides safety ----

export interface RaftExpect {
  /** Liveness: every broadcast asked of a node that is up at the end, and every broadcast any node delivered, is delivered at every node up at the end. */
  readonly allDelivered?: boolean;
  /** Liveness: in the run's last second (the faults have stopped), a moment when one node leads and every node that is up is in its term and follows it. */
  readonly finalLeader?: boolean;
  /** After each crash or isolation of the leader by the driver, another node leads (in a higher term) within this many ms. */
  readonly reelectWithinMs?: number;
  /** Without faults: once a leader is elected, no node starts a later term (the heartbeats keep everyone following it). */
  readonly stableTerm?: boolean;
  /** At most this many messages sent in [fromMs, toMs). */
  readonly messagesMax?: { readonly count: number; readonly fromMs: number; readonly toMs: number };
  /** No node delivers, in [fromMs, toMs), a broadcast asked for at or after fromMs (no quorum: nothing commits). */
  readonly noCommitBetween?: readonly [number, number];
}

export interface RaftTestRun extends RaftRun {
  readonly expect: RaftExpect;
}

interface Output {
  readonly trace: string;
  readonly snapshots: readonly (readonly [number, NodeId, RaftSnapshot])[];
  readonly final: Readonly<Record<NodeId, { up: boolean; term?: number; role?: string; leader?: NodeId | null }>>;
  readonly actions: readonly { readonly kind: string; readonly atMs: number; readonly nodes: readonly NodeId[] }[];
  readonly settled: readonly (readonly [number, NodeId])[];
}

function isSnapshot(x: unknown): x is RaftSnapshot {
  const s = x as RaftSnapshot;
  return typeof s === "object" && s !== null && typeof s.term === "number" && typeof s.role === "string" && Array.isArray(s.log) && typeof s.commitLength === "number" &&
    s.log.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "number" && typeof e[1] === "string");
}

/** The output's shape, or what is wrong with it. */
function readOutput(output: unknown): Output | string {
  const o = output as Partial<Output> | null;
  if (typeof o !== "object" || o === null) return `expected the run's trace and states, got ${typeof output}`;
  if (typeof o.trace !== "string" || !Array.isArray(o.snapshots) || typeof o.final !== "object" || o.final === null || !Array.isArray(o.actions) || !Array.isArray(o.settled)) return "expected { trace, snapshots, final, actions, settled }";
  for (const s of o.snapshots) if (!Array.isArray(s) || typeof s[0] !== "number" || typeof s[1] !== "string" || !isSnapshot(s[2])) return "malformed state snapshot";
  return o as Output;
}

/**
 * The trace's events with the grader's snapshots as their `{ raft }` annotations (any the
 * student's code made itself are dropped), for the checkers and for the diagram of a failure.
 */
function annotated(events: readonly TraceEvent[], snapshots: Output["snapshots"]): TraceEvent[] | string {
  const out = events.map((e) => {
    const a = (e as { annotations?: Record<string, unknown> }).annotations;
    if (a === undefined || !("raft" in a)) return e;
    const { raft: _dropped, ...rest } = a;
    return { ...e, annotations: rest } as TraceEvent;
  });
  for (const [i, node, snapshot] of snapshots) {
    const e = out[i];
    if (e === undefined || !("node" in e) || e.node !== node) return `a state snapshot names event ${i} at node ${node}, which the trace does not have`;
    const a = (e as { annotations?: Record<string, unknown> }).annotations ?? {};
    out[i] = { ...e, annotations: { ...a, raft: snapshot } } as TraceEvent;
  }
  return out;
}

function broadcastOf(e: TraceEvent): string | undefined {
  if (e.kind !== "request") return undefined;
  const r = (e as { request?: { type?: unknown; m?: unknown } }).request;
  return r?.type === "broadcast" && typeof r.m === "string" ? r.m : undefined;
}

/** Judges one run: safety at every step, then what `expect` asks. */
export function judgeRaftRun(input: RaftTestRun, output: unknown): Verdict {
  const o = readOutput(output);
  if (typeof o === "string") return fail(o);
  let trace: Trace;
  try {
    trace = Trace.fromJSON(o.trace);
  } catch (error) {
    return fail(`the run's trace could not be read: ${String(error)}`);
  }
  if (trace.nodes.join() !== input.scenario.nodes.join()) return fail("the trace is a run of other nodes");
  const events = annotated(trace.events, o.snapshots);
  if (typeof events === "string") return fail(events);
  if (o.snapshots.length === 0) return fail("no node's state has the slides' names (currentTerm, currentRole, votedFor, log, commitLength): the tests cannot see it", events);

  // Safety: the Raft paper's four properties, FIFO-total order, no duplicates. Records of a
  // textbook starting state were delivered before the run at the nodes that had committed them,
  // so their deliveries in the run are left out of the order checks (the log checks cover them).
  const textbook = new Set<unknown>();
  for (const stored of Object.values(input.scenario.initialStorage ?? {})) {
    const log = (stored as { log?: unknown }).log;
    if (Array.isArray(log)) for (const entry of log) textbook.add((entry as { msg?: unknown }).msg);
  }
  const ordered = textbook.size === 0 ? events : events.map((e) => (e.kind === "deliver" && textbook.has((e as { value?: unknown }).value) ? ({ ...e, app: false } as TraceEvent) : e));
  const safety = checkRaftTrace(ordered);
  if (!safety.ok) {
    const v = safety.violations[0]!;
    return fail(`${v.property}: ${v.message}`, events);
  }
  const elected = electedWithoutVotes(events, o.snapshots, input.scenario.nodes.length);
  if (elected !== undefined) return fail(elected, events);
  const expect = input.expect;
  const nodes = input.scenario.nodes;
  const endMs = input.scenario.untilMs;

  if (expect.finalLeader === true) {
    if (o.settled.length === 0) {
      const leaders = nodes.filter((n) => o.final[n]?.up === true && o.final[n]!.role === "leader");
      const terms = nodes.filter((n) => o.final[n]?.up === true).map((n) => `${n}: term ${String(o.final[n]!.term)}, ${String(o.final[n]!.role)}, following ${String(o.final[n]!.leader)}`);
      return fail(`in the last ${SETTLE_WINDOW_MS} ms of the run (after the faults stopped) there was no moment when one leader had every node that was up following it (same term, currentLeader); ${leaders.length === 0 ? "no node leads at the end" : `at the end ${leaders.join(", ")} lead${leaders.length === 1 ? "s" : ""}`} (${terms.join("; ")})`, events);
    }
  }

  if (expect.allDelivered === true) {
    const upAtEnd = new Set(nodes.filter((n) => o.final[n]?.up === true));
    const delivered = new Map<NodeId, Set<string>>(nodes.map((n) => [n, new Set()]));
    const asked: [string, NodeId, number][] = [];
    for (const e of ordered) {
      const m = broadcastOf(e);
      if (m !== undefined && "node" in e) asked.push([m, e.node, e.t]);
      if (e.kind === "deliver" && (e as { app?: boolean }).app === true && typeof (e as { value?: unknown }).value === "string") delivered.get(e.node)?.add((e as { value: string }).value);
    }
    const must = new Set(asked.filter(([, node]) => upAtEnd.has(node)).map(([m]) => m));
    for (const set of delivered.values()) for (const m of set) must.add(m);
    for (const m of must) {
      for (const n of upAtEnd) {
        if (!delivered.get(n)!.has(m)) {
          const at = asked.find(([x]) => x === m);
          return fail(`${JSON.stringify(m)}${at === undefined ? "" : ` (asked of ${at[1]} at ${at[2]} ms)`} was never delivered at ${n} by ${endMs} ms: once the faults stop, every broadcast must be delivered at every node`, events);
        }
      }
    }
  }

  if (expect.reelectWithinMs !== undefined) {
    for (const action of o.actions) {
      if ((action.kind !== "crash-leader" && action.kind !== "isolate-leader") || action.nodes.length === 0) continue;
      const old = action.nodes[0]!;
      const oldTerm = latestTerm(o.snapshots, events, old, action.atMs);
      const elected = o.snapshots.find(([i, node, s]) => node !== old && s.role === "leader" && s.term > oldTerm && events[i]!.t >= action.atMs);
      const at = elected === undefined ? undefined : events[elected[0]]!.t;
      if (at === undefined || at - action.atMs > expect.reelectWithinMs) {
        return fail(`the leader ${old} (term ${oldTerm}) ${action.kind === "crash-leader" ? "crashed" : "was cut off"} at ${action.atMs} ms, and ${at === undefined ? "no other node was ever elected" : `the next leader was elected only at ${at} ms`}: another should lead within ${expect.reelectWithinMs} ms`, events);
      }
    }
  }

  if (expect.stableTerm === true) {
    const first = o.snapshots.find(([, , s]) => s.role === "leader");
    if (first === undefined) return fail("no leader was ever elected", events);
    const later = o.snapshots.find(([, , s]) => s.term > first[2].term);
    if (later !== undefined) {
      return fail(`${first[1]} was elected in term ${first[2].term} at ${events[first[0]]!.t} ms, and stayed up, yet ${later[1]} moved to term ${later[2].term} at ${events[later[0]]!.t} ms: with the leader's heartbeats arriving, no node should start an election`, events);
    }
  }

  if (expect.messagesMax !== undefined) {
    const { count, fromMs, toMs } = expect.messagesMax;
    const sent = events.filter((e) => e.kind === "send" && e.t >= fromMs && e.t < toMs).length;
    if (sent > count) return fail(`${sent} messages were sent between ${fromMs} and ${toMs} ms; a steady cluster needs at most ${count} (heartbeats, the broadcasts' replication and their acks)`, events);
  }

  if (expect.noCommitBetween !== undefined) {
    const [fromMs, toMs] = expect.noCommitBetween;
    const late = new Set(events.filter((e) => e.t >= fromMs).map(broadcastOf).filter((m): m is string => m !== undefined));
    const early = events.find((e) => e.kind === "deliver" && e.t >= fromMs && e.t < toMs && late.has((e as { value?: unknown }).value as string));
    if (early !== undefined && "node" in early) {
      return fail(`${early.node} delivered ${JSON.stringify((early as { value?: unknown }).value)} at ${early.t} ms, while a majority of the nodes was down (${fromMs}-${toMs} ms): without a quorum nothing may commit`, events);
    }
  }
  return pass;
}

/**
 * A leader must have been elected (slide 3/9): when a node first leads in term t, it has received
 * granted VoteResponses of term t from a quorum of distinct nodes (itself counted if it voted for
 * itself), as the grader's trace shows them. Undefined when every leader was; else which was not.
 */
export function electedWithoutVotes(events: readonly TraceEvent[], snapshots: Output["snapshots"], nodeCount: number): string | undefined {
  const quorum = Math.ceil((nodeCount + 1) / 2);
  const checked = new Set<string>();
  for (const [i, node, s] of snapshots) {
    if (s.role !== "leader" || checked.has(`${node} ${s.term}`)) continue;
    checked.add(`${node} ${s.term}`);
    const voters = new Set<NodeId>();
    if (s.votedFor === node) voters.add(node);
    for (let k = 0; k <= i; k++) {
      const e = events[k]!;
      if (e.kind !== "receive" || e.node !== node) continue;
      const m = e.msg as { type?: unknown; term?: unknown; granted?: unknown };
      if (m.type === "VoteResponse" && m.term === s.term && m.granted === true) voters.add(e.from);
    }
    if (voters.size < quorum) {
      return `${node} acts as leader of term ${s.term} at ${events[i]!.t} ms with granted votes of that term from ${voters.size === 0 ? "nobody" : [...voters].sort().join(", ")} only; a leader needs a quorum of ${quorum} (slide 3/9)`;
    }
  }
  return undefined;
}

/** The term node was in at time t, from the snapshots. */
function latestTerm(snapshots: Output["snapshots"], events: readonly TraceEvent[], node: NodeId, t: number): number {
  let term = 0;
  for (const [i, n, s] of snapshots) if (n === node && events[i]!.t <= t) term = s.term;
  return term;
}

export const raftChecks = { run: judgeRaftRun };

// ---- scenarios ----

const NAMES = ["A", "B", "C", "D", "E", "F", "G"];

function run(scenario: Scenario, expect: RaftExpect, actions: readonly LeaderAction[] = []): RaftTestRun {
  return actions.length === 0 ? { scenario, expect } : { scenario, actions, expect };
}

/** A few broadcasts at each node in turn, `everyMs` apart from `fromMs` on. */
export function spreadBroadcasts(nodes: readonly NodeId[], count: number, fromMs: number, everyMs: number, prefix: string): ScenarioRequest[] {
  return broadcasts(Array.from({ length: count }, (_, k) => [nodes[k % nodes.length]!, fromMs + k * everyMs, `${prefix}${k + 1}`] as const));
}

const storage = (starts: Readonly<Record<NodeId, RaftStart>>) => Object.fromEntries(Object.entries(starts).map(([n, s]) => [n, raftStorage(s)]));

// -- election --

/** Initial election: 3 and 5 nodes, reliable network, no faults. */
export const initialElections: RaftTestRun[] = [3, 5].map((n) =>
  run({ seed: `raft-initial-${n}`, nodes: NAMES.slice(0, n), network: { latencyMs: [1, 10] }, untilMs: 1300 }, { finalLeader: true, stableTerm: true }),
);

/**
 * Re-election (6.5840's TestReElection): the leader crashes, another is elected; the old one comes
 * back and follows; then the new leader crashes for good and a third is elected among the rest.
 */
export const reElections: RaftTestRun[] = [3, 5].map((n) =>
  run(
    { seed: `raft-reelection-${n}`, nodes: NAMES.slice(0, n), network: { latencyMs: [1, 10] }, requests: spreadBroadcasts(NAMES.slice(0, n), 4, 400, 700, "r"), untilMs: 4500 },
    { reelectWithinMs: 1000, finalLeader: true, allDelivered: true },
    [{ kind: "crash-leader", atMs: 700, downMs: 800 }, { kind: "crash-leader", atMs: 2200 }],
  ),
);

/**
 * A candidate whose log is behind cannot win (slide 2/9, logOk): A and B hold x and y, both
 * committed in term 1; C holds x only and asks for votes first. Only A or B may lead term 2.
 */
export const staleCandidate: RaftTestRun = run(
  {
    seed: "raft-stale-candidate",
    nodes: ["A", "B", "C"],
    network: { latencyMs: [1, 5] },
    initialStorage: storage({
      A: { currentTerm: 1, log: [["x", 1], ["y", 1]], commitLength: 2 },
      B: { currentTerm: 1, log: [["x", 1], ["y", 1]], commitLength: 2 },
      C: { currentTerm: 1, log: [["x", 1]], commitLength: 1 },
    }),
    requests: [{ node: "C", atMs: 1, request: { type: "suspect-leader" } }, ...broadcasts([["C", 600, "c1"], ["A", 800, "a1"], ["B", 1000, "b1"]])],
    untilMs: 2500,
  },
  { finalLeader: true, allDelivered: true },
);

/** Many elections (6.5840's TestManyElections): random leaders crash again and again, partitions come and go. */
export function churnRuns(options: { nodesMin: number; nodesMax: number; leaderCrashesMax: number; partitionsMax: number; broadcastsMax: number; faultsEndMs: number; tailMs: number; loss?: readonly [number, number]; duplicate?: readonly [number, number]; latencyMaxMs?: number; crashesMax?: number; burstMs?: number }): fc.Arbitrary<RaftTestRun> {
  const { faultsEndMs, tailMs } = options;
  // Not shrunk: each run costs hundreds of handler calls on isolated nodes, and shrinking a failing
  // one would take hundreds of runs. The failing run is reported whole, with its seed.
  return fc.noShrink(fc
    .record({
      seed: fc.nat(),
      n: fc.integer({ min: options.nodesMin, max: options.nodesMax }),
      broadcasts: fc.array(fc.record({ node: fc.nat(), atMs: fc.integer({ min: 0, max: faultsEndMs - 1 }) }), { maxLength: options.broadcastsMax }),
      leaderCrashes: fc.array(fc.record({ atMs: fc.integer({ min: 200, max: faultsEndMs - 400 }), downMs: fc.integer({ min: 20, max: 400 }) }), { maxLength: options.leaderCrashesMax }),
      crashes: fc.array(fc.record({ node: fc.nat(), atMs: fc.integer({ min: 0, max: faultsEndMs - 300 }), downMs: fc.integer({ min: 5, max: 800 }) }), { maxLength: options.crashesMax ?? 0 }),
      partitions: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: faultsEndMs - 200 }), forMs: fc.integer({ min: 100, max: 1500 }), order: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), cut: fc.nat() }), { maxLength: options.partitionsMax }),
      loss: fc.double({ min: options.loss?.[0] ?? 0, max: options.loss?.[1] ?? 0, noNaN: true }),
      duplicate: fc.double({ min: options.duplicate?.[0] ?? 0, max: options.duplicate?.[1] ?? 0, noNaN: true }),
    })
    .map(({ seed, n, broadcasts: asked, leaderCrashes, crashes, partitions, loss, duplicate }) => {
      const nodes = NAMES.slice(0, n);
      // With burstMs, broadcasts come in bursts (times rounded down to a multiple of it), so that
      // several LogRequests are in flight to a follower at once and overtake each other.
      const at = (t: number) => (options.burstMs === undefined ? t : t - (t % options.burstMs));
      const requests: ScenarioRequest[] = asked.map((b, k) => ({ node: nodes[b.node % n]!, atMs: at(b.atMs), request: { type: "broadcast", m: `m${k + 1}` } }));
      // Broadcasts keep coming after the faults stop: a new leader commits what it inherited only
      // once a record of its own term is acknowledged (slide 9/9), so liveness needs requests.
      for (let k = 0, t = faultsEndMs; t <= faultsEndMs + tailMs - 1000; k++, t += 250) requests.push({ node: nodes[(seed + k) % n]!, atMs: t, request: { type: "broadcast", m: `late${k + 1}` } });
      const faults: ScenarioFault[] = [];
      const downUntil = new Map<NodeId, number>();
      for (const c of crashes) {
        const node = nodes[c.node % n]!;
        if ((downUntil.get(node) ?? -1) >= c.atMs) continue;
        const recoverAtMs = Math.min(c.atMs + c.downMs, faultsEndMs);
        faults.push({ kind: "crash", node, atMs: c.atMs, recoverAtMs });
        downUntil.set(node, recoverAtMs);
      }
      for (const p of partitions) {
        const order = nodes.map((node, k) => [node, p.order[k]!] as const).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([node]) => node);
        const cut = 1 + (p.cut % (n - 1));
        faults.push({ kind: "partition", groups: [order.slice(0, cut), order.slice(cut)], atMs: p.atMs, healAtMs: Math.min(p.atMs + p.forMs, faultsEndMs) });
      }
      const network = loss > 0 || duplicate > 0 ? { model: "fair-loss" as const, loss, duplicate, latencyMs: [1, options.latencyMaxMs ?? 10] as const } : { latencyMs: [1, options.latencyMaxMs ?? 10] as const };
      return run(
        { seed: `raft-churn-${seed}`, nodes, network, requests, faults, untilMs: faultsEndMs + tailMs },
        { finalLeader: true, allDelivered: true },
        leaderCrashes.map((c) => ({ kind: "crash-leader" as const, atMs: c.atMs, downMs: c.downMs })),
      );
    }));
}

// -- agreement --

/** Basic agreement: broadcasts at every node, delivered everywhere in one order. */
export const basicAgreement: RaftTestRun[] = [3, 5].map((n) =>
  run({ seed: `raft-basic-${n}`, nodes: NAMES.slice(0, n), network: { latencyMs: [1, 10] }, requests: spreadBroadcasts(NAMES.slice(0, n), 8, 500, 60, "b"), untilMs: 2500 }, { allDelivered: true, finalLeader: true }),
);

/** Follower failure: two of five followers crash for good; the other three still commit. */
export const followerFailure: RaftTestRun = run(
  { seed: "raft-follower-failure", nodes: NAMES.slice(0, 5), network: { latencyMs: [1, 10] }, requests: broadcasts([["A", 400, "f1"], ["B", 500, "f2"], ["C", 1200, "f3"], ["D", 1300, "f4"], ["E", 1400, "f5"]]), untilMs: 3000 },
  { allDelivered: true, finalLeader: true },
  [{ kind: "crash-followers", atMs: 800, count: 2 }, { kind: "broadcast-at-leader", atMs: 900, m: "f-leader" }],
);

/** Leader failure: the leader crashes for good while broadcasts go on; a new leader commits them. */
export const leaderFailure: RaftTestRun = run(
  { seed: "raft-leader-failure", nodes: NAMES.slice(0, 5), network: { latencyMs: [1, 10] }, requests: spreadBroadcasts(NAMES.slice(0, 5), 12, 400, 90, "l"), untilMs: 3500 },
  { allDelivered: true, finalLeader: true, reelectWithinMs: 1000 },
  [{ kind: "broadcast-at-leader", atMs: 795, m: "just-before" }, { kind: "crash-leader", atMs: 800 }],
);

/** No agreement without a quorum (6.5840's TestFailNoAgree): three of five followers down, nothing commits; back up, everything does. */
export const noQuorum: RaftTestRun = run(
  { seed: "raft-no-quorum", nodes: NAMES.slice(0, 5), network: { latencyMs: [1, 10] }, requests: broadcasts([["A", 300, "q1"], ["B", 400, "q2"]]), untilMs: 3500 },
  { allDelivered: true, finalLeader: true, noCommitBetween: [800, 1800] },
  [
    { kind: "crash-followers", atMs: 800, count: 3, downMs: 1000 },
    { kind: "broadcast-at-leader", atMs: 900, m: "nq1" },
    { kind: "broadcast-at-leader", atMs: 1000, m: "nq2" },
    { kind: "broadcast-at-leader", atMs: 2000, m: "after" },
  ],
);

/**
 * Concurrent broadcasts (6.5840's TestConcurrentStarts): every node broadcasts four messages at one
 * instant; then again with latency up to 40 ms, so that LogRequests to a follower
 * overtake each other (a late one with a shorter suffix must not cut records already appended).
 */
export const concurrentBroadcasts: RaftTestRun[] = [
  ["raft-concurrent", 5, [1, 10]],
  ["raft-concurrent-reordered", 5, [1, 40]],
].map(([seed, n, latencyMs]) => {
  const nodes = NAMES.slice(0, n as number);
  return run(
    { seed: seed as string, nodes, network: { latencyMs: latencyMs as [number, number] }, requests: nodes.flatMap((node) => broadcasts([1, 2, 3, 4].map((k) => [node, 600, `${node}${k}`] as const))), untilMs: 2500 },
    { allDelivered: true, finalLeader: true },
  );
});

/**
 * Rejoin of a partitioned leader (6.5840's TestRejoin): the leader is cut off and takes broadcasts
 * it cannot commit; the others elect a new leader and commit theirs; on healing, the old leader's
 * uncommitted records are replaced, and its broadcasts still get delivered once, in order.
 */
export const rejoin: RaftTestRun = run(
  { seed: "raft-rejoin", nodes: NAMES.slice(0, 5), network: { latencyMs: [1, 10] }, requests: broadcasts([["A", 300, "j1"]]), untilMs: 4000 },
  { allDelivered: true, finalLeader: true, reelectWithinMs: 1000 },
  [
    { kind: "isolate-leader", atMs: 600, healAtMs: 2000 },
    { kind: "broadcast-at-leader", atMs: 650, m: "old1" },
    { kind: "broadcast-at-leader", atMs: 700, m: "old2" },
    { kind: "broadcast-at-leader", atMs: 1300, m: "new1" },
    { kind: "broadcast-at-leader", atMs: 1400, m: "new2" },
    { kind: "broadcast-at-leader", atMs: 2300, m: "healed" },
  ],
);

/**
 * Backup (6.5840's TestBackup): the cut-off leader of term 1 appends 20 broadcasts it cannot
 * commit; the majority elects a leader that commits 20 others, then crashes, and a third leader is
 * elected holding those 21 records. When the first leader's link heals, its log conflicts at 20
 * indices (term 1 against term 2): the new leader steps sentLength back one record per failed
 * LogResponse until the prefixes match (slides 6/9-8/9), and the log is repaired.
 */
export const backup: RaftTestRun = run(
  { seed: "raft-backup", nodes: NAMES.slice(0, 5), network: { latencyMs: [1, 10] }, requests: broadcasts([["A", 300, "k0"]]), untilMs: 4000 },
  { allDelivered: true, finalLeader: true },
  [
    { kind: "isolate-leader", atMs: 600, healAtMs: 2400 },
    ...Array.from({ length: 20 }, (_, k): LeaderAction => ({ kind: "broadcast-at-leader", atMs: 610 + k, m: `cut${k + 1}` })),
    ...Array.from({ length: 20 }, (_, k): LeaderAction => ({ kind: "broadcast-at-leader", atMs: 1400 + 10 * k, m: `maj${k + 1}` })),
    { kind: "crash-leader", atMs: 1800, downMs: 400 },
    { kind: "broadcast-at-leader", atMs: 2600, m: "healed" },
  ],
);

/**
 * The Raft paper's Figure 7: a leader about to start term 8 and six followers whose logs (a)-(f)
 * miss records, hold extra ones, or hold records of terms that never committed. The leader is
 * elected (its last term, 6, beats (b), (e) and (f), and ties (a) with a longer log) and repairs
 * every log to its own: (a) and (b) catch up, (c) and (d) lose their extra records, (e) and (f)
 * lose their conflicting ones.
 */
export const figure7: RaftTestRun = (() => {
  const log = (terms: readonly number[]) => terms.map((term, i) => [`${i + 1}@${term}`, term] as const);
  const terms: Record<string, readonly number[]> = {
    leader: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6],
    a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
    b: [1, 1, 1, 4],
    c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    e: [1, 1, 1, 4, 4, 4, 4],
    f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
  };
  const nodes = Object.keys(terms);
  return run(
    {
      seed: "raft-figure-7",
      nodes,
      network: { latencyMs: [1, 5] },
      initialStorage: storage(Object.fromEntries(nodes.map((n) => [n, { currentTerm: 7, log: log(terms[n]!) }]))),
      requests: [{ node: "leader", atMs: 1, request: { type: "suspect-leader" } }, ...broadcasts([["leader", 100, "n1"], ["b", 200, "n2"], ["f", 300, "n3"]])],
      untilMs: 1800,
    },
    { allDelivered: true, finalLeader: true },
  );
})();

/** Message count: a steady three-node cluster, ten broadcasts at the leader, counted over two seconds. */
export const messageCount: RaftTestRun = run(
  { seed: "raft-count", nodes: NAMES.slice(0, 3), network: { latencyMs: [1, 10] }, untilMs: 3200 },
  { allDelivered: true, stableTerm: true, messagesMax: { count: 320, fromMs: 1000, toMs: 3000 } },
  Array.from({ length: 10 }, (_, k): LeaderAction => ({ kind: "broadcast-at-leader", atMs: 1000 + 100 * k, m: `c${k + 1}` })),
);

// -- persistence --

/** Every node crashes at once, twice (6.5840's TestPersist1/2): the log and the commits survive. */
export const everyoneCrashes: RaftTestRun[] = [3].map((n) => {
  const nodes = NAMES.slice(0, n);
  return run(
    {
      seed: `raft-all-crash-${n}`,
      nodes,
      network: { latencyMs: [1, 10] },
      requests: [...spreadBroadcasts(nodes, 6, 300, 80, "p"), ...spreadBroadcasts(nodes, 4, 1500, 90, "q"), ...spreadBroadcasts(nodes, 4, 2600, 90, "s")],
      faults: nodes.flatMap((node, k): ScenarioFault[] => [
        { kind: "crash", node, atMs: 1000, recoverAtMs: 1100 + 40 * k },
        { kind: "crash", node, atMs: 2100 + 5 * k, recoverAtMs: 2400 - 30 * k },
      ]),
      untilMs: 4500,
    },
    { allDelivered: true, finalLeader: true },
  );
});

/**
 * The Raft paper's Figure 8, from state (c): S1 is back in term 3 holding (y, term 2) that only S2
 * shares; S5 holds (z, term 3) instead, and is cut off. S1 is elected in term 4 and copies y to S3
 * and S4: a majority holds it, but it is of an earlier term, so S1 must not commit it (slide 9/9,
 * `log[max(ready) - 1].term = currentTerm`). S1 crashes; S5 rejoins, is elected in term 5 (its
 * last term, 3, beats 2) and replaces y with z everywhere. Committing y would have lost it.
 */
export const figure8: RaftTestRun = run(
  {
    seed: "raft-figure-8",
    nodes: ["S1", "S2", "S3", "S4", "S5"],
    network: { latencyMs: [1, 5] },
    initialStorage: storage({
      S1: { currentTerm: 3, log: [["x", 1], ["y", 2]], commitLength: 1 },
      S2: { currentTerm: 2, votedFor: "S1", log: [["x", 1], ["y", 2]], commitLength: 1 },
      S3: { currentTerm: 3, votedFor: "S5", log: [["x", 1]], commitLength: 1 },
      S4: { currentTerm: 3, votedFor: "S5", log: [["x", 1]], commitLength: 1 },
      S5: { currentTerm: 3, votedFor: "S5", log: [["x", 1], ["z", 3]], commitLength: 1 },
    }),
    requests: [
      { node: "S1", atMs: 1, request: { type: "suspect-leader" } },
      { node: "S5", atMs: 105, request: { type: "suspect-leader" } },
      { node: "S5", atMs: 125, request: { type: "suspect-leader" } },
      ...broadcasts([["S5", 250, "after1"], ["S2", 450, "after2"], ["S1", 900, "after3"]]),
    ],
    faults: [
      { kind: "partition", groups: [["S5"], ["S1", "S2", "S3", "S4"]], atMs: 0, healAtMs: 100 },
      { kind: "crash", node: "S1", atMs: 80, recoverAtMs: 600 },
    ],
    untilMs: 2500,
  },
  { allDelivered: true, finalLeader: true },
);

/**
 * A vote survives a crash (slide 1/9: votedFor is stable): A and C both run for term 2 and cannot
 * reach each other; B votes for A, crashes and recovers at once, then hears C. B must refuse C,
 * or A and C both lead term 2.
 */
export const voteSurvivesCrash: RaftTestRun = run(
  {
    seed: "raft-vote-crash",
    nodes: ["A", "B", "C"],
    network: { latencyMs: 5 },
    initialStorage: storage({ A: { currentTerm: 1 }, B: { currentTerm: 1 }, C: { currentTerm: 1 } }),
    requests: [
      { node: "A", atMs: 1, request: { type: "suspect-leader" } },
      { node: "C", atMs: 12, request: { type: "suspect-leader" } },
      ...broadcasts([["B", 500, "v1"], ["C", 700, "v2"]]),
    ],
    faults: [
      { kind: "cut", links: [["A", "C"], ["C", "A"]], atMs: 0, healAtMs: 300 },
      { kind: "crash", node: "B", atMs: 8, recoverAtMs: 9 },
    ],
    untilMs: 2000,
  },
  { allDelivered: true, finalLeader: true },
);

// -- search --

/** A stale candidate's configuration (as staleCandidate), every order of events, one election timeout. */
export const searchStale: RaftSearchInput = {
  nodes: ["A", "B", "C"],
  options: { heartbeatMs: 100_000 },
  initialStorage: storage({
    A: { currentTerm: 1, log: [["x", 1], ["y", 1]], commitLength: 2 },
    B: { currentTerm: 1, log: [["x", 1], ["y", 1]], commitLength: 2 },
    C: { currentTerm: 1, log: [["x", 1]], commitLength: 1 },
  }),
  network: { model: "reliable" },
  timers: { fire: "when-idle", maxFirings: 1 },
  bounds: { maxDepth: 12, maxStates: 400 },
};

/** From the start, one broadcast at A, one election timeout, one crash: every order of events, bounded. */
export const searchFromStart: RaftSearchInput = {
  nodes: ["A", "B", "C"],
  options: { heartbeatMs: 100_000 },
  requests: [{ node: "A", request: { type: "broadcast", m: "a" } }],
  issueRequests: "start",
  network: { model: "reliable" },
  timers: { fire: "when-idle", maxFirings: 1 },
  failures: { model: "crash-stop", maxCrashes: 1 },
  bounds: { maxDepth: 10, maxStates: 800 },
};

export const raftExercise = defineExercise({
  id: "7.1",
  title: "Raft",
  slide: "Raft (1/9)",
  module: "raft",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "election: initial election, one leader that stays",
      points: 2,
      category: "election",
      description: "3 and 5 nodes start together on a reliable network: one of them is elected, every node follows it, and with its heartbeats arriving nobody starts another election.",
      driver: "run",
      inputs: initialElections,
      check: raftChecks.run,
    },
    {
      name: "election: re-election after the leader fails",
      points: 2,
      category: "election",
      description: "The leader crashes and another is elected within a second; the old one recovers and follows; then the new leader crashes for good and a third is elected (3 and 5 nodes).",
      driver: "run",
      inputs: reElections,
      check: raftChecks.run,
    },
    {
      name: "election: a candidate whose log is behind is not elected",
      points: 2,
      category: "election",
      description: "Started from given states: A and B hold two committed records, C only the first, and C runs first. Voters grant only a candidate whose log is at least as up to date (logOk, slide 2/9), so C cannot lead and lose a committed record.",
      driver: "run",
      inputs: [staleCandidate],
      check: raftChecks.run,
    },
    {
      name: "election: many elections under churn",
      points: 2,
      category: "election",
      description: "Random runs at 5-7 nodes: the current leader crashes up to four times, partitions come and go; safety throughout, and once the faults stop one leader that every node follows and every broadcast delivered.",
      driver: "run",
      arbitrary: churnRuns({ nodesMin: 5, nodesMax: 7, leaderCrashesMax: 4, partitionsMax: 2, broadcastsMax: 6, faultsEndMs: 2000, tailMs: 2500 }),
      runs: 2,
      check: raftChecks.run,
    },
    {
      name: "agreement: basic agreement",
      points: 2,
      category: "agreement",
      description: "3 and 5 nodes, eight broadcasts at different nodes: each delivered once at every node, all in one order (FIFO-total order).",
      driver: "run",
      inputs: basicAgreement,
      check: raftChecks.run,
    },
    {
      name: "agreement: despite follower failures",
      points: 1,
      category: "agreement",
      description: "Two of five followers crash for good: the leader and the other two still commit every broadcast.",
      driver: "run",
      inputs: [followerFailure],
      check: raftChecks.run,
    },
    {
      name: "agreement: despite a leader failure",
      points: 1,
      category: "agreement",
      description: "The leader crashes for good amid broadcasts: a new leader is elected and every broadcast of a live node is delivered everywhere.",
      driver: "run",
      inputs: [leaderFailure],
      check: raftChecks.run,
    },
    {
      name: "agreement: nothing commits without a quorum",
      points: 2,
      category: "agreement",
      description: "Three of five followers are down for a second: broadcasts at the leader must not be delivered (no quorum acknowledges them); once the followers are back, they are.",
      driver: "run",
      inputs: [noQuorum],
      check: raftChecks.run,
    },
    {
      name: "agreement: concurrent broadcasts",
      points: 2,
      category: "agreement",
      description: "Every one of five nodes broadcasts four messages at the same instant: all twenty delivered everywhere, each node's in its order; then again with latency up to 40 ms, so that LogRequests overtake each other.",
      driver: "run",
      inputs: concurrentBroadcasts,
      check: raftChecks.run,
    },
    {
      name: "agreement: a partitioned leader rejoins",
      points: 2,
      category: "agreement",
      description: "The leader is cut off and takes broadcasts it cannot commit; the others elect a new leader. After healing the old leader steps down, its uncommitted records are replaced, and its broadcasts are delivered once, in order.",
      driver: "run",
      inputs: [rejoin],
      check: raftChecks.run,
    },
    {
      name: "agreement: backing up over many conflicting records",
      points: 2,
      category: "agreement",
      description: "The cut-off leader appends 20 records; the majority commits 20 others and, after its leader crashes, elects a third that holds them. On healing, the old leader's log conflicts at 20 indices and is repaired (sentLength steps back until the prefixes match, slides 6/9-8/9).",
      driver: "run",
      inputs: [backup],
      check: raftChecks.run,
    },
    {
      name: "agreement: the Raft paper's Figure 7, every follower's log repaired",
      points: 2,
      category: "agreement",
      description: "Started from the paper's Figure 7: a leader for term 8 and followers (a)-(f) with missing, extra and conflicting records. It is elected and makes every log equal to its own, then commits three new broadcasts: every node delivers the same sequence.",
      driver: "run",
      inputs: [figure7],
      check: raftChecks.run,
    },
    {
      name: "agreement: message count in a steady cluster",
      points: 1,
      category: "agreement",
      description: "Three nodes, ten broadcasts at the leader: at most 320 messages in two seconds (the reference sends about 220) (heartbeats, replication, acks), and no election while the leader is up.",
      driver: "run",
      inputs: [messageCount],
      check: raftChecks.run,
    },
    {
      name: "persistence: every node crashes and recovers",
      points: 2,
      category: "persistence",
      description: "All three nodes crash at once, twice, and recover from stable storage (currentTerm, votedFor, log, commitLength): nothing committed is lost or delivered twice, and broadcasts go on.",
      driver: "run",
      inputs: everyoneCrashes,
      check: raftChecks.run,
    },
    {
      name: "persistence: a vote survives a crash",
      points: 2,
      category: "persistence",
      description: "B votes for A in term 2, crashes and recovers at once, then hears C's request for term 2: with currentTerm and votedFor in stable storage before the vote is sent, B refuses, and term 2 has one leader.",
      driver: "run",
      inputs: [voteSurvivesCrash],
      check: raftChecks.run,
    },
    {
      name: "persistence: the Raft paper's Figure 8",
      points: 3,
      category: "persistence",
      description: "Started from the paper's state (c): the term-4 leader copies a term-2 record to a majority and crashes; a node holding a term-3 record is then elected and replaces it. The term-2 record must never have been committed (slide 9/9: commit only when the last ready record is of currentTerm).",
      driver: "run",
      inputs: [figure8],
      check: raftChecks.run,
    },
    {
      name: "persistence: crash-recovery on an unreliable network",
      points: 3,
      category: "persistence",
      description: "Random runs at 3-5 nodes with loss (up to 15%), duplication (up to 10%), reordering (latency 1-40 ms), crashes of any node and of the leader, recoveries and a partition: safe throughout, and live once the faults stop.",
      driver: "run",
      arbitrary: churnRuns({ nodesMin: 3, nodesMax: 5, leaderCrashesMax: 2, partitionsMax: 1, crashesMax: 3, broadcastsMax: 8, faultsEndMs: 1500, tailMs: 2500, loss: [0.02, 0.15], duplicate: [0, 0.1], latencyMaxMs: 40, burstMs: 500 }),
      runs: 2,
      check: raftChecks.run,
    },
    {
      name: "search: every order of events in small configurations",
      points: 2,
      category: "search",
      description: "The explorer tries every order of messages and one election timeout at three nodes, from the stale-candidate state (above), breadth first up to 400 states. Every state must be safe (election safety, log matching, leader completeness, state machine safety, one order of deliveries).",
      driver: "search",
      inputs: [searchStale],
      check: searchVerdict(),
    },
  ],
});
