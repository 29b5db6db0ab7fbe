/**
 * Drivers of Exercise 7.1, Raft (run with the student's code; see src/grading/define.ts).
 *
 * The exercise is graded on isolated nodes (docs/grading.md), and both drivers are marked like
 * search drivers (`branchesNodeStates`): the grader keeps each node's state itself and hands it to
 * the node's host with every event, so the state these drivers read after an event is the one the
 * student's handlers will be called with next, not something the student's code says about itself.
 * (A node's handlers must then be functions of their state, the event and ctx: every fourth call
 * is repeated on another host and must agree.) `run` is marked a simulation (`simulatesNodeStates`):
 * a node that recovers from a crash gets a fresh host, so nothing it kept in module memory survives
 * the crash, only its stable storage does; and each node's random stream runs on from call to call
 * (ctx.random draws new election timeouts), as in-process. In a notebook everything runs in one process.
 *
 * `run` returns the grader's trace of a run and, beside it, the Raft state of every node after
 * every event that changed it (term, role, vote, log, commitLength), read by the slides' names;
 * the trusted checks (src/grading/specs/raft.ts) judge both. Nemesis actions that depend on who
 * leads (crash the leader, cut it off, send a request to it) are taken here, from those states.
 */
import type * as Student from "../../../../exercises/raft";
import { raftSafety, type Goal, type Invariant } from "../../../explore/index";
import { raftSnapshot, type RaftSnapshot } from "../../../checks/raft-snapshots";
import type { RaftOptions } from "../../../protocols/raft/types";
import type { AnyProtocol, NodeId } from "../../../sim/protocol";
import type { ExploreState } from "../../../explore/types";
import { startingFrom } from "../../../sim/initial-state";
import { simulate, type Scenario } from "../../../sim/index";
import type { Simulation } from "../../../sim/simulation";
import { searchDriver, type SearchInput } from "../../explore";

/**
 * A node's Raft state as the grader holds it: boxed as { s: state, t, n } on isolated nodes
 * (SearchBox in src/grading/sandbox/nodes.ts), the state itself in-process.
 */
export function raftStateOf(state: unknown): unknown {
  if (typeof state === "object" && state !== null && "s" in state && "t" in state && "n" in state && !("currentTerm" in state)) {
    return (state as { s: unknown }).s;
  }
  return state;
}

/** Who leads now: the up node in the role of leader with the highest term (undefined: none). */
function leaderOf(sim: Simulation, nodes: readonly NodeId[]): NodeId | undefined {
  let best: { node: NodeId; term: number } | undefined;
  for (const node of nodes) {
    if (!sim.isUp(node)) continue;
    const s = raftStateOf(sim.state(node)) as { currentRole?: unknown; currentTerm?: unknown } | undefined;
    if (s?.currentRole === "leader" && typeof s.currentTerm === "number" && (best === undefined || s.currentTerm > best.term)) best = { node, term: s.currentTerm };
  }
  return best?.node;
}

/** What the driver does to whoever leads at a time (the scenario's faults cannot name it in advance). */
export type LeaderAction =
  /** Crash the leader (for downMs, or for good). */
  | { readonly kind: "crash-leader"; readonly atMs: number; readonly downMs?: number }
  /** Cut the leader off from every other node until healAtMs. */
  | { readonly kind: "isolate-leader"; readonly atMs: number; readonly healAtMs: number }
  /** Crash `count` nodes other than the leader (for downMs, or for good). */
  | { readonly kind: "crash-followers"; readonly atMs: number; readonly count: number; readonly downMs?: number }
  /** The application asks the leader (if none leads, the first node that is up) to broadcast m. */
  | { readonly kind: "broadcast-at-leader"; readonly atMs: number; readonly m: string };

/** One graded run: a scenario (with `initialStorage` for textbook starting states), Raft's options, actions on the leader. */
export interface RaftRun {
  readonly scenario: Scenario;
  readonly options?: RaftOptions;
  readonly actions?: readonly LeaderAction[];
  /** The run stops with an error past this many trace events (default RUN_EVENTS_MAX). */
  readonly maxEvents?: number;
}

/** Default bound on a run's trace events. */
export const RUN_EVENTS_MAX = 12_000;

