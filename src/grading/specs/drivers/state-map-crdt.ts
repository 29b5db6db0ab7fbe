/** Drivers of Exercise 8.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/state-map-crdt";
import type { MapEntry } from "../../../protocols/crdt/map-crdt";
import { bestEffortBroadcast } from "../../../protocols/broadcast/best-effort";
import { fairLossLink } from "../../../protocols/links/fair-loss-link";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";
import type { Invariant } from "../../../explore/index";
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
      if (state.inFlight.length > 0) return true;
      for (const [node, count] of Object.entries(writesPerNode)) if ((state.issued[node]?.length ?? 0) < count) return true;
      const views: string[] = [];
      for (const [node, n] of Object.entries(state.nodes)) {
        // In the grader, an isolated node's layer state is kept boxed as { s: state, ... } (SearchBox in
        // src/grading/sandbox/nodes.ts); in-process it is the state itself.
        const upper = (n.state as { upper?: { values?: unknown; s?: { values?: unknown } } } | undefined)?.upper;
        const values = upper?.values !== undefined ? upper.values : upper?.s?.values;
        if (!Array.isArray(values)) return `${node}'s state has no list \`values\``;
        views.push(`${node}: ${JSON.stringify(mapView(values as never))}`);
      }
      const distinct = new Set(views.map((v) => v.slice(v.indexOf(":") + 1)));
      return distinct.size <= 1 ? true : `nothing is in flight, yet the replicas differ: ${views.join("; ")}`;
    },
  };
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
  search: searchDriver((student: typeof Student) => stack(student.stateBasedMap({}), stack(bestEffortBroadcast(), fairLossLink())), () => [mapsConvergeWhenQuiet({ A: 1, B: 1, C: 1 })]),
  /** The student's merge on three states, in every grouping the laws speak of. */
  merge: (student: typeof Student, input: { a: MapEntry[]; b: MapEntry[]; c: MapEntry[] }) => {
    const { a, b, c } = input;
    return { ab: student.mergeMaps(a, b), ba: student.mergeMaps(b, a), abThenC: student.mergeMaps(student.mergeMaps(a, b), c), aThenBc: student.mergeMaps(a, student.mergeMaps(b, c)), aa: student.mergeMaps(a, a) };
  },
  /** The student's map over best-effort broadcast and lossy links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) =>
    simulate(scenario, stack(student.stateBasedMap({ resendEveryMs: RESEND_EVERY_MS }), stack(bestEffortBroadcast(), fairLossLink()))).trace.toJSON(),
};
