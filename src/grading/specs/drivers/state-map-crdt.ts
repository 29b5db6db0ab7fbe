/** Drivers of Exercise 8.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/state-map-crdt";
import type { MapEntry } from "../../../protocols/crdt/map-crdt";
import { bestEffortBroadcast } from "../../../protocols/broadcast/best-effort";
import { fairLossLink } from "../../../protocols/links/fair-loss-link";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

/** How often the tests ask replicas to re-broadcast their state. */
export const RESEND_EVERY_MS = 100;

export const drivers = {
  /** The student's merge on three states, in every grouping the laws speak of. */
  merge: (student: typeof Student, input: { a: MapEntry[]; b: MapEntry[]; c: MapEntry[] }) => {
    const { a, b, c } = input;
    return { ab: student.mergeMaps(a, b), ba: student.mergeMaps(b, a), abThenC: student.mergeMaps(student.mergeMaps(a, b), c), aThenBc: student.mergeMaps(a, student.mergeMaps(b, c)), aa: student.mergeMaps(a, a) };
  },
  /** The student's map over best-effort broadcast and lossy links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) =>
    simulate(scenario, stack(student.stateBasedMap({ resendEveryMs: RESEND_EVERY_MS }), stack(bestEffortBroadcast(), fairLossLink()))).trace.toJSON(),
};