/** What `run` returns: plain data. */
export interface RaftRunOutput {
  /** The grader's trace (Trace.toJSON()). */
  readonly trace: string;
  /** [trace index, node, snapshot]: a node's Raft state after each event that changed it. */
  readonly snapshots: readonly (readonly [number, NodeId, RaftSnapshot])[];
  /** Each node at the end: up, and (when up) term, role and whom it follows. */
  readonly final: Readonly<Record<NodeId, { up: boolean; term?: number; role?: string; leader?: NodeId | null }>>;
  /** The actions taken, with the node each hit (none when no node was up to hit), in time order. */
  readonly actions: readonly { readonly kind: string; readonly atMs: number; readonly nodes: readonly NodeId[] }[];
  /** [time, leader]: the times, every 10 ms over the run's last SETTLE_WINDOW_MS, when every node that was up followed one leader (same term, currentLeader). */
  readonly settled: readonly (readonly [number, NodeId])[];
}

/** How long before the end of a run the driver looks for a leader that every node follows. */
export const SETTLE_WINDOW_MS = 1000;

function runRaft(student: typeof Student, input: RaftRun): RaftRunOutput {
  const protocol = student.raft(input.options ?? {}) as unknown as AnyProtocol;
  const nodes = input.scenario.nodes;
  const snapshots: [number, NodeId, RaftSnapshot][] = [];
  const lastSeen = new Map<NodeId, string>();
  const taken: { kind: string; atMs: number; nodes: NodeId[] }[] = [];
  const settled: [number, NodeId][] = [];
  const maxEvents = input.maxEvents ?? RUN_EVENTS_MAX;
  const prepare = (sim: Simulation) => {
    // A bound on the run: a protocol whose messages breed (a reply to every reply) would otherwise
    // keep the grader busy for minutes; the reference needs at most about 4700 events per run (7 nodes, 5 s, lossy).
    sim.on(
      (e) => e.i >= maxEvents,
      (s) => {
        throw new Error(`the run passed ${maxEvents} events at ${Math.round(s.now)} ms (seed=${input.scenario.seed}): messages multiply (does every LogResponse or heartbeat start another exchange that never ends?)`);
      },
      { once: true },
    );
    sim.on(
      (e) => "node" in e && e.kind !== "crash",
      (s, e) => {
        const node = (e as { node: NodeId }).node;
        if (!s.isUp(node)) return;
        const snapshot = raftSnapshot(raftStateOf(s.state(node)));
        if (snapshot === undefined) return;
        const text = JSON.stringify(snapshot);
        if (lastSeen.get(node) === text) return;
        lastSeen.set(node, text);
        snapshots.push([e.i, node, snapshot]);
      },
    );
    sim.on((e) => e.kind === "crash", (_s, e) => lastSeen.delete((e as { node: NodeId }).node));
    // Over the last second, every 10 ms: does one leader have every node that is up following it?
    for (let t = Math.max(0, input.scenario.untilMs - SETTLE_WINDOW_MS); t <= input.scenario.untilMs; t += 10) {
      sim.at(t, (s) => {
        const leader = leaderOf(s, nodes);
        if (leader === undefined) return;
        const term = (raftStateOf(s.state(leader)) as { currentTerm: number }).currentTerm;
        const follows = nodes.every((n) => {
          if (!s.isUp(n)) return true;
          const x = raftStateOf(s.state(n)) as { currentTerm?: unknown; currentLeader?: unknown } | undefined;
          return x?.currentTerm === term && x.currentLeader === leader;
        });
        if (follows) settled.push([s.now, leader]);
      });
    }
    for (const action of input.actions ?? []) {
      sim.at(action.atMs, (s) => {
        const leader = leaderOf(s, nodes);
        const at = s.now;
        switch (action.kind) {
          case "crash-leader":
            if (leader !== undefined) s.crash(leader, at, action.downMs === undefined ? {} : { recoverAtMs: at + action.downMs });
            taken.push({ kind: action.kind, atMs: at, nodes: leader === undefined ? [] : [leader] });
            return;
          case "isolate-leader":
            if (leader !== undefined) s.partition({ groups: [[leader], nodes.filter((n) => n !== leader)], atMs: at, healAtMs: action.healAtMs });
            taken.push({ kind: action.kind, atMs: at, nodes: leader === undefined ? [] : [leader] });
            return;
          case "crash-followers": {
            const victims = nodes.filter((n) => n !== leader && s.isUp(n)).slice(0, action.count);
            for (const n of victims) s.crash(n, at, action.downMs === undefined ? {} : { recoverAtMs: at + action.downMs });
            taken.push({ kind: action.kind, atMs: at, nodes: victims });
            return;
          }
          case "broadcast-at-leader": {
            const target = leader ?? nodes.find((n) => s.isUp(n));
            if (target !== undefined) s.request(target, { type: "broadcast", m: action.m }, at);
            taken.push({ kind: action.kind, atMs: at, nodes: target === undefined ? [] : [target] });
            return;
          }
        }
      });
    }
  };
  const { sim, trace } = simulate(input.scenario, protocol, { prepare });
  const final: Record<NodeId, { up: boolean; term?: number; role?: string; leader?: NodeId | null }> = {};
  for (const node of nodes) {
    if (!sim.isUp(node)) {
      final[node] = { up: false };
      continue;
    }
    const s = raftStateOf(sim.state(node)) as { currentTerm?: unknown; currentRole?: unknown; currentLeader?: unknown } | undefined;
    final[node] = {
      up: true,
      term: typeof s?.currentTerm === "number" ? s.currentTerm : undefined,
      role: typeof s?.currentRole === "string" ? s.currentRole : undefined,
      leader: typeof s?.currentLeader === "string" ? s.currentLeader : null,
    };
  }
  return { trace: trace.toJSON(), snapshots, final, actions: taken, settled };
}

