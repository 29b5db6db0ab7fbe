/** Drivers of Exercise 5.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/multi-value-register";
import { simulate, type Scenario } from "../../../sim/index";

export interface MvRun {
  readonly scenario: Scenario;
  /** The anti-entropy period your replicas are made with (ms). */
  readonly antiEntropyMs: number;
}

export const drivers = {
  /** Your replica at every node of the scenario; the trace as JSON. */
  run: (student: typeof Student, input: MvRun): string => simulate(input.scenario, () => student.multiValueRegister({ antiEntropyMs: input.antiEntropyMs })).trace.toJSON(),
  /** The helpers on given clocks: [clockLeq(a, b), clockMerge(list), prune(siblings)]. */
  helpers: (student: typeof Student, input: { a: Record<string, number>; b: Record<string, number>; list: Record<string, number>[]; siblings: { value: unknown; clock: Record<string, number> }[] }) =>
    [student.clockLeq(input.a, input.b), student.clockMerge(input.list), student.prune(input.siblings)] as const,
};
