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
import { checkRaftTrace } from "../../checks/raft-safety";
import type { RaftSnapshot } from "../../checks/raft-snapshots";
import type { NodeId } from "../../sim/protocol";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { broadcasts } from "./broadcast-runs";
import { drivers, type LeaderAction, type RaftRun } from "./drivers/raft";

// ---- what a run must show besides safety ----

export interface RaftExpect {
  /** Liveness: every broadcast asked of a node that is up at the end, and every broadcast any node delivered, is delivered at every node up at the end. */
  readonly allDelivered?: boolean;
  /** Liveness: at the end exactly one node leads, and every node that is up is in its term and follows it. */
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
  if (typeof o.trace !== "string" || !Array.isArray(o.snapshots) || typeof o.final !== "object" || o.final === null || !Array.isArray(o.actions)) return "expected { trace, snapshots, final, actions }";
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

  // Safety: the Raft paper's four properties, FIFO-total order, no duplicates.
  const safety = checkRaftTrace(events);
  if (!safety.ok) {
    const v = safety.violations[0]!;
    return fail(`${v.property}: ${v.message}`, events);
  }
  const expect = input.expect;
  const nodes = input.scenario.nodes;
  const endMs = input.scenario.untilMs;

  if (expect.finalLeader === true) {
    const up = nodes.filter((n) => o.final[n]?.up === true);
    const leaders = up.filter((n) => o.final[n]!.role === "leader");
    if (leaders.length !== 1) return fail(`at ${endMs} ms, ${leaders.length === 0 ? "no node leads" : `${leaders.join(", ")} all lead`}: after the faults stop, one leader must be elected and stay`, events);
    const leader = leaders[0]!;
    const term = o.final[leader]!.term;
    const astray = up.filter((n) => n !== leader && (o.final[n]!.term !== term || o.final[n]!.leader !== leader));
    if (astray.length > 0) {
      const n = astray[0]!;
      return fail(`at ${endMs} ms, ${leader} leads in term ${term}, but ${n} is in term ${o.final[n]!.term} following ${String(o.final[n]!.leader)}: every node should follow the leader once the faults stop`, events);
    }
  }

  if (expect.allDelivered === true) {
    const upAtEnd = new Set(nodes.filter((n) => o.final[n]?.up === true));
    const delivered = new Map<NodeId, Set<string>>(nodes.map((n) => [n, new Set()]));
    const asked: [string, NodeId, number][] = [];
    for (const e of events) {
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

/** Initial election: 3, 5 and 7 nodes, reliable network, no faults. */
export const initialElections: RaftTestRun[] = [3, 5, 7].map((n) =>
  run({ seed: `raft-initial-${n}`, nodes: NAMES.slice(0, n), network: { latencyMs: [1, 10] }, untilMs: 2000 }, { finalLeader: true, stableTerm: true }),
);

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
      description: "3, 5 and 7 nodes start together on a reliable network: one of them is elected, every node follows it, and with its heartbeats arriving nobody starts another election.",
      driver: "run",
      inputs: initialElections,
      check: raftChecks.run,
    },
  ],
});