/** A search over a small configuration: the explorer's options as data, and nodes started from given stable storage. */
export interface RaftSearchInput extends SearchInput {
  readonly options?: RaftOptions;
  readonly initialStorage?: Readonly<Record<NodeId, Readonly<Record<string, unknown>>>>;
}

/** raftSafety (src/explore) on the states as the grader holds them (boxed on isolated nodes). */
export function raftSafetyOfBoxes(): Invariant {
  const inner = raftSafety();
  return {
    name: inner.name,
    holds(state: ExploreState) {
      const nodes = Object.fromEntries(Object.entries(state.nodes).map(([id, n]) => [id, { ...n, state: raftStateOf(n.state) }]));
      return inner.holds({ ...state, nodes });
    },
  };
}

/** The search's goal: some run elects a leader in a term after `term` (a node that never stands for election is safe too). */
export function leaderElectedAfter(term: number): Goal {
  return {
    name: `a leader is elected in a term after ${term}`,
    reached: (state: ExploreState) =>
      Object.values(state.nodes).some((n) => {
        const s = raftStateOf(n.state) as { currentRole?: unknown; currentTerm?: unknown } | undefined;
        return n.up && s?.currentRole === "leader" && typeof s.currentTerm === "number" && s.currentTerm > term;
      }),
  };
}

/** Raft at every node (from the given stable storage), Raft's safety in every state, and a new leader as the goal. */
const searchRaft = searchDriver((student: typeof Student, input: RaftSearchInput) => {
  const { options, initialStorage, ...rest } = input;
  const protocol = student.raft(options ?? {}) as unknown as AnyProtocol;
  const perNode = Object.fromEntries(input.nodes.map((n) => [n, initialStorage?.[n] === undefined ? protocol : startingFrom(protocol, initialStorage[n]!)]));
  const startTerm = Math.max(0, ...Object.values(initialStorage ?? {}).map((s) => (typeof s.currentTerm === "number" ? s.currentTerm : 0)));
  return { protocol: perNode, invariants: [raftSafetyOfBoxes()], goals: [leaderElectedAfter(startTerm)], options: rest };
});

export const drivers = {
  /** Your raft() at every node on the run's scenario: the trace, every node's Raft state as it changes, the final states. */
  run: Object.assign(runRaft, { branchesNodeStates: true as const, simulatesNodeStates: true as const }),
  /** The explorer over every order of events in a small configuration (breadth first), checking Raft's safety in every state. */
  search: searchRaft,
};
