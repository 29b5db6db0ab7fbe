/** Drivers of Exercise 5.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/lww-store";
import { simulate, type Scenario } from "../../../sim/index";

export interface LwwRun {
  readonly scenario: Scenario;
  /** The anti-entropy period your replicas are made with (ms). */
  readonly antiEntropyMs: number;
}

export const drivers = {
  /** Your replica at every node of the scenario; the trace as JSON. */
  run: (student: typeof Student, input: LwwRun): string => simulate(input.scenario, () => student.lwwStore({ antiEntropyMs: input.antiEntropyMs })).trace.toJSON(),
};
