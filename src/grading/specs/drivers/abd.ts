/** Drivers of Exercise 6.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/abd";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** Your abd() at every node; the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario): string => simulate(scenario, student.abd()).trace.toJSON(),
};
