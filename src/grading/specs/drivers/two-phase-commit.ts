/** Drivers of Exercise 6.1, two-phase commit (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/two-phase-commit";
import type { CannotCommit } from "../../../protocols/commit/types";
import type { ExploreState, Goal, Invariant } from "../../../explore/index";
import { atomicCommit } from "../../../explore/index";
import type { NodeId } from "../../../sim/protocol";
import { simulate, type Scenario } from "../../../sim/index";
import { searchDriver } from "../../explore";

/** One graded run: the scenario, the protocol's options, and what the check expects (the driver ignores `expect`). */
export interface CommitRun {
  readonly scenario: Scenario;
  /** 6.1: the coordinator's node id. */
  readonly coordinator?: NodeId;
  readonly cannotCommit?: CannotCommit;
  readonly voteTimeoutMs?: number;
  /** Per transaction, per node: how it must end ("decided": either way). */
  readonly expect?: Readonly<Record<string, Readonly<Record<NodeId, "commit" | "abort" | "decided" | "undecided">>>>;
}

/** The search's coordinator, participants and transaction. */
export const SEARCH_COORDINATOR = "C0";
export const SEARCH_NODES = ["C0", "A", "B"] as const;
export const searchRequests = [{ node: "C0", request: { type: "commit", T: "T1", R: ["A", "B"] } }] as const;

function decisions(state: ExploreState, node: NodeId): { T: string; outcome: unknown }[] {
  const out: { T: string; outcome: unknown }[] = [];
  for (const d of state.nodes[node]?.deliveries ?? []) {
    const v = d.value as { type?: unknown; T?: unknown; outcome?: unknown } | null;
    if (v !== null && typeof v === "object" && v.type === "decide" && typeof v.T === "string") out.push({ T: v.T, outcome: v.outcome });
  }
  return out;
}

function votes(state: ExploreState, node: NodeId): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const d of state.nodes[node]?.deliveries ?? []) {
    const v = d.value as { type?: unknown; T?: unknown; ok?: unknown } | null;
    if (v !== null && typeof v === "object" && v.type === "voted" && typeof v.T === "string" && !out.has(v.T)) out.set(v.T, v.ok);
  }
  return out;
}

/**
 * The search's invariants beside atomic commitment (no two nodes decide differently, commit only if
 * all voted yes): every node decides a transaction at most once, even across crashes; and a
 * participant that voted yes decides only what the coordinator decided ("a yes vote is a promise":
 * it may not abort on its own, nor commit).
 */
export function twoPhaseCommitInvariants(coordinator: NodeId): Invariant[] {
  return [
    atomicCommit(),
    {
      name: "each node decides a transaction at most once",
      holds(state) {
        for (const node of Object.keys(state.nodes)) {
          const seen = new Set<string>();
          for (const d of decisions(state, node)) {
            if (seen.has(d.T)) return `${node} decided ${d.T} twice`;
            seen.add(d.T);
          }
        }
        return true;
      },
    },
    {
      name: "a participant that voted yes decides only what the coordinator decided",
      holds(state) {
        const decided = new Map(decisions(state, coordinator).map((d) => [d.T, d.outcome]));
        for (const node of Object.keys(state.nodes)) {
          if (node === coordinator) continue;
          const voted = votes(state, node);
          for (const d of decisions(state, node)) {
            if (voted.get(d.T) !== true) continue;
            if (decided.get(d.T) !== d.outcome) return `${node} voted yes on ${d.T} and decided ${String(d.outcome)}, but the coordinator ${decided.has(d.T) ? `decided ${String(decided.get(d.T))}` : "has not decided"}`;
          }
        }
        return true;
      },
    },
  ];
}

/** The search's goal: some run in which every node decides T1 `outcome` (a protocol that never decides breaks no invariant). */
export function everyoneDecides(T: string, outcome: "commit" | "abort"): Goal {
  return {
    name: `every node decides ${outcome} on ${T}`,
    reached: (state) => Object.keys(state.nodes).every((node) => decisions(state, node).some((d) => d.T === T && d.outcome === outcome)),
  };
}

const searchSetup = (cannotCommit: CannotCommit, outcome: "commit" | "abort") => (student: typeof Student) => ({
  protocol: student.twoPhaseCommit({ coordinator: SEARCH_COORDINATOR, cannotCommit }),
  invariants: twoPhaseCommitInvariants(SEARCH_COORDINATOR),
  goals: [everyoneDecides("T1", outcome)],
});

export const drivers = {
  /** Your twoPhaseCommit at every node; the trace as JSON. */
  run: (student: typeof Student, input: CommitRun): string =>
    simulate(input.scenario, student.twoPhaseCommit({ coordinator: input.coordinator ?? SEARCH_COORDINATOR, cannotCommit: input.cannotCommit ?? {}, voteTimeoutMs: input.voteTimeoutMs ?? 200 })).trace.toJSON(),
  /** The explorer over every interleaving of searchRequests, both participants able to commit. */
  search: searchDriver(searchSetup({}, "commit")),
  /** The same with B unable to commit T1. */
  searchNo: searchDriver(searchSetup({ B: ["T1"] }, "abort")),
};
