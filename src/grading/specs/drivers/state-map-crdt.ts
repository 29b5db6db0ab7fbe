/** Drivers of Exercise 8.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/state-map-crdt";
import type { MapEntry } from "../../../protocols/crdt/map-crdt";
import { bestEffortBroadcast } from "../../../protocols/broadcast/best-effort";
import { fairLossLink } from "../../../protocols/links/fair-loss-link";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";
import type { ExploreState, Goal, Invariant } from "../../../explore/index";
import { mapView } from "../../../protocols/crdt/map-crdt";
import { searchDriver } from "../../explore";

/**
 * The search's invariant: once every write has been made and no message is in flight, every
 * replica holds the same map (strong eventual consistency's convergence). Reads the replicas' states
 * as the grader keeps them (the layer's state is `upper` of the stack).
 */
export function mapsConvergeWhenQuiet(writesPerNode: Readonly<Record<string, number>>): Invariant {
  return {
    name: "replicas converge once every write has spread",
    holds(state) {
      const views = quietViews(state, writesPerNode);
      if (views === undefined) return true;
      if (typeof views === "string") return views;
      const distinct = new Set(Object.values(views).map((view) => JSON.stringify(view)));
      return distinct.size <= 1 ? true : `nothing is in flight, yet the replicas differ: ${Object.entries(views).map(([node, view]) => `${node}: ${JSON.stringify(view)}`).join("; ")}`;
    },
  };
}

/** The search's goal: some run ends with every key written held at every replica (a map that ignores its writes converges too). */
export function everyKeyEverywhere(writesPerNode: Readonly<Record<string, number>>, keys: readonly string[]): Goal {
  return {
    name: `every replica holds ${keys.join(" and ")}`,
    reached(state) {
      const views = quietViews(state, writesPerNode);
      return typeof views === "object" && Object.values(views).every((view) => keys.every((k) => Object.prototype.hasOwnProperty.call(view, k)));
    },
  };
}

/**
 * Each replica's map once every write has been made and nothing is in flight (undefined before
 * then; a message if a state has no list `values`). Reads the states as the grader keeps them.
 */
function quietViews(state: ExploreState, writesPerNode: Readonly<Record<string, number>>): Record<string, Record<string, unknown>> | string | undefined {
  if (state.inFlight.length > 0) return undefined;
  for (const [node, count] of Object.entries(writesPerNode)) if ((state.issued[node]?.length ?? 0) < count) return undefined;
  const views: Record<string, Record<string, unknown>> = {};
  for (const [node, n] of Object.entries(state.nodes)) {
    // In the grader, an isolated node's layer state is kept boxed as { s: state, ... } (SearchBox in
    // src/grading/sandbox/nodes.ts); in-process it is the state itself.
    const upper = (n.state as { upper?: { values?: unknown; s?: { values?: unknown } } } | undefined)?.upper;
    const values = upper?.values !== undefined ? upper.values : upper?.s?.values;
    if (!Array.isArray(values)) return `${node}'s state has no list \`values\``;
    views[node] = mapView(values as never) as Record<string, unknown>;
  }
  return views;
}

/** A small configuration for the search: three replicas, two concurrent writes of x, one of y. */
export const searchWrites = [
  { node: "A", request: { type: "set", k: "x", v: "from A" } },
  { node: "B", request: { type: "set", k: "x", v: "from B" } },
  { node: "C", request: { type: "set", k: "y", v: "from C" } },
] as const;

/** How often the tests ask replicas to re-broadcast their state. */
export const RESEND_EVERY_MS = 100;

export const drivers = {
  /** The explorer over every delivery order of searchWrites (no re-broadcasts: each write's state is sent once). */
  search: searchDriver((student: typeof Student) => ({
    protocol: stack(student.stateBasedMap({}), stack(bestEffortBroadcast(), fairLossLink())),
    invariants: [mapsConvergeWhenQuiet({ A: 1, B: 1, C: 1 })],
    goals: [everyKeyEverywhere({ A: 1, B: 1, C: 1 }, ["x", "y"])],
  })),
  /** The student's merge on three states, in every grouping the laws speak of. */
  merge: (student: typeof Student, input: { a: MapEntry[]; b: MapEntry[]; c: MapEntry[] }) => {
    const { a, b, c } = input;
    return { ab: student.mergeMaps(a, b), ba: student.mergeMaps(b, a), abThenC: student.mergeMaps(student.mergeMaps(a, b), c), aThenBc: student.mergeMaps(a, student.mergeMaps(b, c)), aa: student.mergeMaps(a, a) };
  },
  /** The student's map over best-effort broadcast and lossy links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) =>
    simulate(scenario, stack(student.stateBasedMap({ resendEveryMs: RESEND_EVERY_MS }), stack(bestEffortBroadcast(), fairLossLink()))).trace.toJSON(),
};
