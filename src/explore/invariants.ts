/**
 * Invariants and goals over the explorer's global states, for the properties the course states:
 * FIFO order of broadcast deliveries, no duplicated deliveries, every broadcast delivered once the
 * network is quiet, "some node delivered".
 * Each reads only what the state holds: the requests issued and each node's deliveries.
 */
import type { NodeId } from "../sim/protocol";
import { canonical } from "./canonical";
import type { ExploreState, Goal, Invariant } from "./types";
import { RaftSafetyMonitor, type RaftView } from "../checks/raft-safety";
import { raftSnapshot } from "../checks/raft-snapshots";

/** The m of a `{ type: "broadcast", m }` request (the broadcast layers' requests), else undefined. */
function broadcastValue(request: unknown): { m: unknown } | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const r = request as { type?: unknown; m?: unknown };
  return r.type === "broadcast" ? { m: r.m } : undefined;
}

/**
 * FIFO order (lecture 4, "Forms of reliable broadcast"): at every node, the messages delivered from
 * one sender are a prefix of what that sender broadcast, in the order it broadcast them: a node may
 * not deliver a sender's m2 before its m1. (Messages must be distinct values; duplicates are
 * `noDuplicateDelivery`'s business and are skipped here.)
 */
export function fifoOrder(): Invariant {
  return {
    name: "FIFO order",
    holds(state: ExploreState): boolean | string {
      const sent = new Map<NodeId, string[]>();
      for (const [node, requests] of Object.entries(state.issued)) {
        sent.set(node, requests.map(broadcastValue).filter((b) => b !== undefined).map((b) => canonical(b!.m)));
      }
      for (const [node, n] of Object.entries(state.nodes)) {
        const next = new Map<NodeId, number>();
        const done = new Set<string>();
        for (const d of n.deliveries) {
          if (d.from === undefined) continue;
          const id = canonical(d.value);
          if (done.has(`${d.from} ${id}`)) continue;
          done.add(`${d.from} ${id}`);
          const expected = sent.get(d.from) ?? [];
          const k = next.get(d.from) ?? 0;
          if (expected[k] !== id) {
            const position = expected.indexOf(id);
            const missing = k < expected.length ? expected[k]! : "(nothing: never broadcast)";
            return position < 0
              ? `node ${node} delivered ${id} from ${d.from}, which ${d.from} never broadcast`
              : `node ${node} delivered ${id} before ${missing}, although ${d.from} broadcast ${missing} first`;
          }
          next.set(d.from, k + 1);
        }
      }
      return true;
    },
  };
}

/** No node delivers the same value from the same sender twice (reliable broadcast's "no duplication"). */
export function noDuplicateDelivery(): Invariant {
  return {
    name: "no duplication",
    holds(state: ExploreState): boolean | string {
      for (const [node, n] of Object.entries(state.nodes)) {
        const done = new Set<string>();
        for (const d of n.deliveries) {
          const id = `${d.from} ${canonical(d.value)}`;
          if (done.has(id)) return `node ${node} delivered ${canonical(d.value)} from ${d.from} twice`;
          done.add(id);
        }
      }
      return true;
    },
  };
}

/**
 * Validity and agreement of reliable broadcast (lecture 4, "Reliable broadcast") where the search can
 * check them: in a quiet state (no message in flight, no timer pending: nothing more will happen),
 * every node that is up has delivered every message broadcast so far. Meant for runs without loss or
 * crashes, where a protocol that delivers nothing (and so trivially keeps FIFO order) must fail.
 */
export function deliveredWhenQuiet(): Invariant {
  return {
    name: "every broadcast delivered everywhere",
    holds(state: ExploreState): boolean | string {
      if (state.inFlight.length > 0) return true;
      for (const n of Object.values(state.nodes)) if (n.timers.length > 0) return true;
      for (const [sender, requests] of Object.entries(state.issued)) {
        for (const b of requests.map(broadcastValue)) {
          if (b === undefined) continue;
          const id = canonical(b.m);
          for (const [node, n] of Object.entries(state.nodes)) {
            if (n.up && !n.deliveries.some((d) => d.from === sender && canonical(d.value) === id)) {
              return `nothing is left in flight, but node ${node} never delivered ${id} from ${sender}`;
            }
          }
        }
      }
      return true;
    },
  };
}

/** A goal: `node` (or, without one, some node) has delivered a value for which `which` holds. */
export function delivered(name: string, which: (value: unknown) => boolean = () => true, node?: NodeId): Goal {
  return {
    name,
    reached: (state) => Object.entries(state.nodes).some(([id, n]) => (node === undefined || id === node) && n.deliveries.some((d) => which(d.value))),
  };
}

/**
 * Raft's safety properties (election safety, log matching, leader completeness, state machine
 * safety: src/checks/raft-safety.ts) among the nodes of one state, for a protocol whose state has
 * the slides' names (lecture 7, Raft 1/9): a crashed node counts with what its stable storage holds
 * ("currentTerm", "log", "commitLength"). And delivered messages form one total order: every
 * node's deliveries are a prefix of the longest node's.
 */
export function raftSafety(): Invariant {
  return {
    name: "Raft safety",
    holds(state: ExploreState): boolean | string {
      const monitor = new RaftSafetyMonitor();
      const ids = Object.keys(state.nodes);
      const views = ids.map((id): [NodeId, RaftView | undefined] => {
        const n = state.nodes[id]!;
        if (n.up) return [id, raftSnapshot(n.state)];
        const log = (n.storage.get("log") as { term: number; msg: unknown }[] | undefined) ?? [];
        return [id, {
          term: (n.storage.get("currentTerm") as number | undefined) ?? 0,
          role: "crashed",
          log: log.map((e) => [e.term, JSON.stringify(e.msg) ?? String(e.msg)] as const),
          commitLength: (n.storage.get("commitLength") as number | undefined) ?? 0,
        }];
      });
      // Leaders last, so that each is checked against every commit the state holds.
      views.sort((a, b) => Number(a[1]?.role === "leader") - Number(b[1]?.role === "leader"));
      for (const [id, view] of views) {
        if (view === undefined) continue;
        const found = monitor.observe(id, view);
        if (found.length > 0) return `${found[0]!.property}: ${found[0]!.message}`;
      }
      let longest: readonly string[] = [];
      const sequences = ids.map((id) => [id, state.nodes[id]!.deliveries.map((d) => canonical(d.value))] as const);
      for (const [, seq] of sequences) if (seq.length > longest.length) longest = seq;
      for (const [id, seq] of sequences) {
        const k = seq.findIndex((v, i) => v !== longest[i]);
        if (k >= 0) return `total order: node ${id} delivered ${seq[k]} as its message ${k + 1}, another node delivered ${longest[k]}`;
      }
      return true;
    },
  };
}
