/**
 * Raft's state made visible to the safety checkers (./raft-safety.ts): in a finished trace, or live.
 * Instrumentation, not a protocol: it only reads states with the slides' names. `withRaftSnapshots(protocol)` is the same protocol, except that
 * after any handler that changed the node's term, role, vote, log or commit point it annotates the
 * event with `{ raft: RaftSnapshot }`. It reads the slides' names (currentTerm, currentRole,
 * votedFor, log, commitLength), so it wraps any Raft written with them, a student's too.
 */
import type { AnyProtocol, Context, Message, NodeId } from "../sim/protocol";
import type { Simulation } from "../sim/simulation";
import { RaftSafetyMonitor } from "./raft-safety";

/** A node's Raft state as the checkers see it; each log record is [term, JSON of msg]. */
export interface RaftSnapshot {
  readonly term: number;
  readonly role: string;
  readonly votedFor: NodeId | null;
  readonly log: readonly (readonly [number, string])[];
  readonly commitLength: number;
}

interface RaftLike {
  currentTerm: number;
  currentRole: string;
  votedFor: NodeId | null;
  log: readonly { term: number; msg: unknown }[];
  commitLength: number;
}

/** The snapshot of a state with the slides' names, or undefined for anything else (a crashed node). */
export function raftSnapshot(state: unknown): RaftSnapshot | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const s = state as Partial<RaftLike>;
  if (typeof s.currentTerm !== "number" || !Array.isArray(s.log)) return undefined;
  return {
    term: s.currentTerm,
    role: String(s.currentRole),
    votedFor: s.votedFor ?? null,
    log: s.log.map((e) => [e.term, JSON.stringify(e.msg) ?? String(e.msg)] as const),
    commitLength: typeof s.commitLength === "number" ? s.commitLength : 0,
  };
}

/** A cheap fingerprint of what a snapshot holds: recomputed around every handler call. */
function fingerprint(state: unknown): string {
  if (typeof state !== "object" || state === null) return "";
  const s = state as Partial<RaftLike>;
  const log = Array.isArray(s.log) ? s.log : [];
  let h = 0;
  for (let i = 0; i < log.length; i++) h = (h * 31 + (log[i]!.term | 0) * 7 + i) % 1_000_000_007;
  return `${s.currentTerm}|${s.currentRole}|${s.votedFor}|${log.length}|${h}|${s.commitLength}`;
}

/** The protocol, annotating each event whose handler changed the Raft state with `{ raft: snapshot }`. */
export function withRaftSnapshots<P extends AnyProtocol>(protocol: P): P {
  const note = (before: string, state: unknown, ctx: Context<Message, unknown>) => {
    if (fingerprint(state) !== before) ctx.annotate({ raft: raftSnapshot(state) });
  };
  const receive: Record<string, (state: unknown, msg: Message, from: NodeId, ctx: Context<Message, unknown>) => void> = {};
  for (const [type, handler] of Object.entries(protocol.receive as Record<string, typeof receive[string]>)) {
    receive[type] = (state, msg, from, ctx) => {
      const before = fingerprint(state);
      handler(state, msg, from, ctx);
      note(before, state, ctx);
    };
  }
  const timers: Record<string, (state: unknown, data: unknown, ctx: Context<Message, unknown>) => void> = {};
  for (const [name, handler] of Object.entries(protocol.timers ?? {})) {
    timers[name] = (state, data, ctx) => {
      const before = fingerprint(state);
      handler(state, data, ctx);
      note(before, state, ctx);
    };
  }
  const periodically: Record<string, { everyMs: number; run: (state: unknown, ctx: Context<Message, unknown>) => void }> = {};
  for (const [name, task] of Object.entries(protocol.periodically ?? {})) {
    periodically[name] = {
      everyMs: task.everyMs,
      run: (state, ctx) => {
        const before = fingerprint(state);
        task.run(state, ctx);
        note(before, state, ctx);
      },
    };
  }
  const wrapped: AnyProtocol = {
    ...protocol,
    init: (ctx) => {
      const state = protocol.init(ctx);
      note("", state, ctx);
      return state;
    },
    receive,
    timers,
    periodically,
  };
  if (typeof protocol.request === "function") {
    const request = protocol.request;
    wrapped.request = (state, req, ctx) => {
      const before = fingerprint(state);
      request(state, req, ctx);
      note(before, state, ctx);
    };
  }
  if (typeof protocol.recover === "function") {
    const recover = protocol.recover;
    wrapped.recover = (ctx) => {
      const state = recover(ctx);
      note("", state, ctx);
      return state;
    };
  }
  return wrapped as P;
}

/**
 * Checks Raft's safety properties after every event of a simulation, from the nodes' live states
 * (call before sim.run). The monitor it returns fills up as the run goes; with `stopOnViolation`,
 * the first violation throws, naming it, so the run stops at the step that broke the property.
 */
export function watchRaft(sim: Simulation, options: { stopOnViolation?: boolean } = {}): RaftSafetyMonitor {
  const monitor = new RaftSafetyMonitor();
  const lastSeen = new Map<NodeId, string>();
  sim.on(
    (e) => "node" in e,
    (s, e) => {
      const node = (e as { node: NodeId }).node;
      if (e.kind === "crash") {
        monitor.crashed(node);
        return;
      }
      const state = s.state(node);
      const print = fingerprint(state);
      if (print === "" || lastSeen.get(node) === print) return;
      lastSeen.set(node, print);
      const found = monitor.observe(node, raftSnapshot(state)!, e.i);
      if (found.length > 0 && options.stopOnViolation === true) {
        throw new Error(`Raft ${found[0]!.property} violated at ${s.now} ms (seed=${s.seed}): ${found[0]!.message}`);
      }
    },
  );
  return monitor;
}
