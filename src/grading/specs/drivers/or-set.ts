/** Drivers of Exercise 8.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/or-set";
import type { Tagged } from "../../../protocols/crdt/or-set-model";
import { bestEffortBroadcast } from "../../../protocols/broadcast/best-effort";
import { fairLossLink } from "../../../protocols/links/fair-loss-link";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

type OrSetData = { adds: Tagged[]; removed: string[] };

export const drivers = {
  /** The student's merge on three states, in every grouping the laws speak of. */
  merge: (student: typeof Student, input: { a: OrSetData; b: OrSetData; c: OrSetData }) => {
    const { a, b, c } = input;
    return { ab: student.mergeOrSets(a, b), ba: student.mergeOrSets(b, a), abThenC: student.mergeOrSets(student.mergeOrSets(a, b), c), aThenBc: student.mergeOrSets(a, student.mergeOrSets(b, c)), aa: student.mergeOrSets(a, a) };
  },
  /** The student's set over best-effort broadcast and lossy links, re-broadcasting every 100 ms: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) =>
    simulate(scenario, stack(student.orSet({ resendEveryMs: 100 }), stack(bestEffortBroadcast(), fairLossLink()))).trace.toJSON(),
};
