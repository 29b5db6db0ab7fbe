/**
 * Atomic commitment as an explorer invariant (lecture 6, "Distributed transactions"), over one
 * global state of the commit protocols in src/protocols/commit (deliveries `{ type: "voted", T, ok }`
 * and `{ type: "decide", T, outcome }`; participants from the `{ type: "commit", T, R }` requests
 * issued): no two nodes decide a transaction differently, and it commits only if every participant
 * voted yes. `commitStatus` sorts a final state: all committed, all aborted, or blocked (who voted
 * yes and is still undecided).
 */
import type { NodeId } from "../sim/protocol";
import type { ExploreState, Invariant } from "./types";

interface Outputs {
  votes: Map<string, Map<NodeId, boolean>>;
  decisions: Map<string, Map<NodeId, string>>;
  participants: Map<string, NodeId[]>;
}

function outputs(state: ExploreState): Outputs {
  const votes = new Map<string, Map<NodeId, boolean>>();
  const decisions = new Map<string, Map<NodeId, string>>();
  const participants = new Map<string, NodeId[]>();
  for (const requests of Object.values(state.issued)) {
    for (const r of requests as { type?: string; T?: string; R?: NodeId[] }[]) if (r?.type === "commit" && typeof r.T === "string" && Array.isArray(r.R)) participants.set(r.T, r.R);
  }
  for (const [node, n] of Object.entries(state.nodes)) {
    for (const d of n.deliveries) {
      const v = d.value as { type?: string; T?: string; ok?: boolean; outcome?: string };
      if (typeof v?.T !== "string") continue;
      if (v.type === "voted") (votes.get(v.T) ?? votes.set(v.T, new Map()).get(v.T)!).set(node, v.ok === true);
      if (v.type === "decide") (decisions.get(v.T) ?? decisions.set(v.T, new Map()).get(v.T)!).set(node, String(v.outcome));
    }
  }
  return { votes, decisions, participants };
}

export function atomicCommit(): Invariant {
  return {
    name: "atomic commitment",
    holds(state) {
      const { votes, decisions, participants } = outputs(state);
      for (const [T, byNode] of decisions) {
        const commits = [...byNode].filter(([, o]) => o === "commit").map(([n]) => n);
        const aborts = [...byNode].filter(([, o]) => o === "abort").map(([n]) => n);
        if (commits.length > 0 && aborts.length > 0) return `${T}: ${commits.join(", ")} committed but ${aborts.join(", ")} aborted`;
        if (commits.length > 0) {
          const notYes = (participants.get(T) ?? []).filter((p) => votes.get(T)?.get(p) !== true);
          if (notYes.length > 0) return `${T}: committed at ${commits.join(", ")} although ${notYes.join(", ")} did not vote yes`;
        }
      }
      return true;
    },
  };
}

export interface CommitStatus {
  readonly T: string;
  readonly outcome: "commit" | "abort" | "blocked" | "undecided";
  /** Nodes that voted yes and have not decided (they must wait). */
  readonly blocked: NodeId[];
  /** Nodes that are down. */
  readonly crashed: NodeId[];
}

/** Per transaction: how a (final) state ends, from the live participants' point of view. */
export function commitStatus(state: ExploreState): CommitStatus[] {
  const { votes, decisions, participants } = outputs(state);
  const crashed = Object.entries(state.nodes).filter(([, n]) => !n.up).map(([id]) => id);
  return [...participants].map(([T, R]) => {
    const decided = decisions.get(T) ?? new Map<NodeId, string>();
    const blocked = R.filter((p) => votes.get(T)?.get(p) === true && !decided.has(p) && !crashed.includes(p));
    const live = R.filter((p) => !crashed.includes(p));
    const outcomes = new Set(live.map((p) => decided.get(p)));
    const outcome = blocked.length > 0 ? "blocked" : outcomes.size === 1 && outcomes.has("commit") ? "commit" : outcomes.size === 1 && outcomes.has("abort") ? "abort" : "undecided";
    return { T, outcome, blocked, crashed };
  });
}
